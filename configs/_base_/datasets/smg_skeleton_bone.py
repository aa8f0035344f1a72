# SMG skeletons, bone stream (joint minus parent on the NTU / Kinect tree): the joint base's
# recipe with `feats=['b']`.
_base_ = './smg_skeleton_joint.py'

feats = ['b']
features = [dict(type='PreNormalize3D'), dict(type='MGGenSkeFeat', layout=_base_.layout, feats=feats)]
train_pipeline = features + _base_.train_sampling + _base_.pack
val_pipeline = features + _base_.val_sampling + _base_.pack
test_pipeline = features + _base_.test_sampling + _base_.pack

train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))  # in RepeatDataset
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
