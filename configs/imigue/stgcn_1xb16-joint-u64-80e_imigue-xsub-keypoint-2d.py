# mmaction2's ST-GCN on iMiGUE, joint stream, 22-joint upper body: the default recipe (body-unit
# x / y, flip + view + stretch augmentation, cosine over train_cfg.max_epochs, 10-crop test;
# docs/recipes.md). The paper's own setting: configs/imigue/paper/ (same file name).
# Published iMiGUE result (paper setting): 46.97 top-1 / 84.09 top-5 (iMiGUE, CVPR 2021, Table 2).
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_joint.py',
    '../_base_/schedules/sgd_cosine_80e.py', '../_base_/models/stgcn_imigue22.py'
]
