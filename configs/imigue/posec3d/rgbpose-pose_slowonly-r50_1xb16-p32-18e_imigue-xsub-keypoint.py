# Step 1b of mmaction2's RGBPoseConv3D recipe on iMiGUE: the pose-only model whose weights
# become RGBPoseConv3D's pose pathway (tools/model_converters/merge_rgbpose_init.py).
# mmaction2's rgbpose_conv3d/pose_only.py: the PoseC3D keypoint model on 32 frames with no
# temporal stride (the pose pathway's), 18 epochs x 10 repeats, cosine, SGD lr 0.2 at 8 x 16
# scaled to 1 x 16, weight decay 3e-4, gradient clip 40; the keypoint config's data otherwise.
#   python tools/train.py \
#       configs/imigue/posec3d/rgbpose-pose_slowonly-r50_1xb16-p32-18e_imigue-xsub-keypoint.py
_base_ = './slowonly_r50_1xb16-u48-24e_imigue-xsub-keypoint.py'

clip_len = 32
train_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len)]
val_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1, test_mode=True)]
test_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10,
                      test_mode=True)]
train_pipeline = (train_sampling + _base_.decode + _base_.train_crop + _base_.flip +
                  [_base_.target] + _base_.pack)
val_pipeline = val_sampling + _base_.decode + _base_.test_crop + [_base_.target] + _base_.pack
test_pipeline = (test_sampling + _base_.decode + _base_.test_crop + [_base_.target_flip] +
                 _base_.pack)

model = dict(backbone=dict(temporal_strides=(1, 1, 1)))
train_dataloader = dict(dataset=dict(dataset=dict(split='xsub_train_minus_val',
                                                  pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(split='xsub_val', pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
train_cfg = dict(max_epochs=18)
default_hooks = dict(checkpoint=dict(save_best='acc/top1'))
