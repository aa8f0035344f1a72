# iMiGUE skeletons, bone stream (joint minus parent, layout-aware): the joint base with
# `feats=['b']` in every pipeline.
_base_ = './imigue_skeleton_pixel_joint.py'

layout = 'imigue22'
feats = ['b']
clip_len = 64

train_pipeline = [
    dict(type='PreNormalize2D'),
    dict(type='MGGenSkeFeat', layout=layout, feats=feats),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='PreNormalize2D'),
    dict(type='MGGenSkeFeat', layout=layout, feats=feats),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='PreNormalize2D'),
    dict(type='MGGenSkeFeat', layout=layout, feats=feats),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]

train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
