# mmaction2's 2s-AGCN (AAGCN) for SMG's 25 Kinect joints (NTU layout), 3 input channels.
model = dict(
    type='RecognizerGCN',
    backbone=dict(type='AAGCN', graph_cfg=dict(layout='ntu25', mode='spatial'), num_person=1),
    cls_head=dict(type='GCNHead', num_classes=17, in_channels=256))
