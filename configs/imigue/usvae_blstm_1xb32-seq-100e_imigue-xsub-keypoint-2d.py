# U-S-VAE (iMiGUE paper, CVPR 2021, section 4 / 5.2): unsupervised BLSTM-VAE over whole,
# variable-length MG sequences, evaluated by KNN on Z_T (train split = memory bank, test = queries).
# Published iMiGUE result: 32.43 top-1 / 64.30 top-5 (Table 2, "U-S-VAE Z").
#   python tools/train.py configs/imigue/usvae_blstm_1xb32-seq-100e_imigue-xsub-keypoint-2d.py
# KNN accuracies are logged as knn/k1_top1, knn/k1_mean1 (and written to <work_dir>/knn_eval.jsonl)
# every `knn_interval` epochs and after the last one.
_base_ = ['../_base_/default_runtime.py']

dataset_type = 'MGIMiGUESkeletonDataset'
ann_file = 'data/imigue/imigue_skeleton.pkl'
layout = 'imigue22'
# Whole sequences: no UniformSampleFrames, PoseDecode keeps every frame; the model pads per batch
# (MGSkeletonSequencePreprocessor). Set max_frames to cap very long clips (evenly resampled).
max_frames = None
knn_interval = 10

seq_pipeline = [
    dict(type='PreNormalize2D'),
    dict(type='MGGenSkeFeat', layout=layout, feats=['j']),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]

model = dict(
    type='MGUSVAE',
    in_channels=2,  # x, y (the OpenPose score channel is not re-generated)
    num_joints=22,
    hidden_size=256,  # encoder: 1-layer BLSTM, 256 units per direction
    num_layers=1,
    decoder_hidden_size=256,  # decoder: 1-layer LSTM, 256 units
    kl_weight=1e-3,  # lambda of eq. 2 (not given in the paper)
    feature='hidden',  # KNN on Z_T, the final hidden states
    center_joint=1,  # translate each sequence to its mean neck position
    scale_joints=(2, 5),  # and divide by its mean shoulder width (body-size normalisation)
    data_preprocessor=dict(type='MGSkeletonSequencePreprocessor', max_frames=max_frames))


train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=seq_pipeline,
                 split='xsub_train', layout=layout))
knn_bank_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=seq_pipeline,
                 split='xsub_train', layout=layout, test_mode=True))
knn_query_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, ann_file=ann_file, pipeline=seq_pipeline,
                 split='xsub_test', layout=layout, test_mode=True))
custom_hooks = [
    dict(type='MGKNNEvalHook', bank_dataloader=knn_bank_dataloader,
         query_dataloader=knn_query_dataloader, k=1, distance='cosine', interval=knn_interval)
]

# "learning rate 0.0002 with a decay factor of 0.999 for every five training epochs"; trained
# "till the loss converges": 100 epochs here, extend with --cfg-options train_cfg.max_epochs=N.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=100, val_interval=1000)
val_cfg = None
val_dataloader = None
val_evaluator = None
test_cfg = None
test_dataloader = None
test_evaluator = None
# Adam and gradient clipping are our choices (the paper names neither).
optim_wrapper = dict(optimizer=dict(type='Adam', lr=2e-4), clip_grad=dict(max_norm=5.0))
param_scheduler = [dict(type='StepLR', step_size=5, gamma=0.999, by_epoch=True)]
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=1, save_best=None))
auto_scale_lr = dict(enable=False, base_batch_size=32)
