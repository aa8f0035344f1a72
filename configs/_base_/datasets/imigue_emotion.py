# iMiGUE video-level emotion (win / lose) from stored clip-level MG outputs
# (tools/extract_clip_outputs.py), official emotion split (102 train / 100 test videos) unless
# `split_file` names one. `modality` picks the per-clip input: 'prob', 'score', 'pred_label',
# 'gt_label' or 'feature'. The protocol has no validation videos: validation runs on the test
# videos for monitoring only (no best-checkpoint selection); report the last epoch's test metrics.
dataset_type = 'MGIMiGUEEmotionDataset'
ann_file = 'data/imigue/clip_outputs.pkl'
modality = 'prob'
split_file = None  # JSON with emotion_train_videos / emotion_test_videos; official when None

train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='mg_emotion_pad_collate'),
    dataset=dict(type=dataset_type, ann_file=ann_file, split='train', modality=modality,
                 split_file=split_file))
val_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='mg_emotion_pad_collate'),
    dataset=dict(type=dataset_type, ann_file=ann_file, split='test', modality=modality,
                 split_file=split_file, test_mode=True))
test_dataloader = val_dataloader

val_evaluator = dict(type='MGEmotionMetric')
test_evaluator = dict(type='MGEmotionMetric', out_file='work_dirs/emotion/test_predictions.csv')
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
