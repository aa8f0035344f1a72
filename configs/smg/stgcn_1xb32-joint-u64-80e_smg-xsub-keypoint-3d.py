# ST-GCN on SMG 3D Kinect joints (NTU 25-joint layout), cross-subject (test subjects 36-40).
# Batch 32 and 64-frame clips follow the GE-CN paper's SMG setting; optimiser and schedule are
# mmaction2's ST-GCN NTU recipe (SGD 0.1, nesterov, cosine, 16 epochs x 5 repeats = 80).
_base_ = '../_base_/default_runtime.py'
custom_imports = dict(imports=['mmimigue'], allow_failed_imports=False)

model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='STGCN', graph_cfg=dict(layout='ntu25', mode='stgcn_spatial'), num_person=1),
    cls_head=dict(type='GCNHead', num_classes=17, in_channels=256))

dataset_type = 'SMGSkeletonDataset'
ann_file = 'data/smg/smg_skeleton.pkl'
feats = ['j']
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

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='RepeatDataset',
        times=5,
        dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=train_pipeline,
                     split='xsub_train')))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=val_pipeline,
                 split='xsub_test', test_mode=True))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=test_pipeline,
                 split='xsub_test', test_mode=True))

val_evaluator = [dict(type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'))]
test_evaluator = val_evaluator

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=16, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True,
         convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0005, nesterov=True))

default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=100))
auto_scale_lr = dict(enable=False, base_batch_size=32)
