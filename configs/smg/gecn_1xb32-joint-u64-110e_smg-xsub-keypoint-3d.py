# GE-CN (Shah, Chen, Zhao, MiGA@IJCAI 2023) on SMG: 3D Kinect joints, NTU 25-joint layout,
# cross-subject (test subjects 36-40). Published SMG result: 64.26 top-1 / 95.23 top-5
# (GE-CN paper, Tables 1-2).
#   python tools/train.py configs/smg/gecn_1xb32-joint-u64-110e_smg-xsub-keypoint-3d.py
# Data pipeline, batch 32 and 64-frame clips are the SMG ST-GCN config's (the paper's
# setting). The training set is repeated 5x per epoch there, so 22 epochs = 110 passes: the
# InfoGCN schedule of configs/imigue/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py (5 warm-up passes,
# lr x0.1 at passes 90 and 100).
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/smg_skeleton_joint.py',
    '../_base_/schedules/sgd_cosine_16e.py'
]

model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='MGGECN',
        graph_cfg=dict(layout='ntu25', mode='spatial'),
        in_channels=3,
        base_channels=64,
        num_heads=3,
        num_stages=10,
        inflate_stages=(5, 8),
        down_stages=(5, 8),
        temporal_kernel_sizes=(3, 5, 7)),
    cls_head=dict(
        type='MGGECNHead', num_classes=17, in_channels=256, mmd_weight=0.1, zmean_weight=1e-4))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=22, val_begin=1, val_interval=1)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='MGFractionMultiStepLR', begin=0, by_epoch=True,
         milestone_fractions=[18 / 22, 20 / 22], gamma=0.1)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=100))
