# The default recipe's schedule: SGD (momentum 0.9, nesterov, weight decay 5e-4, lr 0.1 at batch
# 16) with a per-iteration cosine decay to 0 over train_cfg.max_epochs (no `end` / `T_max`:
# mmengine's Runner fills both from max_epochs, so any --cfg-options train_cfg.max_epochs=N
# gets a full cosine). mmaction2's own ST-GCN / STGCN++ configs use the same decay.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=80, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4, nesterov=True))
auto_scale_lr = dict(enable=False, base_batch_size=16)
