# SMG whole Kinect streams for online MG recognition (docs/online.md): training windows of
# `window` frames every `stride` frames (MG-free windows kept at 30 %) of the training subjects
# minus every fifth (`xsub_train_minus_val`); whole streams of those held-out training subjects
# (`xsub_val`) choose the checkpoint, the test subjects' (`xsub_test`) are only tested; scored
# by the strict segment F1 at tIoU 0.5, the organisers' kit F1 and mAP at 0.3 / 0.5 / 0.7;
# 25 Kinect joints (x, y, z), 17 classes. Write them with
#   python tools/data/smg/convert.py --root SMG --out data/smg/smg_skeleton.pkl \
#       --streams data/smg/smg_streams.pkl
dataset_type = 'MGStreamDataset'
ann_file = 'data/smg/smg_streams.pkl'
num_classes = 17
layout = 'ntu25'  # the joints the streams hold (the streams pickle records it too)
num_joints = 25
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
