# mmaction2's ST-GCN, unchanged, on iMiGUE (bone stream, 22-joint upper body).
_base_ = [
    './stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
    '../_base_/datasets/imigue_skeleton_bone.py'
]
