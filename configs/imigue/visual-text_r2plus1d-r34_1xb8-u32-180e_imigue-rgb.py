# Visual-text MG recognizer (Li, Xing, Liu), stage 1 = visual-text alignment with adaptive
# prompting, on iMiGUE RGB clips: the paper's setting (R(2+1)D-34 video encoder, 32 frames
# sampled uniformly over each clip, 224x224; all-MiniLM-L6-v2 text encoder in place of the
# paper's DistilBERT, D=256, tau=0.05, symmetric KL loss, AdamW with lr 1e-4 video encoder /
# 1e-5 text encoder / 1e-3 new projection and prompting layers). Data, pipelines and epochs
# are those of the R(2+1)D baseline (MGIMiGUERGBDataset decodes clips out of the full videos).
# Test prediction is by text similarity; stage 2 is
# configs/imigue/visual-text-mlp_r2plus1d-r34_1xb8-u32-20e_imigue-rgb.py.
#   python tools/train.py configs/imigue/visual-text_r2plus1d-r34_1xb8-u32-180e_imigue-rgb.py
#   TSM video encoder instead: see docs/visual_text.md
# Needs the text extra (`pip install -e .[text]`).
_base_ = ['./r2plus1d_r34_1xb8-u32-180e_imigue-rgb.py', '../_base_/models/visual_text_head.py']

model = dict(
    type='MGFreezableRecognizer3D',
    cls_head=dict(_base_.visual_text_head, _delete_=True, in_channels=512, visual_format='3d'))

optim_wrapper = dict(_base_.visual_text_optim_wrapper, _delete_=True,
                     clip_grad=dict(max_norm=40, norm_type=2))

# Explicit so that stage 1 and stage 2 (which inherits this file) never share a work dir.
work_dir = 'work_dirs/imigue_visual_text_rgb'
