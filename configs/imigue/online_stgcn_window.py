# Online MG recognition on iMiGUE streams, sliding-window baseline: the default recipe's ST-GCN
# as a 33-way window classifier (32 MGs + background) on 64-frame windows (the label of a window
# is the MG covering at least half of it or of that MG), slid over the stream every 16 frames;
# each frame averages the windows covering it, runs of one class become segments.
_base_ = ['../_base_/default_runtime.py', '../_base_/online/imigue_streams.py']

window = 64
stride = 16
model = dict(
    type='MGSlidingWindowDetector', num_classes={{_base_.num_classes}}, window=window,
    stride=stride, postprocess=dict(smooth_frames=5, min_frames=6, merge_gap=4),
    recognizer=dict(
        type='RecognizerGCN',
        backbone=dict(type='STGCN', in_channels=2,
                      graph_cfg=dict(layout='imigue22', mode='stgcn_spatial')),
        cls_head=dict(type='GCNHead', num_classes=33, in_channels=256)))
train_dataloader = dict(batch_size=16, dataset=dict(window=window, stride=stride))
train_cfg = dict(max_epochs=30, val_interval=5)
# the default recipe's optimiser (configs/_base_/schedules/sgd_cosine_80e.py)
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
# keep the checkpoint with the best segment F1 (mmengine cannot infer the rule for online/f1)
default_hooks = dict(checkpoint=dict(save_best='online/f1', rule='greater'))
