# PoseC3D on SMG, limb heat maps: one channel per ntu25 limb (24); the SMG keypoint config
# otherwise. Fuse with the keypoint model (tools/analysis/fuse_scores.py).
_base_ = './slowonly_r50_1xb16-u48-24e_smg-xsub-keypoint.py'

heatmap_channels = 24
target = dict(_base_.target, with_kp=False, with_limb=True)
target_flip = dict(_base_.target_flip, with_kp=False, with_limb=True)
pack = _base_.pack
train_pipeline = _base_.train_pipeline[:-3] + [target] + pack
val_pipeline = _base_.val_pipeline[:-3] + [target] + pack
test_pipeline = _base_.test_pipeline[:-3] + [target_flip] + pack

model = dict(backbone=dict(in_channels=heatmap_channels))
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
