# Dual-stream MoCo pretraining on iMiGUE (cross-subject), "Identity-free Artificial Emotional
# Intelligence via Micro-Gesture Understanding", sec. 4.2 / 5.1.2:
#   spatial stream  = 2s-AGCN joint stream (mmaction2 AAGCN) on skeleton graphs,
#   temporal stream = 3-layer BiGRU, 1024 units, on per-frame skeleton sequences,
#   each with its own MLP re-projection head to 128-d, queue of 512 negatives, momentum key
#   encoder (m = 0.999), InfoNCE with T = 0.07; SGD + Nesterov momentum 0.9, lr 0.01, wd 1e-4.
# Views: the paper's best MG augmentation combination, coordinate perturbation + stretch +
# posterize time (sec. 5.1.3), drawn independently per view by MGMultiView on shared frames.
# Input (not stated by the paper, measured in docs/dual_stream.md): x, y in body units
# (MGNormalizeBody2D: origin at the clip's mean neck, shoulder width 1) instead of image units,
# and no OpenPose confidence channel: no augmentation changes the confidence, so the two views
# always share it and MoCo matches views by it instead of by the gesture.
#
#   bash tools/dist_train.sh configs/imigue/dual_stream.py 4
#   then: bash tools/dist_train.sh configs/imigue/dual_stream_linear.py 4 \
#             --cfg-options model.pretrained=work_dirs/dual_stream/epoch_300.pth
#
# Not stated by the paper, chosen here: 300 epochs with lr x0.1 at epoch 250 ("trained until the
# loss converges"), 4 x 32 clips per step, 64-frame clips, BiGRU mean pooling over time.
# The global batch (batch_size x processes) must divide queue_len (512): 1, 2, 4, 8 or 16
# processes with batch 32 work; for other counts set model.streams.*.queue_len accordingly.
_base_ = ['../_base_/default_runtime.py']

layout = 'imigue22'
num_joints = 22
in_channels = 2  # x, y (MGGenSkeFeat(with_score=False) drops the confidence)
num_classes = 32
clip_len = 64
queue_len = 512
feat_dim = 128

model = dict(
    type='DualStreamMoCo',
    streams=dict(
        spatial=dict(
            type='SkeletonMoCo',
            backbone=dict(type='AAGCN', graph_cfg=dict(layout=layout, mode='spatial'),
                          in_channels=in_channels, num_person=1),
            neck=dict(type='ProjectionMLP', in_channels=256, out_channels=feat_dim),
            queue_len=queue_len, feat_dim=feat_dim, key_momentum=0.999, temperature=0.07),
        temporal=dict(
            type='SkeletonMoCo',
            backbone=dict(type='BiGRU', in_channels=in_channels, num_joints=num_joints,
                          hidden_size=1024, num_layers=3, bidirectional=True, pooling='mean'),
            neck=dict(type='ProjectionMLP', in_channels=2048, out_channels=feat_dim),
            queue_len=queue_len, feat_dim=feat_dim, key_momentum=0.999, temperature=0.07)))

dataset_type = 'IMiGUESkeletonDataset'
ann_file = 'data/imigue/imigue_skeleton.pkl'
# Both views augment the same sampled frames (the paper augments each sequence twice), which
# also keeps the two-view pipeline within the cost of two stock samples
# (tools/analysis/benchmark_pipeline.py).
view_pipeline = [
    dict(type='MGCoordinatePerturb'),
    dict(type='MGStretch'),
    dict(type='MGPosterizeTime'),
    dict(type='MGGenSkeFeat', layout=layout, feats=['j'], with_score=False),
    dict(type='FormatGCNInput', num_person=1),
]
train_pipeline = [
    dict(type='MGNormalizeBody2D'),
    dict(type='UniformSampleFrames', clip_len=clip_len),
    dict(type='PoseDecode'),
    dict(type='MGMultiView', transforms=view_pipeline, num_views=2),  # view 0 query, 1 key
    dict(type='PackActionInputs')
]
feature_pipeline = [  # deterministic clips for the KNN memory bank and queries
    dict(type='MGNormalizeBody2D'),
    dict(type='MGGenSkeFeat', layout=layout, feats=['j'], with_score=False),
    dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    drop_last=True,  # MoCo's queue needs a constant global batch
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=train_pipeline,
                 split='xsub_train', layout=layout))
knn_loader = dict(
    batch_size=32,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=feature_pipeline,
                 split='xsub_train', layout=layout, test_mode=True))
custom_hooks = [
    dict(type='KNNEvalHook',
         bank_dataloader=knn_loader,
         query_dataloader=dict(knn_loader, dataset=dict(knn_loader['dataset'], split='xsub_test')),
         k=(1, 20), distance='cosine', interval=50)
]

# No labels are used while pretraining: no validation loop (KNN monitors the features).
val_dataloader = None
val_evaluator = None
val_cfg = None
test_dataloader = None
test_evaluator = None
test_cfg = None

max_epochs = 300
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
param_scheduler = [
    dict(type='FractionMultiStepLR', begin=0, by_epoch=True, milestone_fractions=[250 / 300],
         gamma=0.1)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4, nesterov=True))
default_hooks = dict(
    logger=dict(interval=20),
    checkpoint=dict(interval=10, max_keep_ckpts=1, save_best=None, save_last=True))
auto_scale_lr = dict(enable=False, base_batch_size=128)
