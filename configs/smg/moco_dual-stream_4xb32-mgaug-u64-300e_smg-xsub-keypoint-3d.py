# Dual-stream MoCo pretraining on SMG (3D Kinect joints, NTU 25-joint layout, cross-subject with
# test subjects 36-40): the recipe of configs/imigue/dual_stream.py (2s-AGCN joint stream + 3-layer
# MGBiGRU with 1024 units, 128-d projections, m = 0.999, T = 0.07, SGD Nesterov lr 0.01 wd 1e-4,
# coordinate perturbation + stretch + posterize time views, 300 epochs) on SMG's 3D skeletons
# (PreNormalize3D, x / y / z). The paper gives no SMG queue size: 512 as on iMiGUE (a similar
# number of training clips).
#
#   bash tools/dist_train.sh configs/smg/moco_dual-stream_4xb32-mgaug-u64-300e_smg-xsub-keypoint-3d.py 4
#   bash tools/dist_train.sh configs/smg/linear_dual-stream_4xb32-u64-100e_smg-xsub-keypoint-3d.py 4 \
#       --cfg-options \
#       model.pretrained=work_dirs/moco_dual-stream_4xb32-mgaug-u64-300e_smg-xsub-keypoint-3d/epoch_300.pth
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/smg_skeleton_moco.py',
    '../_base_/schedules/moco_sgd_300e.py',
    '../_base_/models/dual_stream_moco.py'
]

layout = 'ntu25'
num_joints = 25
in_channels = 3  # x, y, z
model = dict(streams=dict(
    spatial=dict(backbone=dict(graph_cfg=dict(layout=layout), in_channels=in_channels)),
    temporal=dict(backbone=dict(in_channels=in_channels, num_joints=num_joints))))

default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=10, max_keep_ckpts=1, save_best=None, save_last=True))
