# Visual-text MG recognizer on SMG skeletons, stage 2: the aligned ST-GCN + visual projection
# frozen, a two-layer MLP classifier with cross-entropy (AdamW, lr 1e-3). Run
# configs/smg/visual-text_stgcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py first; `load_from` points at its
# last checkpoint.
_base_ = ['./visual-text_stgcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py']

model = dict(
    freeze_backbone=True,
    cls_head=dict(_base_.visual_text_mlp_head, _delete_=True, num_classes=17))
load_from = 'work_dirs/smg_visual_text_skeleton'  # stage 1's work dir: its last checkpoint
optim_wrapper = dict(_base_.visual_text_mlp_optim_wrapper, _delete_=True)

# Explicit so that stage 1 and stage 2 (which inherits this file) never share a work dir.
work_dir = 'work_dirs/smg_visual_text_skeleton_mlp'
