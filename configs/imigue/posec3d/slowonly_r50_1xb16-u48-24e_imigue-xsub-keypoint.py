# PoseC3D (Duan et al., CVPR 2022) on iMiGUE: mmaction2's SlowOnly-R50 keypoint model
# (mmaction::skeleton/posec3d/slowonly_r50_8xb16-u48-240e_ntu60-xsub-keypoint.py) on 22 joint
# heat maps of the upper body. The stock schedule: 24 epochs over the train split repeated 10
# times, cosine decay, SGD momentum 0.9, weight decay 3e-4, gradient clip 40; lr 0.2 at batch 128
# scaled linearly to 0.025 for one GPU x 16 (auto_scale_lr rescales for other batch sizes).
# Fuse it with the limb model (posec3d/...-limb.py): the MiGA 2023 winner weighted joint 0.4 and
# limb 0.6 (64.1 top-1 on the MiGA 2023 test split; docs/miga_recipes.md).
#   python tools/train.py configs/imigue/posec3d/slowonly_r50_1xb16-u48-24e_imigue-xsub-keypoint.py
_base_ = ['../../_base_/default_runtime.py', '../../_base_/datasets/imigue_heatmap_keypoint.py']

model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet3dSlowOnly', depth=50, pretrained=None,
        in_channels={{_base_.heatmap_channels}}, base_channels=32, num_stages=3,
        out_indices=(2, ), stage_blocks=(4, 6, 3), conv1_stride_s=1, pool1_stride_s=1,
        inflate=(0, 1, 1), spatial_strides=(2, 2, 2), temporal_strides=(1, 1, 2),
        dilations=(1, 1, 1)),
    cls_head=dict(type='I3DHead', in_channels=512, num_classes=32, dropout_ratio=0.5,
                  average_clips='prob'))

train_dataloader = dict(dataset=dict(_delete_=True, type='RepeatDataset', times=10,
                                     dataset={{_base_.train_dataloader.dataset}}))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=24, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.025, momentum=0.9, weight_decay=3e-4),
    clip_grad=dict(max_norm=40, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=16)
