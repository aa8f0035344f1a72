# Online MG recognition on SMG streams, sliding-window baseline (see
# configs/imigue/online_stgcn-window_1xb16-w64-30e_imigue-xsub-stream-2d.py): ST-GCN on the ntu25 graph, x / y
# / z centred per window.
# the default recipe's optimiser (configs/_base_/schedules/sgd_cosine_80e.py)
# keep the checkpoint with the best segment F1 (mmengine cannot infer the rule for online/f1)
_base_ = [
    '../_base_/online_runtime.py',
    '../_base_/datasets/smg_streams.py',
    '../_base_/schedules/online_adamw_30e.py'
]

window = 64
stride = 16
model = dict(
    type='MGSlidingWindowDetector', num_classes={{_base_.num_classes}},
    layout={{_base_.layout}}, window=window, stride=stride, postprocess={{_base_.postprocess}},
    recognizer=dict(
        type='RecognizerGCN',
        backbone=dict(type='STGCN', in_channels=3, num_person=1,
                      graph_cfg=dict(layout={{_base_.layout}}, mode='stgcn_spatial')),
        cls_head=dict(type='GCNHead', num_classes=18, in_channels=256)))
train_dataloader = dict(batch_size=16, dataset=dict(window=window, stride=stride))
# the default recipe's optimiser (configs/_base_/schedules/sgd_cosine_80e.py)
optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
