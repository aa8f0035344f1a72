# Online MG recognition on SMG streams, frame-level temporal model (see
# configs/imigue/online_bigru_temporal.py): 25 Kinect joints, centred per window.
_base_ = ['../_base_/default_runtime.py', '../_base_/online/smg_streams.py']
custom_imports = dict(imports=['mmimigue.registration'], allow_failed_imports=False)

model = dict(
    type='MGOnlineTemporalNet', num_classes={{_base_.num_classes}},
    num_joints={{_base_.num_joints}}, layout='ntu25', hidden=128, num_layers=2, dropout=0.2,
    background_weight=0.5, boundary_weight=0.5, window={{_base_.window}},
    stride={{_base_.stride}}, postprocess=dict(smooth_frames=5, min_frames=6, merge_gap=4))
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=1e-3, weight_decay=1e-4),
                     clip_grad=dict(max_norm=5))
# keep the checkpoint with the best segment F1 (mmengine cannot infer the rule for online/f1)
default_hooks = dict(checkpoint=dict(save_best='online/f1', rule='greater'))
