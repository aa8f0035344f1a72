# iMiGUE whole skeleton streams for online MG recognition (docs/online.md): training windows of
# `window` frames every `stride` frames (MG-free windows kept at 30 %) of the training subjects
# minus every fifth (`xsub_train_minus_val`); whole streams of those held-out training subjects
# (`xsub_val`) choose the checkpoint, the test subjects' (`xsub_test`) are only tested; scored
# by the strict segment F1 at tIoU 0.5, the organisers' kit F1 and mAP at 0.3 / 0.5 / 0.7.
# Write the streams with
#   python tools/data/imigue/convert.py --ann labels.csv --skeleton-root skeleton \
#       --out data/imigue/imigue_skeleton.pkl --streams data/imigue/imigue_streams.pkl
dataset_type = 'MGStreamDataset'
ann_file = 'data/imigue/imigue_streams.pkl'
num_classes = 32
layout = 'imigue22'  # the joints the streams hold (the streams pickle records it too)
num_joints = 22
window = 128
stride = 32
pipeline = [dict(type='MGPackStream')]

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, ann_file=ann_file, split='xsub_train_minus_val', window=window,
                 stride=stride, background_keep=0.3, pipeline=pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, split='xsub_val', test_mode=True,
                 pipeline=pipeline))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, split='xsub_test', test_mode=True,
                 pipeline=pipeline))
val_evaluator = dict(type='MGOnlineDetectionMetric', iou_thr=0.5, map_thrs=(0.3, 0.5, 0.7))
test_evaluator = val_evaluator
