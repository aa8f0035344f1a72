# 2s-AGCN, joint stream, on SMG 3D Kinect joints (NTU 25-joint layout), cross-subject.
# The two-stream result fuses this config's test scores with the bone stream's
# (2s-agcn_1xb32-bone-u64-80e_smg-xsub-keypoint-3d.py), see docs/data.md.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/smg_skeleton_joint.py',
    '../_base_/schedules/sgd_cosine_16e.py',
    '../_base_/models/aagcn_ntu25.py'
]

default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=100))
