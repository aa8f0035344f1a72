# Cross-entropy side of the visual-text vs cross-entropy comparison (docs/visual_text.md):
# ST-GCN with base_channels=16, AdamW 1e-3 for every parameter, cosine decay, 12 epochs.
_base_ = '../stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py'
model = dict(backbone=dict(base_channels=16), cls_head=dict(in_channels=64))
optim_wrapper = dict(_delete_=True, optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.01))
param_scheduler = [dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True,
                        convert_to_iter_based=True)]
train_cfg = dict(max_epochs=12)
work_dir = 'work_dirs/ablations/stgcn_1xb16-joint-c16-adamw-12e_imigue-xsub-keypoint-2d'
