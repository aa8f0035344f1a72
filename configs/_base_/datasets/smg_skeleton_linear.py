# SMG clips for the linear evaluation of MoCo encoders: the pretraining input (25 Kinect joints,
# PreNormalize3D, x / y / z; configs/smg/moco_dual-stream_4xb32-mgaug-u64-300e_smg-xsub-keypoint-3d.py), no
# augmentation, no repeat, batch 32. The frozen
# features are also measured by KNN once before training (train split as memory bank, test
# split as queries).
_base_ = './smg_skeleton_joint.py'

features = [dict(type='PreNormalize3D'), dict(type='MGGenSkeFeat', layout=_base_.layout, feats=['j'])]
pack = [dict(type='PoseDecode'), dict(type='FormatGCNInput', num_person=1),
        dict(type='PackActionInputs')]
train_pipeline = features + _base_.train_sampling + pack
val_pipeline = features + _base_.val_sampling + pack
test_pipeline = features + _base_.test_sampling + pack

train_dataloader = dict(batch_size=32, dataset=dict(  # the plain dataset: no RepeatDataset
    _delete_=True, type=_base_.dataset_type, ann_file=_base_.ann_file, pipeline=train_pipeline,
    split='xsub_train_minus_val', layout=_base_.layout))
val_dataloader = dict(batch_size=32, dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

knn_loader = dict(
    batch_size=32,
    num_workers=2,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=_base_.dataset_type, ann_file=_base_.ann_file, pipeline=val_pipeline,
                 split='xsub_train', layout=_base_.layout, test_mode=True))
custom_hooks = [
    # the encoders are frozen: one KNN evaluation of the loaded features before training
    dict(type='MGKNNEvalHook',
         bank_dataloader=knn_loader,
         query_dataloader=dict(knn_loader, dataset=dict(knn_loader['dataset'], split='xsub_test')),
         k=(1, 20), distance='cosine', interval=0, eval_before_train=True)
]
