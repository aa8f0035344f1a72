# mmaction2's 2s-AGCN (AAGCN) on iMiGUE, joint stream, 22-joint upper body: the default recipe
# (see the ST-GCN joint config). Paper setting: configs/imigue/paper/ (same file name).
# Published iMiGUE result for 2S-GCN (paper setting): 47.78 top-1 / 88.43 top-5 (Table 2).
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_joint.py',
    '../_base_/schedules/sgd_cosine_80e.py'
]

model = dict(
    type='RecognizerGCN',
    backbone=dict(type='AAGCN', in_channels={{_base_.in_channels}}, num_person=1,
                  graph_cfg=dict(layout='imigue22', mode='spatial')),
    cls_head=dict(type='GCNHead', num_classes=32, in_channels=256))
