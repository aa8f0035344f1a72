# Linear evaluation of the single-stream GCN MoCo encoder (frozen), same protocol as
# dual_stream_linear.py; reports acc/spatial_top1 (acc/fused_* equals it with one stream).
#   --cfg-options model.pretrained=work_dirs/moco_2s-agcn_.../epoch_300.pth
_base_ = ['./dual_stream_linear.py']

model = dict(streams=dict(_delete_=True, spatial={{_base_.model.streams.spatial}}))
default_hooks = dict(checkpoint=dict(save_best='acc/spatial_top1'))
