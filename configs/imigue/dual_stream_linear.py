# Linear evaluation of the dual-stream MoCo encoders on iMiGUE (cross-subject), sec. 5.1.2:
# the pretrained query encoders are frozen (projection heads dropped), one linear classifier per
# stream is trained with SGD (momentum 0.9, lr 0.1) for 100 epochs, lr x0.1 at epochs 50 and 80.
# Prediction sums the two streams' softmax scores (sec. 4.2.4). Reported by AccMetric:
#   acc/spatial_top1 (spatial only), acc/temporal_top1 (temporal only), acc/fused_top1 (fusion),
#   plus top5 / mean class accuracy of each; KNNEvalHook logs knn/* of the frozen features.
#
#   bash tools/dist_train.sh configs/imigue/dual_stream_linear.py 4 \
#       --cfg-options model.pretrained=work_dirs/dual_stream/epoch_300.pth
# Without model.pretrained the encoders stay randomly initialised (the random-init baseline).
# The backbone settings must equal those of the pretraining config (checked when loading).
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_joint.py'
]

layout = 'imigue22'
num_joints = 22
in_channels = 2  # x, y in body units, no confidence: the input of dual_stream.py
clip_len = 64
num_classes = 32

# Classifier: LinearProbeHead = parameter-free BatchNorm (affine=False) + one FC layer; at test
# time the BatchNorm is a fixed affine map folded into the FC, so the classifier is linear, and
# lr 0.1 works whatever the scale of the frozen features (set feat_norm=False for a bare FC).
model = dict(
    type='DualStreamRecognizer',
    pretrained=None,
    streams=dict(
        spatial=dict(
            backbone=dict(type='FreezableAAGCN', graph_cfg=dict(layout=layout, mode='spatial'),
                          in_channels=in_channels, num_person=1,
                          frozen_stages=10, norm_eval=True),  # 10 blocks: all frozen
            cls_head=dict(type='LinearProbeHead', num_classes=num_classes, in_channels=256)),
        temporal=dict(
            backbone=dict(type='BiGRU', in_channels=in_channels, num_joints=num_joints,
                          hidden_size=1024, num_layers=3, bidirectional=True, pooling='mean',
                          frozen_stages=3, norm_eval=True),  # 3 layers: all frozen
            cls_head=dict(type='LinearProbeHead', num_classes=num_classes, in_channels=2048))))

# The pretraining input (dual_stream.py): body units, no confidence channel.
features = [dict(type='MGNormalizeBody2D'),
            dict(type='MGGenSkeFeat', layout=layout, feats=['j'], with_score=False)]
pack = [dict(type='PoseDecode'), dict(type='FormatGCNInput', num_person=1),
        dict(type='PackActionInputs')]
train_pipeline = features + [dict(type='UniformSampleFrames', clip_len=clip_len)] + pack
val_pipeline = features + [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1, test_mode=True)] + pack
test_pipeline = features + [
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=10, test_mode=True)] + pack

train_dataloader = dict(batch_size=32, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=32, dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

knn_loader = dict(
    batch_size=32,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='IMiGUESkeletonDataset', ann_file={{_base_.ann_file}},
                 pipeline=val_pipeline, split='xsub_train', layout=layout,
                 test_mode=True))
custom_hooks = [
    # the encoders are frozen: one KNN evaluation of the loaded features before training
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
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=1, save_best='acc/fused_top1',
                                     rule='greater'))
auto_scale_lr = dict(enable=False, base_batch_size=128)
