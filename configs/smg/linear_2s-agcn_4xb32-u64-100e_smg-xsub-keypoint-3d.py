# Linear evaluation of the single-stream GCN MoCo encoder on SMG (acc/spatial_top1).
_base_ = ['./linear_dual-stream_4xb32-u64-100e_smg-xsub-keypoint-3d.py']

model = dict(streams=dict(_delete_=True, spatial={{_base_.model.streams.spatial}}))
default_hooks = dict(checkpoint=dict(save_best='acc/spatial_top1'))
