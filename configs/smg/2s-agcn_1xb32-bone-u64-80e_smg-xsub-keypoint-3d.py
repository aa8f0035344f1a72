# 2s-AGCN, bone stream, on SMG 3D Kinect joints (NTU 25-joint layout), cross-subject.
_base_ = '2s-agcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py'

feats = ['b']
clip_len = 64
train_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='MGGenSkeFeat', layout='ntu25', feats=feats),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='MGGenSkeFeat', layout='ntu25', feats=feats),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='MGGenSkeFeat', layout='ntu25', feats=feats),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(dataset=dict(pipeline=train_pipeline)))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
