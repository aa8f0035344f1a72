# SMG clips as two augmented views for MoCo pretraining: 25 Kinect joints, x / y / z
# normalised by mmaction2's PreNormalize3D.
# Views: the MG paper's best augmentation combination, coordinate perturbation + stretch +
# posterize time (sec. 5.1.3), drawn independently per view by MGMultiView on shared frames
# (view 0 query, view 1 key). KNN evaluation of the frozen features: train split as memory
# bank, test split as queries, every 50 epochs.
dataset_type = 'MGSMGSkeletonDataset'
ann_file = 'data/smg/smg_skeleton.pkl'
layout = 'ntu25'
num_joints = 25
num_classes = 17
clip_len = 64

view_pipeline = [
    dict(type='MGCoordinatePerturb'),
    dict(type='MGStretch'),
    dict(type='MGPosterizeTime'),
    dict(type='MGGenSkeFeat', layout=layout, feats=['j']),
    dict(type='FormatGCNInput', num_person=1),
]
train_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='MGMultiView', transforms=view_pipeline, num_views=2),  # view 0 query, 1 key
    dict(type='PackActionInputs')
]
feature_pipeline = [  # deterministic clips for the KNN memory bank and queries
    dict(type='PreNormalize3D'),
    dict(type='MGGenSkeFeat', layout=layout, feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=True,  # MoCo's queue needs a constant global batch
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=train_pipeline,
                 split='xsub_train', layout=layout))
knn_loader = dict(
    batch_size=32,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=feature_pipeline,
                 split='xsub_train', layout=layout, test_mode=True))
custom_hooks = [
    dict(type='MGKNNEvalHook',
         bank_dataloader=knn_loader,
         query_dataloader=dict(knn_loader, dataset=dict(knn_loader['dataset'], split='xsub_test')),
         k=(1, 20), distance='cosine', interval=50)
]
