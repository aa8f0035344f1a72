# SMG clip-level 3D Kinect skeletons (NTU 25-joint layout, world metres), cross-subject with test
# subjects 36-40, joint stream: PreNormalize3D (mmaction2's NTU normalisation), x / y / z, one
# view at validation and 10 temporal crops at test time. Switch streams with `feats` (bone: see
# configs/smg/2s-agcn_1xb32-bone-u64-80e_smg-xsub-keypoint-3d.py).
dataset_type = 'MGSMGSkeletonDataset'
ann_file = 'data/smg/smg_skeleton.pkl'
layout = 'ntu25'
num_joints = 25
in_channels = 3  # x, y, z
num_classes = 17
feats = ['j']
clip_len = 64

# The pipelines' named pieces: the bone base replaces `features`.
features = [dict(type='PreNormalize3D'), dict(type='MGGenSkeFeat', layout=layout, feats=feats)]
train_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len)]
val_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1, test_mode=True)]
test_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10,
                      test_mode=True)]
pack = [dict(type='PoseDecode'), dict(type='FormatGCNInput', num_person=1),
        dict(type='PackActionInputs')]
train_pipeline = features + train_sampling + pack
val_pipeline = features + val_sampling + pack
test_pipeline = features + test_sampling + pack

# SMG is small (about 3k clips): an epoch sees the training split `repeat` times
repeat = 5
# Training subjects minus every fifth (xsub_train_minus_val); the checkpoint is chosen on those
# held-out training subjects (xsub_val), the test subjects (xsub_test) are only tested.
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='RepeatDataset', times=repeat,
                 dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=train_pipeline,
                              split='xsub_train_minus_val', layout=layout)))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=val_pipeline,
                 split='xsub_val', layout=layout, test_mode=True))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=test_pipeline,
                 split='xsub_test', layout=layout, test_mode=True))

val_evaluator = [dict(type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'))]
test_evaluator = val_evaluator
