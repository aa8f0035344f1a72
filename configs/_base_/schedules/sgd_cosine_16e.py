# SMG's supervised schedule: mmaction2's ST-GCN NTU recipe (SGD 0.1 at batch 32, nesterov,
# weight decay 5e-4, per-iteration cosine decay to 0 over train_cfg.max_epochs) for 16 epochs of
# a 5x repeated training set (the SMG data bases' `repeat`): 80 passes.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=16, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
auto_scale_lr = dict(enable=False, base_batch_size=32)
