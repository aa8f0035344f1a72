# iMiGUE clip-level skeletons, cross-subject protocol, 22-joint upper body, joint stream: the
# default recipe's data (docs/recipes.md).
# - body units (MGNormalizeBody2D: neck origin, unit shoulder width, per clip), x / y only: where
#   a speaker sits, how large they appear and how confident the detector is are subject identity;
# - training augmentations that keep the MG class: a left-right flip (a gesture done with the
#   other hand is the same gesture), a mild view rotation and body-shape stretch (MG paper's
#   eq. 4-8, ranges narrowed for frontal 2D), applied to the sampled frames;
# - 10 temporal crops at test time, one at validation.
# Switch streams with `feats` (['b'] bone, ['jm'] joint motion, ['bm'] bone motion) and joints with
# `layout` ('imigue22', 'body25', 'openpose137'; the backbone's graph_cfg and the flip pairs must
# match). The papers' own input (PreNormalize2D pixels + score channel, no augmentation) is
# imigue_skeleton_pixel_joint.py, used by configs/imigue/paper/.
dataset_type = 'MGIMiGUESkeletonDataset'
ann_file = 'data/imigue/imigue_skeleton.pkl'
layout = 'imigue22'
num_joints = 22
num_classes = 32
feats = ['j']
clip_len = 64
in_channels = 2
# imigue22 joints of the speaker's left side and their right-side partners (graphs.py order:
# shoulder, elbow, wrist, eye, ear, five fingertips).
left_kp = [5, 6, 7, 9, 11, 12, 13, 14, 15, 16]
right_kp = [2, 3, 4, 8, 10, 17, 18, 19, 20, 21]

# The pipelines' named pieces: the bone / motion / pixel bases replace `features` (or the
# normalisation) and assemble the same pieces, so a change here reaches every stream.
flip = [dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp)]  # pixels: first
normalize = [dict(type='MGNormalizeBody2D')]
train_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len)]
val_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1, test_mode=True)]
test_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10,
                      test_mode=True)]
decode = [dict(type='PoseDecode')]
augment = [
    dict(type='MGViewPerturb', wide_range=0.5236, narrow_range=0.1745, p=0.5),  # pi/6, pi/18
    dict(type='MGStretch', shape_range=(0.85, 1.15), tilt_range=(-0.1, 0.1), p=0.5),
]
features = [dict(type='MGGenSkeFeat', layout=layout, feats=feats, with_score=False)]
pack = [dict(type='FormatGCNInput', num_person=1), dict(type='PackActionInputs')]
train_pipeline = flip + normalize + train_sampling + decode + augment + features + pack
val_pipeline = normalize + val_sampling + decode + features + pack
test_pipeline = normalize + test_sampling + decode + features + pack

# Training subjects minus every fifth (xsub_train_minus_val); the checkpoint is chosen on those
# held-out training subjects (xsub_val), the test subjects (xsub_test) are only tested.
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=train_pipeline,
                 split='xsub_train_minus_val', layout=layout))
val_dataloader = dict(
    batch_size=16,
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

val_evaluator = [
    dict(type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'),
         metric_options=dict(top_k_accuracy=dict(topk=(1, 5))))
]
test_evaluator = val_evaluator
