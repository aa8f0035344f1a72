# Linear evaluation of the SMG dual-stream MoCo encoders: configs/imigue/dual_stream_linear.py
# (frozen encoders; SGD momentum 0.9, lr 0.1, 100 epochs, lr x0.1 at 50 and 80) on the SMG
# 3D input of configs/smg/dual_stream.py (PreNormalize3D, x / y / z), reporting
# acc/spatial_top1, acc/temporal_top1 and acc/fused_top1 (sum of the streams' softmax scores).
#   bash tools/dist_train.sh configs/smg/dual_stream_linear.py 4 \
#       --cfg-options model.pretrained=work_dirs/dual_stream/epoch_300.pth
_base_ = ['../imigue/dual_stream_linear.py']

layout = 'ntu25'
num_joints = 25
in_channels = 3
num_classes = 17
model = dict(streams=dict(
    spatial=dict(backbone=dict(graph_cfg=dict(layout=layout), in_channels=in_channels),
               cls_head=dict(num_classes=num_classes)),
    temporal=dict(backbone=dict(in_channels=in_channels, num_joints=num_joints),
                  cls_head=dict(num_classes=num_classes))))

dataset_type = 'SMGSkeletonDataset'
ann_file = 'data/smg/smg_skeleton.pkl'
features = [dict(type='PreNormalize3D'), dict(type='MGGenSkeFeat', layout=layout, feats=['j'])]
train_pipeline = features + _base_.train_pipeline[2:]
val_pipeline = features + _base_.val_pipeline[2:]
test_pipeline = features + _base_.test_pipeline[2:]
smg = dict(type=dataset_type, ann_file=ann_file, layout=layout)
train_dataloader = dict(dataset=dict(smg, pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(smg, pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(smg, pipeline=test_pipeline))
val_evaluator = [dict(type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'))]
test_evaluator = val_evaluator

knn_loader = dict(_base_.knn_loader, dataset=dict(_base_.knn_loader.dataset, pipeline=val_pipeline,
                                                  **smg))
custom_hooks = [
    dict(_base_.custom_hooks[0], bank_dataloader=knn_loader,
         query_dataloader=dict(knn_loader, dataset=dict(knn_loader['dataset'], split='xsub_test')))
]
