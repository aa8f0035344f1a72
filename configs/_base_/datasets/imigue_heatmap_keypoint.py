# iMiGUE clips as PoseC3D heat-map volumes (mmaction2's posec3d/ pipeline, unchanged): 22-joint
# upper body in pixels, 48 uniformly sampled frames, PoseCompact to the speaker's box, 56 x 56
# crops for training and 64 x 64 for testing, one Gaussian per joint (sigma 0.6, weighted by the
# OpenPose score, so a missing fingertip draws nothing), left-right flip with the imigue22 pairs.
# Limb volumes: configs/imigue/posec3d/*-limb.py. mmaction2 1.2.0's PoseCompact needs numpy < 2; the
# mmimigue compat layer fixes that (mmimigue.compat.patch_pose_compact_numpy2).
dataset_type = 'MGIMiGUESkeletonDataset'
ann_file = 'data/imigue/imigue_skeleton.pkl'
layout = 'imigue22'
num_joints = 22
num_classes = 32
clip_len = 48
# speaker's left side and right-side partners (shoulder, elbow, wrist, eye, ear, fingertips)
left_kp = [5, 6, 7, 9, 11, 12, 13, 14, 15, 16]
right_kp = [2, 3, 4, 8, 10, 17, 18, 19, 20, 21]
# one heat-map channel per joint (22) or per limb (the imigue22 tree: 21 edges)
with_kp, with_limb = True, False
heatmap_channels = 22
skeletons = [[0, 1], [1, 2], [2, 3], [3, 4], [1, 5], [5, 6], [6, 7], [0, 8], [8, 10], [0, 9],
             [9, 11], [7, 12], [7, 13], [7, 14], [7, 15], [7, 16], [4, 17], [4, 18], [4, 19],
             [4, 20], [4, 21]]
target = dict(type='GeneratePoseTarget', sigma=0.6, use_score=True, with_kp=with_kp,
              with_limb=with_limb, skeletons=skeletons)
# the same limbs under a left-right flip (indices into `skeletons`; tests check the mirror)
left_limb = [4, 5, 6, 9, 10, 11, 12, 13, 14, 15]
right_limb = [1, 2, 3, 7, 8, 16, 17, 18, 19, 20]
target_flip = dict(target, double=True, left_kp=left_kp, right_kp=right_kp, left_limb=left_limb,
                   right_limb=right_limb)
pack = [dict(type='FormatShape', input_format='NCTHW_Heatmap'), dict(type='PackActionInputs')]
# The pipelines' named pieces: the limb configs and SMG's base swap `target` / the sampling.
train_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len)]
val_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1, test_mode=True)]
test_sampling = [dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10,
                      test_mode=True)]
decode = [dict(type='PoseDecode'), dict(type='PoseCompact', hw_ratio=1., allow_imgpad=True)]
train_crop = [
    dict(type='Resize', scale=(-1, 64)),
    dict(type='RandomResizedCrop', area_range=(0.56, 1.0)),
    dict(type='Resize', scale=(56, 56), keep_ratio=False),
]
test_crop = [dict(type='Resize', scale=(-1, 64)), dict(type='CenterCrop', crop_size=64)]
flip = [dict(type='Flip', flip_ratio=0.5, left_kp=left_kp, right_kp=right_kp)]
train_pipeline = train_sampling + decode + train_crop + flip + [target] + pack
val_pipeline = val_sampling + decode + test_crop + [target] + pack
# the clip and its mirror image, averaged by the head
test_pipeline = test_sampling + decode + test_crop + [target_flip] + pack

# Training subjects minus every fifth (xsub_train_minus_val); the checkpoint is chosen on those
# held-out training subjects (xsub_val), the test subjects (xsub_test) are only tested.
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='RepeatDataset', times=10,  # mmaction2's PoseC3D epochs: 10 passes
                 dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=train_pipeline,
                              split='xsub_train_minus_val', layout=layout)))
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
