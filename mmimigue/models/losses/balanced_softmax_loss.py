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
    """Clips per class of ``split`` in a converted pickle (iMiGUE or SMG), read data-only."""
    from ...datasets.formats.safe_pickle import load_converted_pickle
    content = load_converted_pickle(ann_file)
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

    or, preferably, from the data the run really trains on::

        loss_cls=dict(type='MGBalancedSoftmaxLoss', num_classes=32, class_counts='auto')
        custom_hooks = [dict(type='MGClassPriorHook')]

    where the hook sets the prior before training from the training dataset's labels and its
    sampler (with :class:`~mmimigue.datasets.MGClassBalancedSampler` the model sees classes in
    proportion to ``n_c ** power``, and that is the prior to adjust for; adjusting by the raw
    counts as well would correct the imbalance twice). A ``--cfg-options`` change of the
    dataset's ``ann_file`` or ``split`` then changes the prior with it.

    A class without training clips counts as one (its log prior stays finite).

    Args:
        class_counts (Sequence[int] | str, optional): Training clips per class, or ``'auto'``
            (set by :class:`~mmimigue.engine.MGClassPriorHook`; needs ``num_classes``).
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
        self.auto = isinstance(class_counts, str)
        if self.auto and class_counts != 'auto':
            raise ValueError(f"class_counts must be a list of counts or 'auto', got "
                             f'{class_counts!r}')
        if (ann_file is not None or self.auto) and num_classes is None:
            raise ValueError('MGBalancedSoftmaxLoss: give num_classes with ann_file or '
                             "class_counts='auto'")
        self._prior_set = not self.auto
        if ann_file is not None:
            class_counts = split_class_counts(ann_file, split, num_classes)
        elif self.auto:
            class_counts = np.ones(num_classes)  # uniform until MGClassPriorHook sets it
        counts = torch.as_tensor(np.asarray(class_counts, np.float64)).clamp(min=1)
        if counts.ndim != 1 or len(counts) < 2:
            raise ValueError(f'class_counts must list at least two classes, got {class_counts}')
        self.tau = float(tau)
        self.register_buffer('log_prior', (counts / counts.sum()).log().float())

    def set_prior(self, prior: Sequence[float]) -> None:
        """The training class distribution (any positive weights; normalised here)."""
        prior = torch.as_tensor(np.asarray(prior, np.float64))
        if prior.shape != self.log_prior.shape or (prior <= 0).any():
            raise ValueError(f'MGBalancedSoftmaxLoss: the prior needs {len(self.log_prior)} '
                             f'positive weights, got {tuple(prior.shape)}')
        self.log_prior.copy_((prior / prior.sum()).log().float())
        self._prior_set = True

    def _forward(self, cls_score: torch.Tensor, label: torch.Tensor, **kwargs) -> torch.Tensor:
        if not self._prior_set:
            raise RuntimeError("MGBalancedSoftmaxLoss(class_counts='auto') has no prior yet: "
                               "add custom_hooks=[dict(type='MGClassPriorHook')] to the config")
        if cls_score.shape[-1] != len(self.log_prior):
            raise ValueError(f'MGBalancedSoftmaxLoss has {len(self.log_prior)} class counts but '
                             f'the head scores {cls_score.shape[-1]} classes')
        adjusted = cls_score + self.tau * self.log_prior.to(cls_score)
        if label.shape == cls_score.shape:  # soft labels (mixup / label smoothing)
            return -(label * F.log_softmax(adjusted, -1)).sum(-1).mean()
        return F.cross_entropy(adjusted, label.long().view(-1))
