"""Backbone feature maps of any mmaction2 recognizer as per-sample token sequences."""
import torch

#: visual_format -> the backbone output it expects (B' = samples x views or segments)
VISUAL_FORMATS = {
    'gcn': "(B', M, C, T, V) from GCN backbones (STGCN, AAGCN) in RecognizerGCN",
    '3d': "(B', C, T, H, W) from 3D backbones (ResNet2Plus1d, ResNet3d) in Recognizer3D",
    '2d': "(B', C, H, W) from 2D backbones (ResNetTSM) in Recognizer2D, B' = samples x segments",
    'vector': "(B', C) pooled features",
}
CONTEXT_TOKENS = ('temporal', 'all')


def visual_tokens(feats: torch.Tensor, visual_format: str, num_samples: int,
                  context_tokens: str = 'temporal') -> torch.Tensor:
    """Regroup a backbone output into ``(num_samples, L, C)`` tokens.

    The ``B'`` rows of the backbone output are ``num_samples`` groups of ``B' / num_samples``
    views (test-time clips) or TSM segments; every view's tokens join its sample's sequence.
    ``context_tokens='temporal'`` gives one token per time step (space / joints / persons
    averaged), ``'all'`` one per time step x position (x person).

    Args:
        feats (torch.Tensor): Backbone output in ``visual_format``.
        visual_format (str): One of :data:`VISUAL_FORMATS`.
        num_samples (int): Number of samples in the batch.
        context_tokens (str): ``'temporal'`` or ``'all'``.

    Returns:
        torch.Tensor: Tokens of shape ``(num_samples, L, C)``.
    """
    if isinstance(feats, (tuple, list)):
        feats = feats[-1]
    if visual_format not in VISUAL_FORMATS:
        raise ValueError(f'visual_format={visual_format!r}; expected one of {sorted(VISUAL_FORMATS)}')
    if context_tokens not in CONTEXT_TOKENS:
        raise ValueError(f'context_tokens={context_tokens!r}; expected one of {CONTEXT_TOKENS}')
    want = {'gcn': 5, '3d': 5, '2d': 4, 'vector': 2}[visual_format]
    if feats.dim() != want:
        raise ValueError(f"visual_format={visual_format!r} expects {VISUAL_FORMATS[visual_format]}, "
                         f'got shape {tuple(feats.shape)}; set the head\'s visual_format to match '
                         'the backbone')
    if feats.shape[0] % num_samples:
        raise ValueError(f'{feats.shape[0]} feature rows for {num_samples} samples')
    views = feats.shape[0] // num_samples
    if visual_format == 'gcn':  # (B', M, C, T, V)
        if context_tokens == 'temporal':
            tok = feats.mean(dim=(1, 4)).transpose(1, 2)  # (B', T, C)
        else:
            tok = feats.permute(0, 1, 3, 4, 2).flatten(1, 3)  # (B', M*T*V, C)
    elif visual_format == '3d':  # (B', C, T, H, W)
        if context_tokens == 'temporal':
            tok = feats.mean(dim=(3, 4)).transpose(1, 2)
        else:
            tok = feats.flatten(2).transpose(1, 2)
    elif visual_format == '2d':  # (B', C, H, W): one row per segment
        if context_tokens == 'temporal':
            tok = feats.mean(dim=(2, 3)).unsqueeze(1)
        else:
            tok = feats.flatten(2).transpose(1, 2)
    else:
        tok = feats.unsqueeze(1)
    return tok.reshape(num_samples, views * tok.shape[1], tok.shape[2])

