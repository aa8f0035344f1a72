# MoCo pretraining schedule (MG paper sec. 5.1.2: SGD + Nesterov momentum 0.9, lr 0.01, weight
# decay 1e-4). Not stated by the paper, chosen here: 300 epochs with lr x0.1 at 250/300 of
# train_cfg.max_epochs ("trained until the loss converges"); no validation or test loop (the
# MGKNNEvalHook of the data base measures the features). Configs keep the last checkpoint every
# 10 epochs (their default_hooks; the runtime base owns default_hooks).
val_dataloader = None
val_evaluator = None
val_cfg = None
test_dataloader = None
test_evaluator = None
test_cfg = None

max_epochs = 300
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
param_scheduler = [
    dict(type='MGFractionMultiStepLR', begin=0, by_epoch=True, milestone_fractions=[250 / 300],
         gamma=0.1)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4, nesterov=True))
auto_scale_lr = dict(enable=False, base_batch_size=128)
