# The MiGA 2023 winner's limb model (VUT-HFUT/MiGA2023_Track1, .../emb20/limb.py): the
# label-embedding keypoint recipe on limb heat maps (21 imigue22 limbs); the winner fused
# joint 0.4 + limb 0.6 (tools/analysis/fuse_scores.py --weights 0.4 0.6).
_base_ = './slowonly_r50_1xb16-u48-labelemb-100e_imigue-xsub-keypoint.py'

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
