# Online MG recognition on iMiGUE streams, sliding-window baseline: the default recipe's ST-GCN
# as a 33-way window classifier (32 MGs + background) on 64-frame windows (the label of a window
# is the MG covering at least half of it or of that MG), slid over the stream every 16 frames;
# each frame averages the windows covering it, runs of one class become segments.
# the default recipe's optimiser (configs/_base_/schedules/sgd_cosine_80e.py)
# keep the checkpoint with the best segment F1 (mmengine cannot infer the rule for online/f1)
_base_ = [
    '../_base_/online_runtime.py',
    '../_base_/datasets/imigue_streams.py',
    '../_base_/schedules/online_adamw_30e.py'
]

window = 64
stride = 16
model = dict(
    type='MGSlidingWindowDetector', num_classes={{_base_.num_classes}},
    layout={{_base_.layout}}, window=window, stride=stride, postprocess={{_base_.postprocess}},
    recognizer=dict(
        type='RecognizerGCN',
        backbone=dict(type='STGCN', in_channels=2,
                      graph_cfg=dict(layout={{_base_.layout}}, mode='stgcn_spatial')),
        cls_head=dict(type='GCNHead', num_classes=33, in_channels=256)))
train_dataloader = dict(batch_size=16, dataset=dict(window=window, stride=stride))
# the default recipe's optimiser (configs/_base_/schedules/sgd_cosine_80e.py)
optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
