# TSM (ResNet-50) on iMiGUE RGB clips, cross-subject. As in the iMiGUE paper, a clip is split
# into 8 segments and one frame is sampled from each; clips are decoded straight out of the full
# videos (MGIMiGUERGBDataset + MGDecordClipInit, no pre-cut files needed). Optimiser and schedule
# are mmaction2's TSM Kinetics-400 recipe.
#
# Pretrained weights: none by default (no model hub is reachable offline), so the backbone
# trains from scratch. When online, start from
#   ImageNet:     --cfg-options model.backbone.pretrained=torchvision://resnet50 \
#                 model.backbone.pretrained2d=True
#   Kinetics-400: --cfg-options load_from=https://download.openmmlab.com/mmaction/v1.0/recognition/tsm/tsm_imagenet-pretrained-r50_8xb16-1x1x8-50e_kinetics400-rgb/tsm_imagenet-pretrained-r50_8xb16-1x1x8-50e_kinetics400-rgb_20220831-64d69186.pth
#   (the 400-class head is then re-initialised: mmengine skips mismatched shapes with a warning)
_base_ = [
    'mmaction::_base_/models/tsm_r50.py', '../_base_/default_runtime.py',
    '../_base_/datasets/imigue_rgb.py'
]

model = dict(
    # pretrained2d=False: ResNetTSM would otherwise try to load 2D weights even with None
    backbone=dict(pretrained=None, pretrained2d=False),
    cls_head=dict(num_classes=32))

num_segments = 8

train_pipeline = [
    dict(type='MGDecordClipInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=num_segments),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='MultiScaleCrop', input_size=224, scales=(1, 0.875, 0.75, 0.66),
         random_crop=False, max_wh_scale_gap=1, num_fixed_crops=13),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='MGDecordClipInit'),
    dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=num_segments,
         test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCHW'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=16, dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=50, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=5),
    dict(type='MGFractionMultiStepLR', begin=0, by_epoch=True, milestone_fractions=[0.5, 0.9],
         gamma=0.1)
]
optim_wrapper = dict(
    constructor='TSMOptimWrapperConstructor',
    paramwise_cfg=dict(fc_lr5=True),
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001),
    clip_grad=dict(max_norm=20, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=128)
