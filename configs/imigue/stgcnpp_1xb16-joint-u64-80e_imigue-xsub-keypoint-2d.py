# mmaction2's STGCN++ (PYSKL) on iMiGUE, joint stream, 22-joint upper body: the default recipe
# (see the ST-GCN joint config). Paper setting: configs/imigue/paper/ (same file name).
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_joint.py',
    '../_base_/schedules/sgd_cosine_80e.py', '../_base_/models/stgcnpp_imigue22.py'
]
