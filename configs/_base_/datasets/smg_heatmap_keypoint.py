# SMG clips as PoseC3D heat-map volumes: mmaction2's posec3d pipeline on the 25 Kinect joints in
# pixels (MGProjectKinect2D: the release's own colour-camera pixel values where the converted
# clip has them, a pinhole projection of the camera-space joints otherwise), one Gaussian per
# joint, flip pairs of the NTU / Kinect v2 layout, test subjects 36-40.
# Limb volumes: configs/smg/posec3d/*-limb.py.
dataset_type = 'MGSMGSkeletonDataset'
ann_file = 'data/smg/smg_skeleton.pkl'
layout = 'ntu25'
num_joints = 25
num_classes = 17
clip_len = 48
# Kinect left arm / leg / hand and their right partners (0-based NTU joints)
left_kp = [4, 5, 6, 7, 12, 13, 14, 15, 21, 22]
right_kp = [8, 9, 10, 11, 16, 17, 18, 19, 23, 24]
# one heat-map channel per joint (25) or per limb (the NTU tree: 24 edges)
with_kp, with_limb = True, False
heatmap_channels = 25
skeletons = [[0, 1], [1, 20], [2, 20], [3, 2], [4, 20], [5, 4], [6, 5], [7, 6], [8, 20], [9, 8],
             [10, 9], [11, 10], [12, 0], [13, 12], [14, 13], [15, 14], [16, 0], [17, 16],
             [18, 17], [19, 18], [21, 22], [22, 7], [23, 24], [24, 11]]
target = dict(type='GeneratePoseTarget', sigma=0.6, use_score=True, with_kp=with_kp,
              with_limb=with_limb, skeletons=skeletons)
# the same limbs under a left-right flip (indices into `skeletons`)
left_limb = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21]
right_limb = [8, 9, 10, 11, 16, 17, 18, 19, 22, 23]
target_flip = dict(target, double=True, left_kp=left_kp, right_kp=right_kp, left_limb=left_limb,
                   right_limb=right_limb)
project = [dict(type='MGProjectKinect2D')]
pack = [dict(type='FormatShape', input_format='NCTHW_Heatmap'), dict(type='PackActionInputs')]
# The pipelines' named pieces: the limb config swaps `target`.
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
train_pipeline = project + train_sampling + decode + train_crop + flip + [target] + pack
val_pipeline = project + val_sampling + decode + test_crop + [target] + pack
# the clip and its mirror image, averaged by the head
test_pipeline = project + test_sampling + decode + test_crop + [target_flip] + pack

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
