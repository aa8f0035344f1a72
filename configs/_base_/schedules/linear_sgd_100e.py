# Linear-evaluation schedule (MG paper sec. 5.1.2): SGD momentum 0.9, lr 0.1, no weight decay,
# 100 epochs, lr x0.1 at 50 % and 80 % of train_cfg.max_epochs.
max_epochs = 100
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='MGFractionMultiStepLR', begin=0, by_epoch=True, milestone_fractions=[0.5, 0.8],
         gamma=0.1)
]
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.))
auto_scale_lr = dict(enable=False, base_batch_size=128)
