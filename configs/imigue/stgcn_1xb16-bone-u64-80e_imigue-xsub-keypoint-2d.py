# mmaction2's ST-GCN on iMiGUE, bone stream: the default recipe (see the joint config); fuse
# its scores with the joint stream's. Paper setting: configs/imigue/paper/.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_bone.py',
    '../_base_/schedules/sgd_cosine_80e.py'
]

model = dict(
    type='RecognizerGCN',
    backbone=dict(type='STGCN', in_channels={{_base_.in_channels}},
                  graph_cfg=dict(layout='imigue22', mode='stgcn_spatial')),
    cls_head=dict(type='GCNHead', num_classes=32, in_channels=256))
