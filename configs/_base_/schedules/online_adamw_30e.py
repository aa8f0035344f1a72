# Online models' schedule: 30 epochs of training windows, whole-stream validation every 5 epochs,
# AdamW (lr 1e-3, weight decay 1e-4) with gradient clipping, per-iteration cosine decay over
# train_cfg.max_epochs. The sliding-window baselines replace the optimiser with their clip
# recipe's SGD.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=30, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)
]
optim_wrapper = dict(optimizer=dict(type='AdamW', lr=1e-3, weight_decay=1e-4),
                     clip_grad=dict(max_norm=5))
