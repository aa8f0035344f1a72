# Online MG recognition on iMiGUE streams, frame-level temporal model: body-unit joints and
# their motion per frame -> 2-layer BiGRU (128 per direction) -> per-frame class (32 MGs +
# background) and start / end boundary outputs; the stream is read in 128-frame windows every
# 32 frames, runs of one class become segments (docs/online.md).
#   python tools/train.py configs/imigue/online_bigru_temporal.py
#   python tools/online_detect.py configs/imigue/online_bigru_temporal.py CKPT \
#       --ann data/imigue/labels.csv --skeleton-root data/imigue/skeleton --out det.json
_base_ = ['../_base_/default_runtime.py', '../_base_/online/imigue_streams.py']

model = dict(
    type='MGOnlineTemporalNet', num_classes={{_base_.num_classes}},
    num_joints={{_base_.num_joints}}, hidden=128, num_layers=2, dropout=0.2,
    background_weight=0.5, boundary_weight=0.5, window={{_base_.window}},
    stride={{_base_.stride}}, postprocess=dict(smooth_frames=5, min_frames=6, merge_gap=4))
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=1e-3, weight_decay=1e-4),
                     clip_grad=dict(max_norm=5))
# keep the checkpoint with the best segment F1 (mmengine cannot infer the rule for online/f1)
default_hooks = dict(checkpoint=dict(save_best='online/f1', rule='greater'))
