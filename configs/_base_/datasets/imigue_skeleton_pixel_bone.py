# The papers' iMiGUE skeleton input, bone stream (joint minus parent, layout-aware).
_base_ = './imigue_skeleton_pixel_joint.py'

features = [dict(type='PreNormalize2D'),
            dict(type='MGGenSkeFeat', layout=_base_.layout, feats=['b'])]
train_pipeline = features + _base_.train_pipeline[2:]
val_pipeline = features + _base_.val_pipeline[2:]
test_pipeline = features + _base_.test_pipeline[2:]

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
