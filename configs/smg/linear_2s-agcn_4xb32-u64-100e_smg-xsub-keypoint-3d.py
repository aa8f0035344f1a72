# Linear evaluation of the single-stream GCN MoCo encoder on SMG (acc/spatial_top1).
_base_ = ['./dual_stream_linear.py']

model = dict(streams=dict(_delete_=True, spatial={{_base_.model.streams.spatial}}))
default_hooks = dict(checkpoint=dict(save_best='acc/spatial_top1'))
