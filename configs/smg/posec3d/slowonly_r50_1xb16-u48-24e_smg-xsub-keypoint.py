# PoseC3D on SMG: mmaction2's SlowOnly-R50 keypoint model and schedule on the 25 Kinect joints,
# in pixels (MGProjectKinect2D: the release's colour-camera pixels, values 7:9 of each joint,
# or a projection of the camera-space joints where a clip lacks them), one heat map per joint,
# flip pairs of the NTU / Kinect v2 layout, 17 classes, test subjects 36-40.
#   python tools/train.py configs/smg/posec3d/slowonly_r50_1xb16-u48-24e_smg-xsub-keypoint.py
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/datasets/smg_heatmap_keypoint.py',
    '../../_base_/models/slowonly_r50_heatmap.py', '../../_base_/schedules/posec3d_sgd_cosine_24e.py'
]

model = dict(backbone=dict(in_channels={{_base_.heatmap_channels}}), cls_head=dict(num_classes=17))
