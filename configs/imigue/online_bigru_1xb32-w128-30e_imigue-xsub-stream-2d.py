# Online MG recognition on iMiGUE streams, frame-level temporal model: body-unit joints and
# their motion per frame -> 2-layer MGBiGRU (128 per direction) -> per-frame class (32 MGs +
# background) and start / end boundary outputs; the stream is read in 128-frame windows every
# 32 frames, runs of one class become segments (docs/online.md).
#   python tools/train.py configs/imigue/online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d.py
#   python tools/online_detect.py configs/imigue/online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d.py CKPT \
#       --ann data/imigue/labels.csv --skeleton-root data/imigue/skeleton --out det.json
# keep the checkpoint with the best segment F1 (mmengine cannot infer the rule for online/f1)
_base_ = [
    '../_base_/online_runtime.py',
    '../_base_/datasets/imigue_streams.py',
    '../_base_/schedules/online_adamw_30e.py'
]

model = dict(
    type='MGOnlineTemporalNet', num_classes={{_base_.num_classes}}, layout={{_base_.layout}},
    num_joints={{_base_.num_joints}}, hidden=128, num_layers=2, dropout=0.2,
    background_weight=0.5, boundary_weight=0.5, window={{_base_.window}},
    stride={{_base_.stride}}, postprocess={{_base_.postprocess}})
