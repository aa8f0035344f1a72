# Single-stream MoCo pretraining on SMG: the spatial (GCN) stream of dual_stream.py alone.
_base_ = ['./dual_stream.py']

model = dict(
    _delete_=True,
    type='SkeletonMoCo',
    backbone=dict(type='AAGCN', graph_cfg=dict(layout='ntu25', mode='spatial'), in_channels=3,
                  num_person=1),
    neck=dict(type='ProjectionMLP', in_channels=256, out_channels=128),
    queue_len=512, feat_dim=128, key_momentum=0.999, temperature=0.07)
