# Online MG recognition on SMG streams, frame-level temporal model (see
# configs/imigue/online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d.py): 25 Kinect joints, centred per window.
# keep the checkpoint with the best segment F1 (mmengine cannot infer the rule for online/f1)
_base_ = [
    '../_base_/online_runtime.py',
    '../_base_/datasets/smg_streams.py',
    '../_base_/schedules/online_adamw_30e.py'
]

model = dict(
    type='MGOnlineTemporalNet', num_classes={{_base_.num_classes}}, layout={{_base_.layout}},
    num_joints={{_base_.num_joints}}, hidden=128, num_layers=2, dropout=0.2,
    background_weight=0.5, boundary_weight=0.5, window={{_base_.window}},
    stride={{_base_.stride}}, postprocess={{_base_.postprocess}})
