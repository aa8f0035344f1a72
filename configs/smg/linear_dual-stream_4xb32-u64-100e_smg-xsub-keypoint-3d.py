# Linear evaluation of the SMG dual-stream MoCo encoders:
# configs/imigue/linear_dual-stream_4xb32-u64-100e_imigue-xsub-keypoint-2d.py
# (frozen encoders; SGD momentum 0.9, lr 0.1, 100 epochs, lr x0.1 at 50 and 80) on the SMG
# 3D input of configs/smg/moco_dual-stream_4xb32-mgaug-u64-300e_smg-xsub-keypoint-3d.py (PreNormalize3D, x / y
# / z), reporting
# acc/spatial_top1, acc/temporal_top1 and acc/fused_top1 (sum of the streams' softmax scores).
#   bash tools/dist_train.sh configs/smg/linear_dual-stream_4xb32-u64-100e_smg-xsub-keypoint-3d.py 4 \
#       --cfg-options \
#       model.pretrained=work_dirs/moco_dual-stream_4xb32-mgaug-u64-300e_smg-xsub-keypoint-3d/epoch_300.pth
_base_ = [
    '../_base_/default_runtime.py',
    '../_base_/datasets/smg_skeleton_linear.py',
    '../_base_/schedules/linear_sgd_100e.py',
    '../_base_/models/dual_stream_linear.py'
]

model = dict(streams=dict(
    spatial=dict(backbone=dict(graph_cfg=dict(layout='ntu25'), in_channels=3),
                 cls_head=dict(num_classes=17)),
    temporal=dict(backbone=dict(in_channels=3, num_joints=25), cls_head=dict(num_classes=17))))
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=1, save_best='acc/fused_top1',
                                     rule='greater'))
