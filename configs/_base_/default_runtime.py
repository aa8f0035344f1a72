# mmaction2's runtime, with mmimigue registered for every config that inherits it.
_base_ = 'mmaction::_base_/default_runtime.py'

custom_imports = dict(imports=['mmimigue.registration'], allow_failed_imports=False)
default_hooks = dict(
    logger=dict(interval=20),
    # the latest epoch (with optimizer state, for --resume) and the best (weights only, for
    # inference and tools/test.py): what resume and inference need, not every epoch
    checkpoint=dict(interval=1, max_keep_ckpts=1, save_best='auto'),
    progress=dict(type='MGProgressHook', interval_s=20),  # a line at least every 20 s
    # every training label is a class the head scores, checked before the first step
    data_check=dict(type='MGDataCheckHook'),
    # a warning when a validation top-1 is below the majority class or chance
    chance=dict(type='MGChanceLevelHook'))
# training curves (loss, lr, validation metrics) as TensorBoard scalars beside the JSON ones:
#   tensorboard --logdir work_dirs/<run>      (tools/analysis/plot_curves.py draws them as a PNG)
vis_backends = [dict(type='LocalVisBackend'), dict(type='TensorboardVisBackend')]
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)
