# mmaction2's 2s-AGCN (AAGCN) bone stream on iMiGUE; fuse with the joint stream's scores.
_base_ = [
    './2s-agcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
    '../_base_/datasets/imigue_skeleton_bone.py'
]
