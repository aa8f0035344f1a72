# R(2+1)D-34 on iMiGUE RGB clips, cross-subject. 32 frames sampled uniformly over each clip at
# 224x224, as the visual-text MG paper's R(2+1)D video encoder; clips are decoded straight out of
# the full videos (MGIMiGUERGBDataset + MGDecordClipInit). Optimiser and schedule are mmaction2's
# R(2+1)D Kinetics-400 recipe. BatchNorm is plain BN3d so the config also runs on one CPU / GPU;
# for multi-GPU training add --cfg-options model.backbone.norm_cfg.type=SyncBN.
#
# Pretrained weights: none by default (no model hub is reachable offline). When online, start
# from Kinetics-400:
#   --cfg-options load_from=https://download.openmmlab.com/mmaction/v1.0/recognition/r2plus1d/r2plus1d_r34_8xb8-32x2x1-180e_kinetics400-rgb/r2plus1d_r34_8xb8-32x2x1-180e_kinetics400-rgb_20220812-4270588c.pth
#   (the 400-class head is then re-initialised: mmengine skips mismatched shapes with a warning)
_base_ = [
    'mmaction::_base_/models/r2plus1d_r34.py', '../_base_/default_runtime.py',
    '../_base_/datasets/imigue_rgb.py'
]

model = dict(
    backbone=dict(pretrained=None, norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3)),
    cls_head=dict(num_classes=32))

clip_len = 32

train_pipeline = [
    dict(type='MGDecordClipInit'),
    dict(type='UniformSample', clip_len=clip_len),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='RandomResizedCrop'),
    dict(type='Resize', scale=(224, 224), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='MGDecordClipInit'),
    dict(type='UniformSample', clip_len=clip_len, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=224),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = val_pipeline

train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=8, dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=180, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4),
    clip_grad=dict(max_norm=40, norm_type=2))
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)]
auto_scale_lr = dict(enable=False, base_batch_size=64)
