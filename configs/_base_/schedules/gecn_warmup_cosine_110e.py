# GE-CN's default-recipe schedule: 110 epochs (validation every 5), 5 linear warm-up epochs from
# lr x0.1, then a cosine decay to 0 over the remaining train_cfg.max_epochs. The optimiser is in
# configs/_base_/models/gecn_imigue22.py; the paper's step schedule is
# configs/imigue/paper/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=110, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)
]
