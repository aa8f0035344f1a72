# PoseC3D on SMG, limb heat maps: one channel per ntu25 limb (24); the SMG keypoint config
# otherwise. Fuse with the keypoint model (tools/analysis/fuse_scores.py).
_base_ = './slowonly_r50_1xb16-u48-24e_smg-xsub-keypoint.py'

heatmap_channels = 24
target = dict(_base_.target, with_kp=False, with_limb=True)
target_flip = dict(_base_.target_flip, with_kp=False, with_limb=True)
train_pipeline = (_base_.project + _base_.train_sampling + _base_.decode + _base_.train_crop +
                  _base_.flip + [target] + _base_.pack)
val_pipeline = (_base_.project + _base_.val_sampling + _base_.decode + _base_.test_crop +
                [target] + _base_.pack)
test_pipeline = (_base_.project + _base_.test_sampling + _base_.decode + _base_.test_crop +
                 [target_flip] + _base_.pack)

model = dict(backbone=dict(in_channels=heatmap_channels))
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
