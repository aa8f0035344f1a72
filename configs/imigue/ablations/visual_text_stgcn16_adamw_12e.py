# Visual-text side of the visual-text vs cross-entropy comparison (docs/visual_text.md): the same
# backbone, optimiser and budget as stgcn16_ce_adamw_12e.py, frozen (cached) text encoder.
#   --cfg-options model.cls_head.prompt_mode=handcrafted      (handcrafted prompts)
_base_ = '../visual_text_skeleton.py'
model = dict(backbone=dict(base_channels=16), cls_head=dict(in_channels=64, text_trainable=False))
optim_wrapper = dict(_delete_=True, optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.01))
param_scheduler = [dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True,
                        convert_to_iter_based=True)]
train_cfg = dict(max_epochs=12)
work_dir = 'work_dirs/ablations/visual_text_stgcn16_adamw_12e'
