# Video-level emotion (win / lose) from clip-level MG results: 3-layer LSTM over the clips'
# probability vectors, in temporal order (iMiGUE, CVPR 2021, Sec. 5.4; TSM + LSTM: 0.60).
# Stage 1: train a clip model (e.g. configs/imigue/stgcn_*.py) and write its outputs with
#   python tools/extract_clip_outputs.py CLIP_CONFIG CLIP_CKPT --out data/imigue/clip_outputs.pkl
# Stage 2: python tools/train.py configs/imigue/lstm_1xb16-prob-100e_imigue-emotion.py && python tools/test.py
# ...
# Input modality: 'prob' (paper), 'score', 'pred_label', 'gt_label' (upper bound) or 'feature'
# (then set in_channels to the feature size); change it in all three dataloaders, e.g.
#   --cfg-options train_dataloader.dataset.modality=gt_label \
#       val_dataloader.dataset.modality=gt_label test_dataloader.dataset.modality=gt_label
_base_ = ['../_base_/default_runtime.py', '../_base_/datasets/imigue_emotion.py']

modality = 'prob'
in_channels = 32  # MG classes (prob / score / labels); the feature size for 'feature'
hidden_channels = 256

model = dict(
    type='MGRecognizerEmotion',
    backbone=dict(type='MGEmotionLSTM', in_channels=in_channels,
                  hidden_channels=hidden_channels, num_layers=3, dropout=0.0),
    # TimeSformerHead is mmaction2's plain dropout + linear head on (N, C) features
    cls_head=dict(type='TimeSformerHead', num_classes=2, in_channels=hidden_channels,
                  dropout_ratio=0.0, topk=(1, ), average_clips='prob'))

train_dataloader = dict(dataset=dict(modality=modality))
val_dataloader = dict(dataset=dict(modality=modality))
test_dataloader = val_dataloader
test_evaluator = dict(out_file='work_dirs/lstm_1xb16-prob-100e_imigue-emotion/test_predictions.csv')

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=100, val_begin=1, val_interval=10)

optim_wrapper = dict(
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-4),
    clip_grad=dict(max_norm=1.0))
param_scheduler = []

default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=10, max_keep_ckpts=1, save_best=None, save_last=True))
randomness = dict(seed=0)
