# Linear evaluation of the single-stream MGBiGRU MoCo encoder on SMG (acc/temporal_top1).
_base_ = ['./linear_dual-stream_4xb32-u64-100e_smg-xsub-keypoint-3d.py']

model = dict(streams=dict(_delete_=True, temporal={{_base_.model.streams.temporal}}))
default_hooks = dict(checkpoint=dict(save_best='acc/temporal_top1'))
