# PoseC3D on iMiGUE, limb heat maps: one channel per imigue22 limb (21), each a Gaussian line
# between its two joints; the keypoint config's model, data and schedule otherwise. Fuse with
# the keypoint model, e.g. weights 0.4 (joint) / 0.6 (limb) as the MiGA 2023 winner did, or
# searched on a validation split (tools/analysis/fuse_scores.py --search).
_base_ = './slowonly_r50_1xb16-u48-24e_imigue-xsub-keypoint.py'

heatmap_channels = 21
target = dict(_base_.target, with_kp=False, with_limb=True)
target_flip = dict(_base_.target_flip, with_kp=False, with_limb=True)
train_pipeline = (_base_.train_sampling + _base_.decode + _base_.train_crop + _base_.flip +
                  [target] + _base_.pack)
val_pipeline = _base_.val_sampling + _base_.decode + _base_.test_crop + [target] + _base_.pack
test_pipeline = (_base_.test_sampling + _base_.decode + _base_.test_crop + [target_flip] +
                 _base_.pack)

model = dict(backbone=dict(in_channels=heatmap_channels))
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))  # in RepeatDataset
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
