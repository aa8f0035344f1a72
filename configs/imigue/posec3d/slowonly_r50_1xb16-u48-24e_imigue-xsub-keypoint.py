# PoseC3D (Duan et al., CVPR 2022) on iMiGUE: mmaction2's SlowOnly-R50 keypoint model
# (mmaction::skeleton/posec3d/slowonly_r50_8xb16-u48-240e_ntu60-xsub-keypoint.py) on 22 joint
# heat maps of the upper body. The stock schedule: 24 epochs over the train split repeated 10
# times, cosine decay, SGD momentum 0.9, weight decay 3e-4, gradient clip 40; lr 0.2 at batch 128
# scaled linearly to 0.025 for one GPU x 16 (auto_scale_lr rescales for other batch sizes).
# Fuse it with the limb model (posec3d/...-limb.py): the MiGA 2023 winner weighted joint 0.4 and
# limb 0.6 (64.1 top-1 on the MiGA 2023 test split; docs/miga_recipes.md).
#   python tools/train.py configs/imigue/posec3d/slowonly_r50_1xb16-u48-24e_imigue-xsub-keypoint.py
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/datasets/imigue_heatmap_keypoint.py',
    '../../_base_/models/slowonly_r50_heatmap.py', '../../_base_/schedules/posec3d_sgd_cosine_24e.py'
]

model = dict(backbone=dict(in_channels={{_base_.heatmap_channels}}), cls_head=dict(num_classes=32))
