# GE-CN on iMiGUE, joint-motion stream: configs/imigue/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py
# (the default recipe with the paper's
# model, loss, batch 32 and schedule) on the joint-motion input. With the joint model it makes the
# four streams fused by tools/analysis/fuse_scores.py (docs/miga_recipes.md).
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/datasets/imigue_skeleton_joint_motion.py',
    '../../_base_/models/gecn_imigue22.py', '../../_base_/schedules/gecn_warmup_cosine_110e.py'
]

model = dict(backbone=dict(in_channels={{_base_.in_channels}}))
train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=32)
