# Online MG recognition on SMG streams, sliding-window baseline (see
# configs/imigue/online_stgcn_window.py): ST-GCN on the ntu25 graph, x / y / z centred per window.
_base_ = ['../_base_/default_runtime.py', '../_base_/online/smg_streams.py']
custom_imports = dict(imports=['mmimigue.registration'], allow_failed_imports=False)

window = 64
stride = 16
model = dict(
    type='MGSlidingWindowDetector', num_classes={{_base_.num_classes}}, layout='ntu25',
    window=window, stride=stride, postprocess=dict(smooth_frames=5, min_frames=6, merge_gap=4),
    recognizer=dict(
        type='RecognizerGCN',
        backbone=dict(type='STGCN', in_channels=3, num_person=1,
                      graph_cfg=dict(layout='ntu25', mode='stgcn_spatial')),
        cls_head=dict(type='GCNHead', num_classes=18, in_channels=256)))
train_dataloader = dict(batch_size=16, dataset=dict(window=window, stride=stride))
train_cfg = dict(max_epochs=30, val_interval=5)
# the default recipe's optimiser (configs/_base_/schedules/sgd_cosine_80e.py)
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
# keep the checkpoint with the best segment F1 (mmengine cannot infer the rule for online/f1)
default_hooks = dict(checkpoint=dict(save_best='online/f1', rule='greater'))
