# 2s-AGCN, bone stream (joint minus parent), on SMG 3D Kinect joints (NTU 25-joint layout),
# cross-subject: the joint config with MGGenSkeFeat(feats=['b']).
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/smg_skeleton_bone.py',
    '../_base_/schedules/sgd_cosine_16e.py',
    '../_base_/models/aagcn_ntu25.py'
]

default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=100))
