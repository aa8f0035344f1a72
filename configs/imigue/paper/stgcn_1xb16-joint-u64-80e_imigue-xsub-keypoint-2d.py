# mmaction2's ST-GCN, unchanged, on iMiGUE (joint stream, 22-joint upper body).
# Published iMiGUE result: 46.97 top-1 / 84.09 top-5 (iMiGUE paper, CVPR 2021, Table 2).
_base_ = [
    '../../_base_/default_runtime.py', '../../_base_/datasets/imigue_skeleton_pixel_joint.py',
    '../../_base_/schedules/sgd_step_80e.py'
]

model = dict(
    type='RecognizerGCN',
    backbone=dict(type='STGCN', graph_cfg=dict(layout={{_base_.layout}}, mode='stgcn_spatial')),
    cls_head=dict(type='GCNHead', num_classes=32, in_channels=256))

# The paper protocol: train on every training subject and report the last epoch on the test
# subjects; validation there is printed each epoch but never chooses a checkpoint.
train_dataloader = dict(dataset=dict(split='xsub_train'))
val_dataloader = dict(dataset=dict(split='xsub_test'))
default_hooks = dict(checkpoint=dict(save_best=None))
