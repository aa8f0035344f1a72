# Live (causal) MG recognition on SMG streams (see
# configs/imigue/online_causal-gru_1xb32-w128-30e_imigue-xsub-stream-2d.py): 25 Kinect joints,
# every frame centred on its own centre joint.
# keep the checkpoint with the best segment F1 on xsub_val (mmengine cannot infer the rule)
_base_ = [
    '../_base_/online_runtime.py',
    '../_base_/datasets/smg_streams.py',
    '../_base_/schedules/online_adamw_30e.py'
]

model = dict(
    type='MGCausalStreamDetector', num_classes={{_base_.num_classes}}, layout={{_base_.layout}},
    hidden=192, num_layers=2, dropout=0.2, background_weight=0.5, boundary_weight=0.5,
    window={{_base_.window}}, stride={{_base_.stride}}, postprocess={{_base_.postprocess}})
