# Visual-text MG recognizer (Li, Xing, Liu), stage 1 with adaptive prompting, on SMG 3D Kinect
# skeletons (ST-GCN, NTU 25-joint layout, cross-subject). Data, pipelines, batch and epochs are
# those of the SMG ST-GCN baseline; the paper's D=256, tau=0.05, KL loss and AdamW learning
# rates (1e-4 visual, 1e-5 text, 1e-3 projection / prompting layers) replace its SGD recipe.
# Class names are the packaged SMG names (their order is unconfirmed, see protocol/smg.json).
#   python tools/train.py configs/smg/visual-text_stgcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py
# Stage 2 (frozen encoder + MLP):
# configs/smg/visual-text-mlp_stgcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py.
# Needs the text extra (`pip install -e .[text]`).
_base_ = [
    '../_base_/default_runtime.py', '../_base_/datasets/smg_skeleton_joint.py',
    '../_base_/schedules/sgd_cosine_16e.py', '../_base_/models/stgcn_ntu25.py',
    '../_base_/models/visual_text_head.py'
]

model = dict(
    type='MGFreezableRecognizerGCN',
    cls_head=dict(_base_.visual_text_head, _delete_=True, num_classes=17, class_names='smg'))

optim_wrapper = dict(_base_.visual_text_optim_wrapper, _delete_=True)

# Explicit so that stage 1 and stage 2 (which inherits this file) never share a work dir.
default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=100))

work_dir = 'work_dirs/smg_visual_text_skeleton'
