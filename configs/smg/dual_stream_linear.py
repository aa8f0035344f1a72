# Linear evaluation of the SMG dual-stream MoCo encoders (frozen; SGD momentum 0.9, lr 0.1,
# 100 epochs, lr x0.1 at 50 and 80), reporting acc/joint_top1, acc/sequence_top1 and
# acc/fused_top1 (sum of the streams' softmax scores).
#   bash tools/dist_train.sh configs/smg/dual_stream_linear.py 4 \
#       --cfg-options model.pretrained=work_dirs/dual_stream/epoch_300.pth
_base_ = ['../_base_/default_runtime.py']

layout = 'ntu25'
num_joints = 25
in_channels = 3
num_classes = 17
clip_len = 64

# Classifier: LinearProbeHead = parameter-free BatchNorm (affine=False) + one FC layer; at test
# time the BatchNorm is a fixed affine map folded into the FC, so the classifier is linear, and
# lr 0.1 works whatever the scale of the frozen features (set feat_norm=False for a bare FC).
model = dict(
    type='DualStreamRecognizer',
    pretrained=None,
    streams=dict(
        joint=dict(
            backbone=dict(type='FreezableAAGCN', graph_cfg=dict(layout=layout, mode='spatial'),
                          in_channels=in_channels, num_person=1,
                          frozen_stages=10, norm_eval=True),
            cls_head=dict(type='LinearProbeHead', num_classes=num_classes, in_channels=256)),
        sequence=dict(
            backbone=dict(type='BiGRU', in_channels=in_channels, num_joints=num_joints,
                          hidden_size=1024, num_layers=3, bidirectional=True, pooling='mean',
                          frozen_stages=3, norm_eval=True),
            cls_head=dict(type='LinearProbeHead', num_classes=num_classes, in_channels=2048))))

dataset_type = 'SMGSkeletonDataset'
ann_file = 'data/smg/smg_skeleton.pkl'
train_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='MGGenSkeFeat', layout=layout, feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='MGGenSkeFeat', layout=layout, feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='PreNormalize3D'),
    dict(type='MGGenSkeFeat', layout=layout, feats=['j']),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=train_pipeline,
                 split='xsub_train', layout=layout))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=val_pipeline,
                 split='xsub_test', layout=layout, test_mode=True))
test_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=test_pipeline,
                 split='xsub_test', layout=layout, test_mode=True))
val_evaluator = [dict(type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'))]
test_evaluator = val_evaluator

knn_loader = dict(
    batch_size=32,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=val_pipeline,
                 split='xsub_train', layout=layout, test_mode=True))
custom_hooks = [
    dict(type='KNNEvalHook',
         bank_dataloader=knn_loader,
         query_dataloader=dict(knn_loader, dataset=dict(knn_loader['dataset'], split='xsub_test')),
         k=(1, 20), distance='cosine', interval=0, eval_before_train=True)
]

max_epochs = 100
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs, val_begin=1, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(type='FractionMultiStepLR', begin=0, by_epoch=True, milestone_fractions=[0.5, 0.8],
         gamma=0.1)
]
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.))
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=2, save_best='acc/fused_top1',
                                     rule='greater'))
auto_scale_lr = dict(enable=False, base_batch_size=128)
