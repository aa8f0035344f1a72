# mmaction2's STGCN++ (PYSKL) on iMiGUE, joint stream, 22-joint upper body: the default recipe
# (see the ST-GCN joint config). Paper setting: configs/imigue/paper/ (same file name).
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_joint.py',
    '../_base_/schedules/sgd_cosine_80e.py'
]

model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='STGCN',
        in_channels={{_base_.in_channels}},
        gcn_adaptive='init',
        gcn_with_res=True,
        tcn_type='mstcn',
        graph_cfg=dict(layout='imigue22', mode='spatial')),
    cls_head=dict(type='GCNHead', num_classes=32, in_channels=256))
