# GE-CN (Shah, Chen, Zhao, MiGA@IJCAI 2023) for iMiGUE's 22-joint upper body, with the paper's
# optimiser: SGD momentum 0.9, and from "the same experimental settings" as InfoGCN (its ref.
# [22]) lr 0.1, nesterov, weight decay 5e-4 at batch 32, InfoGCN's MMD loss. Shared by
# configs/imigue/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py (default recipe) and
# configs/imigue/paper/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py (paper setting), which
# set the input channels and the schedule.
model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='MGGECN',
        graph_cfg=dict(layout='imigue22', mode='spatial'),
        base_channels=64,
        num_heads=3,
        num_stages=10,
        inflate_stages=(5, 8),
        down_stages=(5, 8),
        temporal_kernel_sizes=(3, 5, 7)),
    cls_head=dict(
        type='MGGECNHead', num_classes=32, in_channels=256, mmd_weight=0.1, zmean_weight=1e-4))

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
auto_scale_lr = dict(enable=False, base_batch_size=32)
