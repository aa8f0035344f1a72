# Linear evaluation of the single-stream GCN MoCo encoder (frozen), same protocol as
# linear_dual-stream_4xb32-u64-100e_imigue-xsub-keypoint-2d.py; reports acc/spatial_top1 (acc/fused_* equals
# it with one stream).
#   --cfg-options model.pretrained=work_dirs/moco_2s-agcn_.../epoch_300.pth
_base_ = ['./linear_dual-stream_4xb32-u64-100e_imigue-xsub-keypoint-2d.py']

model = dict(streams=dict(_delete_=True, spatial={{_base_.model.streams.spatial}}))
default_hooks = dict(checkpoint=dict(save_best='acc/spatial_top1'))
