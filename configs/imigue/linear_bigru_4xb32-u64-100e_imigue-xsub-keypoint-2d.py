# Linear evaluation of the single-stream BiGRU MoCo encoder (frozen), same protocol as
# dual_stream_linear.py; reports acc/sequence_top1.
#   --cfg-options model.pretrained=work_dirs/moco_bigru_.../epoch_300.pth
_base_ = ['./dual_stream_linear.py']

model = dict(streams=dict(_delete_=True, sequence={{_base_.model.streams.sequence}}))
default_hooks = dict(checkpoint=dict(save_best='acc/sequence_top1'))
