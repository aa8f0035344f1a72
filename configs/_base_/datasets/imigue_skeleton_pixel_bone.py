# The papers' iMiGUE skeleton input (configs/imigue/paper/): mmaction2's PreNormalize2D (image
# pixels -> [-1, 1]) with the OpenPose score as a third channel, no augmentation, bone stream
# (joint minus parent, layout-aware).
# Everything else (dataset, splits, loaders, 10-crop test, metrics) is the default recipe's base.
_base_ = './imigue_skeleton_joint.py'

in_channels = 3
features = [dict(type='PreNormalize2D'),
            dict(type='MGGenSkeFeat', layout=_base_.layout, feats=['b'])]
pack = [dict(type='PoseDecode'), dict(type='FormatGCNInput', num_person=1),
        dict(type='PackActionInputs')]
train_pipeline = features + _base_.train_sampling + pack
val_pipeline = features + _base_.val_sampling + pack
test_pipeline = features + _base_.test_sampling + pack

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
