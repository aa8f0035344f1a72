# iMiGUE RGB clips, cross-subject: clips are decoded straight out of the full videos
# (MGIMiGUERGBDataset reads labels.csv or a converted skeleton pickle for the clip ranges,
# MGDecordClipInit opens the video and checks the range; no pre-cut files needed). The model
# config sets train_pipeline / val_pipeline / test_pipeline and puts them into the loaders.
dataset_type = 'MGIMiGUERGBDataset'
ann_file = 'data/imigue/labels.csv'
video_root = 'data/imigue/videos'

rgb = dict(type=dataset_type, ann_file=ann_file, data_prefix=dict(video=video_root))
# Training subjects minus every fifth (xsub_train_minus_val); the checkpoint is chosen on those
# held-out training subjects (xsub_val), the test subjects (xsub_test) are only tested.
train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(rgb, split='xsub_train_minus_val'))
val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(rgb, split='xsub_val', test_mode=True))
test_dataloader = dict(val_dataloader, batch_size=1,
                       dataset=dict(rgb, split='xsub_test', test_mode=True))

val_evaluator = [dict(type='AccMetric', metric_list=('top_k_accuracy', 'mean_class_accuracy'))]
test_evaluator = val_evaluator
