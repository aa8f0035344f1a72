# mmaction2's ST-GCN for iMiGUE's 22-joint upper body, 2 input channels (the default recipe's
# body-unit x / y; every stream j / b / jm / bm has two).
model = dict(
    type='RecognizerGCN',
    backbone=dict(type='STGCN', in_channels=2,
                  graph_cfg=dict(layout='imigue22', mode='stgcn_spatial')),
    cls_head=dict(type='GCNHead', num_classes=32, in_channels=256))
