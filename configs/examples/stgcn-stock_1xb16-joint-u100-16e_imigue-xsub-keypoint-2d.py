# mmaction2's own ST-GCN config (NTU-60, COCO layout), unchanged except for what iMiGUE needs:
# mmimigue's dataset, its 22-joint layout, 32 classes, one person and the cross-subject splits.
# It shows how any stock mmaction2 skeleton config takes the plugin:
#   python tools/train.py configs/examples/stgcn-stock_1xb16-joint-u100-16e_imigue-xsub-keypoint-2d.py
# (the stock recipe: pixel PreNormalize2D input, 100-frame clips, 16 epochs x RepeatDataset 5).
_base_ = 'mmaction::skeleton/stgcn/stgcn_8xb16-joint-u100-80e_ntu60-xsub-keypoint-2d.py'

custom_imports = dict(imports=['mmimigue.registration'], allow_failed_imports=False)
layout = 'imigue22'
ann_file = 'data/imigue/imigue_skeleton.pkl'

model = dict(backbone=dict(graph_cfg=dict(layout=layout)), cls_head=dict(num_classes=32))

feature = dict(type='MGGenSkeFeat', layout=layout, feats=['j'])  # layout-aware GenSkeFeat
one_person = dict(type='FormatGCNInput', num_person=1)
train_pipeline = [
    dict(type='PreNormalize2D'), feature, dict(type='UniformSampleFrames', clip_len=100),
    dict(type='PoseDecode'), one_person, dict(type='PackActionInputs')]
val_pipeline = [
    dict(type='PreNormalize2D'), feature,
    dict(type='UniformSampleFrames', clip_len=100, num_clips=1, test_mode=True),
    dict(type='PoseDecode'), one_person, dict(type='PackActionInputs')]
test_pipeline = [
    dict(type='PreNormalize2D'), feature,
    dict(type='UniformSampleFrames', clip_len=100, num_clips=10, test_mode=True),
    dict(type='PoseDecode'), one_person, dict(type='PackActionInputs')]

dataset = dict(type='MGIMiGUESkeletonDataset', ann_file=ann_file, layout=layout)
# the checkpoint is chosen on held-out training subjects (xsub_val), never on the test subjects
train_dataloader = dict(dataset=dict(dataset=dict(dataset, pipeline=train_pipeline,
                                                  split='xsub_train_minus_val')))
val_dataloader = dict(dataset=dict(dataset, pipeline=val_pipeline, split='xsub_val'))
test_dataloader = dict(dataset=dict(dataset, pipeline=test_pipeline, split='xsub_test'))
val_evaluator = [dict(type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'))]
test_evaluator = val_evaluator
# the stock cosine has T_max=16: let it follow train_cfg.max_epochs, so --cfg-options
# train_cfg.max_epochs=N is always a full schedule
param_scheduler = [dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True,
                        convert_to_iter_based=True)]
# a progress line at least every 20 s (the stock logger interval of 100 iterations exceeds a
# whole epoch of a small data set)
default_hooks = dict(logger=dict(interval=20), progress=dict(type='MGProgressHook', interval_s=20))
