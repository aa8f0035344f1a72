# Visual-text side of the visual-text vs cross-entropy comparison (docs/visual_text.md): the same
# backbone, optimiser and budget as stgcn_1xb16-joint-c16-adamw-12e_...py, frozen (cached) text encoder.
#   --cfg-options model.cls_head.prompt_mode=handcrafted      (handcrafted prompts)
_base_ = '../visual-text_stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py'
model = dict(backbone=dict(base_channels=16), cls_head=dict(in_channels=64, text_trainable=False))
optim_wrapper = dict(_delete_=True, optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.01))
param_scheduler = [dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True,
                        convert_to_iter_based=True)]
train_cfg = dict(max_epochs=12)
work_dir = 'work_dirs/ablations/visual-text_stgcn_1xb16-joint-c16-adamw-12e_imigue-xsub-keypoint-2d'
