# mmaction2's 2s-AGCN (AAGCN) for iMiGUE's 22-joint upper body, 2 input channels (x / y).
model = dict(
    type='RecognizerGCN',
    backbone=dict(type='AAGCN', in_channels=2, num_person=1,
                  graph_cfg=dict(layout='imigue22', mode='spatial')),
    cls_head=dict(type='GCNHead', num_classes=32, in_channels=256))
