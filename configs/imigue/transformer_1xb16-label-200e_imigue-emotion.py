# Video-level emotion (win / lose) from the clips' predicted MG labels ("textual predictions"):
# label embedding, a prepended [class] token and positional encoding into a Transformer
# encoder, classified at the [class] output (visual-text MG paper, Eq. 5; 0.63 on iMiGUE;
# AdamW, cross-entropy, lr 1e-5).
# Stage 1 as in configs/imigue/lstm_1xb16-prob-100e_imigue-emotion.py (tools/extract_clip_outputs.py).
# Input modality: 'pred_label' (paper), 'gt_label' (upper bound) with input_type='label';
# 'prob' / 'score' / 'feature' with input_type='vector' (and in_channels = the vector size).
# Change it in all three dataloaders, e.g.
#   --cfg-options train_dataloader.dataset.modality=gt_label \
#       val_dataloader.dataset.modality=gt_label test_dataloader.dataset.modality=gt_label
_base_ = ['../_base_/default_runtime.py', '../_base_/datasets/imigue_emotion.py']

modality = 'pred_label'
in_channels = 32  # MG classes for labels; vector size for 'vector' inputs
embed_dims = 256

model = dict(
    type='MGRecognizerEmotion',
    backbone=dict(type='MGEmotionTransformer', in_channels=in_channels, input_type='label',
                  embed_dims=embed_dims, num_layers=2, num_heads=4, feedforward_channels=512,
                  dropout=0.1, pos_encoding='sinusoidal'),
    # TimeSformerHead is mmaction2's plain dropout + linear head on (N, C) features
    cls_head=dict(type='TimeSformerHead', num_classes=2, in_channels=embed_dims,
                  dropout_ratio=0.0, topk=(1, ), average_clips='prob'))

train_dataloader = dict(dataset=dict(modality=modality))
val_dataloader = dict(dataset=dict(modality=modality))
test_dataloader = val_dataloader
test_evaluator = dict(out_file='work_dirs/transformer_1xb16-label-200e_imigue-emotion/test_predictions.csv')

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=200, val_begin=1, val_interval=20)

optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-5, weight_decay=0.01),
    clip_grad=dict(max_norm=1.0))
param_scheduler = []

default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=20, max_keep_ckpts=1, save_best=None, save_last=True))
randomness = dict(seed=4)
