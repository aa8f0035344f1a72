# mmaction2's 2s-AGCN (AAGCN) bone stream on iMiGUE; fuse with the joint stream's scores.
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/datasets/imigue_skeleton_pixel_bone.py',
    '../../_base_/schedules/sgd_step_80e.py'
]

model = dict(
    type='RecognizerGCN',
    backbone=dict(
        type='AAGCN', num_person=1, graph_cfg=dict(layout={{_base_.layout}}, mode='spatial')),
    cls_head=dict(type='GCNHead', num_classes=32, in_channels=256))

# The paper protocol: train on every training subject and report the last epoch on the test
# subjects; validation there is printed each epoch but never chooses a checkpoint.
train_dataloader = dict(dataset=dict(split='xsub_train'))
val_dataloader = dict(dataset=dict(split='xsub_test'))
default_hooks = dict(checkpoint=dict(save_best=None))
