# GE-CN (Shah, Chen, Zhao, MiGA@IJCAI 2023) on iMiGUE, joint stream, 22-joint upper body: the
# default recipe's input (body-unit x / y, flip + view + stretch augmentation, 10-crop test;
# docs/recipes.md) with the paper's model, loss, batch and optimiser, and a cosine decay over
# train_cfg.max_epochs after the 5 warm-up epochs. The paper's own input (x, y and the OpenPose
# score as a pseudo third dimension) and step schedule:
# configs/imigue/paper/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py.
# Published iMiGUE result (paper setting): 56.12 top-1 / 90.01 top-5 (GE-CN paper, Tables 1-2).
#   python tools/train.py configs/imigue/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/imigue_skeleton_joint.py',
    '../_base_/models/gecn_imigue22.py',
    '../_base_/schedules/gecn_warmup_cosine_110e.py'
]

model = dict(backbone=dict(in_channels={{_base_.in_channels}}))

train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=32)
