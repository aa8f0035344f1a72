# Single-stream MoCo pretraining: the temporal (3-layer MGBiGRU, 1024 units) stream of
# dual_stream.py alone, same data, augmentations, schedule and KNN monitoring.
# Linear evaluation: linear_bigru_4xb32-u64-100e_imigue-xsub-keypoint-2d.py.
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/imigue_skeleton_moco.py',
    '../_base_/schedules/moco_sgd_300e.py'
]

model = dict(
    type='MGSkeletonMoCo',
    backbone=dict(type='MGBiGRU', in_channels=2, num_joints=22, hidden_size=1024, num_layers=3,
                  bidirectional=True, pooling='mean'),
    neck=dict(type='MGProjectionMLP', in_channels=2048, out_channels=128),
    queue_len=512, feat_dim=128, key_momentum=0.999, temperature=0.07)

default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=10, max_keep_ckpts=1, save_best=None, save_last=True))
