# GE-CN (Shah, Chen, Zhao, MiGA@IJCAI 2023) on iMiGUE, joint stream, 22-joint upper body: the
# default recipe's input (body-unit x / y, flip + view + stretch augmentation, 10-crop test;
# docs/recipes.md) with the paper's model, loss, batch and optimiser, and a cosine decay over
# train_cfg.max_epochs after the 5 warm-up epochs. The paper's own input (x, y and the OpenPose
# score as a pseudo third dimension) and step schedule: configs/imigue/paper/gecn.py.
# Published iMiGUE result (paper setting): 56.12 top-1 / 90.01 top-5 (GE-CN paper, Tables 1-2).
#   python tools/train.py configs/imigue/gecn.py
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/imigue_skeleton_joint.py',
    '../_base_/models/gecn_imigue22.py'
]

model = dict(backbone=dict(in_channels={{_base_.in_channels}}))

train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=32)

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=110, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)
]
