# iMiGUE clip-level skeletons, cross-subject protocol, 22-joint upper body, joint stream.
# Switch streams with `feats` (['b'] bone, ['jm'] joint motion, ['bm'] bone motion) and joints with
# `layout` ('imigue22', 'body25', 'openpose137'; the backbone's graph_cfg must match).
dataset_type = 'IMiGUESkeletonDataset'
ann_file = 'data/imigue/imigue_skeleton.pkl'
layout = 'imigue22'
feats = ['j']
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

train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=train_pipeline,
                 split='xsub_train', layout=layout))
val_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=val_pipeline,
                 split='xsub_test', layout=layout, test_mode=True))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=test_pipeline,
                 split='xsub_test', layout=layout, test_mode=True))

val_evaluator = [
    dict(type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'),
         metric_options=dict(top_k_accuracy=dict(topk=(1, 5))))
]
test_evaluator = val_evaluator
