# GE-CN (Shah, Chen, Zhao, MiGA@IJCAI 2023) on iMiGUE, joint stream, 22-joint upper body: the
# default recipe's input (body-unit x / y, flip + view + stretch augmentation, 10-crop test;
# docs/recipes.md) with the paper's model, loss, batch and optimiser, and a cosine decay over
# train_cfg.max_epochs after the 5 warm-up epochs. The paper's own input (x, y and the OpenPose
# score as a pseudo third dimension) and step schedule: configs/imigue/paper/gecn.py.
# Published iMiGUE result (paper setting): 56.12 top-1 / 90.01 top-5 (GE-CN paper, Tables 1-2).
#   python tools/train.py configs/imigue/gecn.py
_base_ = ['../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_joint.py']

model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='GECN',
        graph_cfg=dict(layout='imigue22', mode='spatial'),
        in_channels={{_base_.in_channels}},
        base_channels=64,
        num_heads=3,
        num_stages=10,
        inflate_stages=(5, 8),
        down_stages=(5, 8),
        temporal_kernel_sizes=(3, 5, 7)),
    cls_head=dict(
        type='GECNHead', num_classes=32, in_channels=256, mmd_weight=0.1, zmean_weight=1e-4))

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
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
auto_scale_lr = dict(enable=False, base_batch_size=32)
