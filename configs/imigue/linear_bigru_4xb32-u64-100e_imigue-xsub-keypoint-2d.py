# Linear evaluation of the single-stream BiGRU MoCo encoder (frozen), same protocol as
# dual_stream_linear.py; reports acc/temporal_top1.
#   --cfg-options model.pretrained=work_dirs/moco_bigru_.../epoch_300.pth
_base_ = ['./dual_stream_linear.py']

model = dict(streams=dict(_delete_=True, temporal={{_base_.model.streams.temporal}}))
default_hooks = dict(checkpoint=dict(save_best='acc/temporal_top1'))
