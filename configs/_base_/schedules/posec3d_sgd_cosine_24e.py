# mmaction2's PoseC3D schedule: 24 epochs (of a 10x repeated training set), SGD with gradient
# clipping, cosine decay over train_cfg.max_epochs; lr 0.2 at batch 128 scaled linearly to 16.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=24, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.025, momentum=0.9, weight_decay=3e-4),
    clip_grad=dict(max_norm=40, norm_type=2))
auto_scale_lr = dict(enable=False, base_batch_size=16)
