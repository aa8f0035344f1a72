"""Shared input check of the emotion sequence aggregators (labels or vectors plus a mask)."""
from typing import Optional, Tuple

import torch


def check_sequence_input(seq: torch.Tensor, mask: Optional[torch.Tensor], in_channels: int,
                         owner: str) -> Tuple[torch.Tensor, torch.Tensor]:
    """Validate an emotion-model input and return ``(mask, lengths)``.

    Args:
        seq: (B, L) integer labels in ``[0, in_channels)`` or (B, L, in_channels) floats.
        mask: (B, L) bool, True on real steps, which must form a prefix of each row.
        in_channels: Vector size, or number of label classes.
        owner: Model name used in error messages.

    Raises:
        ValueError: on a wrong shape, an out-of-range label, an empty or non-prefix mask.
    """
    if torch.is_floating_point(seq):
        if seq.dim() != 3 or seq.shape[-1] != in_channels:
            raise ValueError(f'{owner}: vector input must be (B, L, {in_channels}), got '
                             f'{tuple(seq.shape)}; set in_channels to the size of the chosen '
                             'modality (number of classes for prob/score, feature dim for '
                             'feature)')
    else:
        if seq.dim() != 2:
            raise ValueError(f'{owner}: label input must be (B, L) integers, got '
                             f'{tuple(seq.shape)}')
    if mask is None:
        mask = torch.ones(seq.shape[:2], dtype=torch.bool, device=seq.device)
    mask = mask.to(device=seq.device, dtype=torch.bool)
    if mask.shape != seq.shape[:2]:
        raise ValueError(f'{owner}: mask shape {tuple(mask.shape)} does not match the sequence '
                         f'{tuple(seq.shape[:2])}')
    if not torch.is_floating_point(seq):
        valid = seq[mask]
        if valid.numel() and (valid.min() < 0 or valid.max() >= in_channels):
            raise ValueError(f'{owner}: labels must lie in [0, {in_channels}), got '
                             f'[{int(valid.min())}, {int(valid.max())}]; set in_channels to '
                             'the number of MG classes')
    lengths = mask.sum(1)
    if (lengths == 0).any():
        raise ValueError(f'{owner}: a sequence has no valid step')
    prefix = torch.arange(mask.shape[1], device=mask.device)[None] < lengths[:, None]
    if not torch.equal(prefix, mask):
        raise ValueError(f'{owner}: mask must mark a prefix of each sequence (pad at the end)')
    return mask, lengths
