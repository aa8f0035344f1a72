# mmaction2's 2s-AGCN (AAGCN) on iMiGUE, bone stream, 22-joint upper body: the default recipe
# (see the ST-GCN joint config). Paper setting: configs/imigue/paper/ (same file name).
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_bone.py',
    '../_base_/schedules/sgd_cosine_80e.py', '../_base_/models/aagcn_imigue22.py'
]
