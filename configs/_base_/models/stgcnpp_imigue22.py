# mmaction2's STGCN++ (PYSKL) for iMiGUE's 22-joint upper body, 2 input channels (x / y).
model = dict(
    type='RecognizerGCN',
    backbone=dict(type='STGCN', in_channels=2, gcn_adaptive='init', gcn_with_res=True,
                  tcn_type='mstcn', graph_cfg=dict(layout='imigue22', mode='spatial')),
    cls_head=dict(type='GCNHead', num_classes=32, in_channels=256))
