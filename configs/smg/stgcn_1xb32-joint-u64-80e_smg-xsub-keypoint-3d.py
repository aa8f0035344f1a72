# ST-GCN on SMG 3D Kinect joints (NTU 25-joint layout), cross-subject (test subjects 36-40).
# Batch 32 and 64-frame clips follow the GE-CN paper's SMG setting; optimiser and schedule are
# mmaction2's ST-GCN NTU recipe (SGD 0.1, nesterov, cosine, 16 epochs x 5 repeats = 80).
_base_ = ['../_base_/default_runtime.py', '../_base_/datasets/smg_skeleton_joint.py']
custom_imports = dict(imports=['mmimigue.registration'], allow_failed_imports=False)

model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='STGCN', graph_cfg=dict(layout='ntu25', mode='stgcn_spatial'), num_person=1),
    cls_head=dict(type='GCNHead', num_classes=17, in_channels=256))

# mmaction2's NTU recipe repeats the training set 5x per epoch.
train_dataloader = dict(dataset=dict(
    _delete_=True, type='RepeatDataset', times=5, dataset=_base_.train_dataloader.dataset))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=16, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True,
         convert_to_iter_based=True)
]
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0005, nesterov=True))

default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=100))
auto_scale_lr = dict(enable=False, base_batch_size=32)
