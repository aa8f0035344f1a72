# Dual-stream MoCo pretraining on SMG (3D Kinect joints, NTU 25-joint layout, cross-subject with
# test subjects 36-40): the recipe of configs/imigue/dual_stream.py (2s-AGCN joint stream + 3-layer
# BiGRU with 1024 units, 128-d projections, m = 0.999, T = 0.07, SGD Nesterov lr 0.01 wd 1e-4,
# coordinate perturbation + stretch + posterize time views, 300 epochs) on SMG's 3D skeletons
# (PreNormalize3D, x / y / z). The paper gives no SMG queue size: 512 as on iMiGUE (a similar
# number of training clips).
#
#   bash tools/dist_train.sh configs/smg/dual_stream.py 4
#   bash tools/dist_train.sh configs/smg/dual_stream_linear.py 4 \
#       --cfg-options model.pretrained=work_dirs/dual_stream/epoch_300.pth
_base_ = ['../imigue/dual_stream.py']

layout = 'ntu25'
num_joints = 25
in_channels = 3  # x, y, z
num_classes = 17
clip_len = 64

model = dict(streams=dict(
    spatial=dict(backbone=dict(graph_cfg=dict(layout=layout), in_channels=in_channels)),
    temporal=dict(backbone=dict(in_channels=in_channels, num_joints=num_joints))))

dataset_type = 'SMGSkeletonDataset'
ann_file = 'data/smg/smg_skeleton.pkl'
view_pipeline = [
    dict(type='MGCoordinatePerturb'),
    dict(type='MGStretch'),
    dict(type='MGPosterizeTime'),
    dict(type='MGGenSkeFeat', layout=layout, feats=['j']),
    dict(type='FormatGCNInput', num_person=1),
]
train_pipeline = [dict(type='PreNormalize3D')] + _base_.train_pipeline[1:3] + [
    dict(type='MGMultiView', transforms=view_pipeline, num_views=2),
    dict(type='PackActionInputs')
]
feature_pipeline = [dict(type='PreNormalize3D'),
                    dict(type='MGGenSkeFeat', layout=layout, feats=['j'])] + \
    _base_.feature_pipeline[2:]

train_dataloader = dict(dataset=dict(type=dataset_type, ann_file=ann_file,
                                     pipeline=train_pipeline, layout=layout))
knn_loader = dict(_base_.knn_loader, dataset=dict(
    _base_.knn_loader.dataset, type=dataset_type, ann_file=ann_file, pipeline=feature_pipeline,
    layout=layout))
custom_hooks = [
    dict(_base_.custom_hooks[0], bank_dataloader=knn_loader,
         query_dataloader=dict(knn_loader, dataset=dict(knn_loader['dataset'], split='xsub_test')))
]
