# Linear evaluation of the single-stream BiGRU MoCo encoder on SMG (acc/temporal_top1).
_base_ = ['./dual_stream_linear.py']

model = dict(streams=dict(_delete_=True, temporal={{_base_.model.streams.temporal}}))
default_hooks = dict(checkpoint=dict(save_best='acc/temporal_top1'))
