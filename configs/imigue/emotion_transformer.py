# Video-level emotion (win / lose) from the clips' predicted MG labels ("textual predictions"):
# label embedding, a prepended [class] token and positional encoding into a Transformer
# encoder, classified at the [class] output (visual-text MG paper, Eq. 5; 0.63 on iMiGUE;
# AdamW, cross-entropy, lr 1e-5).
# Stage 1 as in configs/imigue/emotion_lstm.py (tools/extract_clip_outputs.py).
# Input modality: 'pred_label' (paper), 'gt_label' (upper bound) with input_type='label';
# 'prob' / 'score' / 'feature' with input_type='vector' (and in_channels = the vector size).
# Change it in all three dataloaders, e.g.
#   --cfg-options train_dataloader.dataset.modality=gt_label \
#       val_dataloader.dataset.modality=gt_label test_dataloader.dataset.modality=gt_label
_base_ = ['../_base_/default_runtime.py']

ann_file = 'data/imigue/clip_outputs.pkl'
modality = 'pred_label'
split_file = None  # JSON with emotion_train_videos / emotion_test_videos; official when None
in_channels = 32  # MG classes for labels; vector size for 'vector' inputs
embed_dims = 256

model = dict(
    type='RecognizerEmotion',
    backbone=dict(type='EmotionTransformer', in_channels=in_channels, input_type='label',
                  embed_dims=embed_dims, num_layers=2, num_heads=4, feedforward_channels=512,
                  dropout=0.1, pos_encoding='sinusoidal'),
    # TimeSformerHead is mmaction2's plain dropout + linear head on (N, C) features
    cls_head=dict(type='TimeSformerHead', num_classes=2, in_channels=embed_dims,
                  dropout_ratio=0.0, topk=(1, ), average_clips='prob'))

dataset_type = 'IMiGUEEmotionDataset'
train_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='emotion_pad_collate'),
    dataset=dict(type=dataset_type, ann_file=ann_file, split='train', modality=modality,
                 split_file=split_file))
val_dataloader = dict(
    batch_size=16,
    num_workers=0,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    collate_fn=dict(type='emotion_pad_collate'),
    dataset=dict(type=dataset_type, ann_file=ann_file, split='test', modality=modality,
                 split_file=split_file, test_mode=True))
test_dataloader = val_dataloader

# The protocol has no validation videos: validation runs on the test videos for monitoring only
# (no best-checkpoint selection); report the test metrics of the last epoch.
val_evaluator = dict(type='EmotionMetric')
test_evaluator = dict(type='EmotionMetric',
                      out_file='work_dirs/emotion_transformer/test_predictions.csv')

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=200, val_begin=1, val_interval=20)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-5, weight_decay=0.01),
    clip_grad=dict(max_norm=1.0))
param_scheduler = []

default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=20, max_keep_ckpts=1, save_best=None, save_last=True))
randomness = dict(seed=4)
