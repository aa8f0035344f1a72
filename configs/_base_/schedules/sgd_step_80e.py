# ST-GCN's published schedule (Yan et al., AAAI 2018): SGD, momentum 0.9, weight decay 1e-4,
# lr 0.1, 80 epochs, lr x0.1 at epochs 10 and 50 -- written as fractions (1/8, 5/8) of
# train_cfg.max_epochs, so `--cfg-options train_cfg.max_epochs=N` keeps the schedule's shape.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=80, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='MGFractionMultiStepLR', begin=0, by_epoch=True, milestone_fractions=[0.125, 0.625],
         gamma=0.1)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4, nesterov=True))
auto_scale_lr = dict(enable=False, base_batch_size=16)
