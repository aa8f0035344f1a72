# mmaction2's ST-GCN for SMG's 25 Kinect joints (NTU layout), 3 input channels (x / y / z).
model = dict(
    type='RecognizerGCN',
    backbone=dict(type='STGCN', graph_cfg=dict(layout='ntu25', mode='stgcn_spatial'),
                  num_person=1),
    cls_head=dict(type='GCNHead', num_classes=17, in_channels=256))
