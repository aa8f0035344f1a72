# Single-stream MoCo pretraining on SMG: the temporal (3-layer MGBiGRU) stream of
# moco_dual-stream_4xb32-mgaug-u64-300e_smg-xsub-keypoint-3d
# .
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/smg_skeleton_moco.py',
    '../_base_/schedules/moco_sgd_300e.py'
]

model = dict(
    type='MGSkeletonMoCo',
    backbone=dict(type='MGBiGRU', in_channels=3, num_joints=25, hidden_size=1024, num_layers=3,
                  bidirectional=True, pooling='mean'),
    neck=dict(type='MGProjectionMLP', in_channels=2048, out_channels=128),
    queue_len=512, feat_dim=128, key_momentum=0.999, temperature=0.07)

default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=10, max_keep_ckpts=1, save_best=None, save_last=True))
