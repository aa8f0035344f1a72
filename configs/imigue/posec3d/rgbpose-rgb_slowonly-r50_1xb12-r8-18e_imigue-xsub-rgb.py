# Step 1a of mmaction2's RGBPoseConv3D recipe on iMiGUE: the RGB-only model whose weights become
# RGBPoseConv3D's RGB pathway (tools/model_converters/merge_rgbpose_init.py). mmaction2's
# rgbpose_conv3d/rgb_only.py (SlowOnly-R50 on 8 frames, 224 x 224 crops of the person box,
# 18 epochs x 10 repeats, cosine, SGD lr 0.15 at 8 x 12 clips scaled to 1 x 12, weight decay
# 1e-4, gradient clip 40) with the RGB+pose config's data: the frames of each clip's keypoint
# moments decoded from the full videos (data/imigue/videos/<video_id>.mp4).
# Its pathway settings are RGBPoseConv3D's RGB pathway's (no pool2), so the merge is exact.
#   python tools/train.py configs/imigue/posec3d/rgbpose-rgb_slowonly-r50_1xb12-r8-18e_imigue-xsub-rgb.py
_base_ = './rgbpose_conv3d_1xb6-r8p32-20e_imigue-xsub.py'

model = dict(
    _delete_=True,
    type='Recognizer3D',
    backbone=dict(type='ResNet3dSlowOnly', depth=50, pretrained=None, conv1_kernel=(1, 7, 7),
                  inflate=(0, 0, 1, 1), with_pool2=False),
    cls_head=dict(type='I3DHead', in_channels=2048, num_classes=32, dropout_ratio=0.5,
                  average_clips='prob'),
    data_preprocessor=dict(type='ActionDataPreprocessor', mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], format_shape='NCTHW'))

clip_len = dict(RGB=8)
rgb_pack = [dict(type='FormatShape', input_format='NCTHW'), dict(type='PackActionInputs')]
test_crop = [dict(type='Resize', scale=(224, 224), keep_ratio=False)]
train_pipeline = ([dict(type='MMUniformSampleFrames', clip_len=clip_len, num_clips=1)] +
                  _base_.decode + _base_.train_crop + rgb_pack)
val_pipeline = ([dict(type='MMUniformSampleFrames', clip_len=clip_len, num_clips=1,
                      test_mode=True)] + _base_.decode + test_crop + rgb_pack)
test_pipeline = ([dict(type='MMUniformSampleFrames', clip_len=clip_len, num_clips=10,
                       test_mode=True)] + _base_.decode + test_crop + rgb_pack)
train_dataloader = dict(batch_size=12, dataset=dict(
    _delete_=True, type='RepeatDataset', times=10,
    dataset=dict(_base_._data, split='xsub_train_minus_val', pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

train_cfg = dict(max_epochs=18)
param_scheduler = [dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True,
                        convert_to_iter_based=True)]
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.15 * 12 / 96, momentum=0.9,
                                    weight_decay=1e-4),
                     clip_grad=dict(max_norm=40, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=12)
default_hooks = dict(checkpoint=dict(save_best='acc/top1'))
load_from = None
