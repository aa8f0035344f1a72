# Visual-text MG recognizer, stage 2: the aligned visual encoder (ST-GCN + visual projection of
# stage 1) frozen, a two-layer MLP classifier trained with cross-entropy, AdamW lr 1e-3.
# Run stage 1 first (configs/imigue/visual-text_stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py);
# `load_from` points at its last
# checkpoint (override with --cfg-options load_from=...). Stage 2's epoch count is not given in
# the paper: 20 here.
_base_ = ['./visual-text_stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py']

model = dict(
    freeze_backbone=True,
    cls_head=dict(_base_.visual_text_mlp_head, _delete_=True))
load_from = 'work_dirs/imigue_visual_text_skeleton'  # stage 1's work dir: its last checkpoint

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_begin=1, val_interval=1)
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)
]
optim_wrapper = dict(_base_.visual_text_mlp_optim_wrapper, _delete_=True)

# Explicit so that stage 1 and stage 2 (which inherits this file) never share a work dir.
work_dir = 'work_dirs/imigue_visual_text_skeleton_mlp'
