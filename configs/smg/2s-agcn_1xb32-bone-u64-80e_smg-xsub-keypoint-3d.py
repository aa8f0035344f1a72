# 2s-AGCN, bone stream (joint minus parent), on SMG 3D Kinect joints (NTU 25-joint layout),
# cross-subject: the joint config with MGGenSkeFeat(feats=['b']).
_base_ = '2s-agcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py'

feats = ['b']
features = [dict(type='PreNormalize3D'), dict(type='MGGenSkeFeat', layout='ntu25', feats=feats)]
train_pipeline = features + _base_.train_pipeline[2:]
val_pipeline = features + _base_.val_pipeline[2:]
test_pipeline = features + _base_.test_pipeline[2:]
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
