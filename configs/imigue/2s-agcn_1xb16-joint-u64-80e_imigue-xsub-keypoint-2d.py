# mmaction2's 2s-AGCN (AAGCN) on iMiGUE, joint stream, 22-joint upper body: the default recipe
# (see the ST-GCN joint config). Paper setting: configs/imigue/paper/ (same file name).
# Published iMiGUE result for 2S-GCN (paper setting): 47.78 top-1 / 88.43 top-5 (Table 2).
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_joint.py',
    '../_base_/schedules/sgd_cosine_80e.py', '../_base_/models/aagcn_imigue22.py'
]
