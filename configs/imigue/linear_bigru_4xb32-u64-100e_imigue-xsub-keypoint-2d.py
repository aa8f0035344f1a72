# Linear evaluation of the single-stream MGBiGRU MoCo encoder (frozen), same protocol as
# linear_dual-stream_4xb32-u64-100e_imigue-xsub-keypoint-2d.py; reports acc/temporal_top1.
#   --cfg-options model.pretrained=work_dirs/moco_bigru_.../epoch_300.pth
_base_ = ['./linear_dual-stream_4xb32-u64-100e_imigue-xsub-keypoint-2d.py']

model = dict(streams=dict(_delete_=True, temporal={{_base_.model.streams.temporal}}))
default_hooks = dict(checkpoint=dict(save_best='acc/temporal_top1'))
