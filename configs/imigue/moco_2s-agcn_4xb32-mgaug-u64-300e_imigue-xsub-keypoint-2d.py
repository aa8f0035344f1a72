# Single-stream MoCo pretraining: the spatial (GCN) stream of dual_stream.py alone, same data,
# augmentations, schedule and KNN monitoring. Checkpoint keys: backbone.* (query encoder).
# Linear evaluation: linear_2s-agcn_4xb32-u64-100e_imigue-xsub-keypoint-2d.py.
_base_ = ['./dual_stream.py']

model = dict(
    _delete_=True,
    type='SkeletonMoCo',
    backbone=dict(type='AAGCN', graph_cfg=dict(layout='imigue22', mode='spatial'),
                  in_channels=2, num_person=1),
    neck=dict(type='ProjectionMLP', in_channels=256, out_channels=128),
    queue_len=512, feat_dim=128, key_momentum=0.999, temperature=0.07)
