# Visual-text MG recognizer on iMiGUE RGB, stage 2: the aligned R(2+1)D + visual projection of
# stage 1 frozen, a two-layer MLP classifier trained with cross-entropy (AdamW, lr 1e-3).
# Run configs/imigue/visual-text_r2plus1d-r34_1xb8-u32-180e_imigue-rgb.py first; `load_from` points at its
# last checkpoint.
# Stage 2's epoch count is not given in the paper: 20 here.
_base_ = ['./r2plus1d_r34_1xb8-u32-180e_imigue-rgb.py', '../_base_/models/visual_text_head.py']

model = dict(
    type='MGFreezableRecognizer3D',
    freeze_backbone=True,
    cls_head=dict(_base_.visual_text_mlp_head, _delete_=True, in_channels=512,
                  visual_format='3d'))
load_from = 'work_dirs/imigue_visual_text_rgb'  # stage 1's work dir: its last checkpoint

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_begin=1, val_interval=1)
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)]
optim_wrapper = dict(_base_.visual_text_mlp_optim_wrapper, _delete_=True)

# Explicit so that stage 1 and stage 2 (which inherits this file) never share a work dir.
work_dir = 'work_dirs/imigue_visual_text_rgb_mlp'
