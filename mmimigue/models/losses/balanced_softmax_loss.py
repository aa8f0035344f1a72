"""Balanced softmax (logit-adjusted cross-entropy) for long-tailed MG classes.

Training minimises ``CE(z + tau * log(prior), y)`` with ``prior_c = n_c / sum(n)`` the training
class frequencies: Balanced Softmax (Ren et al., NeurIPS 2020) for ``tau = 1``, the logit
adjustment loss of Menon et al. (ICLR 2021) in general. The model's raw logits ``z`` then
estimate class scores under a uniform prior, so test-time predictions need no change; the head
classes stop absorbing the tail, which mean class accuracy rewards.
"""
from typing import Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from mmaction.models.losses.base import BaseWeightedLoss

from mmaction.registry import MODELS


def split_class_counts(ann_file: str, split: str, num_classes: int) -> np.ndarray:
    """Clips per class of ``split`` in a converted pickle (iMiGUE or SMG)."""
    import mmengine
    content = mmengine.load(ann_file)
    if split not in content.get('split', {}):
        raise KeyError(f'{ann_file} has no split {split!r}; available: '
                       f'{sorted(content.get("split", {}))}')
    keep = set(content['split'][split])
    labels = [int(a['label']) for a in content['annotations'] if a['frame_dir'] in keep]
    if labels and max(labels) >= num_classes:
        raise ValueError(f'{ann_file}: label {max(labels)} is outside num_classes={num_classes}')
    return np.bincount(labels, minlength=num_classes)


@MODELS.register_module()
class MGBalancedSoftmaxLoss(BaseWeightedLoss):
    """Cross-entropy on logits shifted by ``tau * log(class prior)`` (see the module docstring).

    Give the training class counts either directly or as the pickle + split they come from::

        loss_cls=dict(type='MGBalancedSoftmaxLoss', class_counts=[5741, 2960, ...])
        loss_cls=dict(type='MGBalancedSoftmaxLoss', num_classes=32,
                      ann_file='data/imigue/imigue_skeleton.pkl', split='xsub_train')

    A class without training clips counts as one (its log prior stays finite).

    Args:
        class_counts (Sequence[int], optional): Training clips per class.
        ann_file (str, optional): Converted pickle to count them from, with ``split``.
        split (str): Split of ``ann_file``. Defaults to ``'xsub_train'``.
        num_classes (int, optional): Needed with ``ann_file``.
        tau (float): Strength of the adjustment; 1 is Balanced Softmax. Defaults to 1.0.
        loss_weight (float): Defaults to 1.0.
    """

    def __init__(self, class_counts: Optional[Sequence[int]] = None,
                 ann_file: Optional[str] = None, split: str = 'xsub_train',
                 num_classes: Optional[int] = None, tau: float = 1.0,
                 loss_weight: float = 1.0) -> None:
        super().__init__(loss_weight=loss_weight)
        if (class_counts is None) == (ann_file is None):
            raise ValueError('MGBalancedSoftmaxLoss needs exactly one of class_counts or '
                             'ann_file (+ split, num_classes)')
        if ann_file is not None:
            if num_classes is None:
                raise ValueError('MGBalancedSoftmaxLoss: give num_classes with ann_file')
            class_counts = split_class_counts(ann_file, split, num_classes)
        counts = torch.as_tensor(np.asarray(class_counts, np.float64)).clamp(min=1)
        if counts.ndim != 1 or len(counts) < 2:
            raise ValueError(f'class_counts must list at least two classes, got {class_counts}')
        self.tau = float(tau)
        self.register_buffer('log_prior', (counts / counts.sum()).log().float())

    def _forward(self, cls_score: torch.Tensor, label: torch.Tensor, **kwargs) -> torch.Tensor:
        if cls_score.shape[-1] != len(self.log_prior):
            raise ValueError(f'MGBalancedSoftmaxLoss has {len(self.log_prior)} class counts but '
                             f'the head scores {cls_score.shape[-1]} classes')
        adjusted = cls_score + self.tau * self.log_prior.to(cls_score)
        if label.shape == cls_score.shape:  # soft labels (mixup / label smoothing)
            return -(label * F.log_softmax(adjusted, -1)).sum(-1).mean()
        return F.cross_entropy(adjusted, label.long().view(-1))
