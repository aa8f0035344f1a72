# mmaction2's runtime, with mmimigue registered for every config that inherits it.
_base_ = 'mmaction::_base_/default_runtime.py'

custom_imports = dict(imports=['mmimigue'], allow_failed_imports=False)
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=1, max_keep_ckpts=3, save_best='auto'))
