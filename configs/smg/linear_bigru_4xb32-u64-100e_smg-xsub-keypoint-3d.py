# Linear evaluation of the single-stream BiGRU MoCo encoder on SMG (acc/sequence_top1).
_base_ = ['./dual_stream_linear.py']

model = dict(streams=dict(_delete_=True, sequence={{_base_.model.streams.sequence}}))
default_hooks = dict(checkpoint=dict(save_best='acc/sequence_top1'))
