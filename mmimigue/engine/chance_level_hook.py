"""Say so when a validation accuracy is no better than guessing.

A top-1 below the majority class's share (always answering the most frequent class) or below
chance (1 / classes) is printed by mmengine like any other number; a user of a short run can
take it for a result. This hook adds a warning naming both baselines, and says whether it is
early in training (expected) or after the last epoch (the run learned nothing usable).
"""
from typing import Dict, Optional

import numpy as np
from mmaction.registry import HOOKS
from mmengine.hooks import Hook


def chance_levels(labels: np.ndarray, num_classes: int) -> Dict[str, float]:
    """``chance`` (1 / classes) and ``majority`` (the most frequent label's share)."""
    labels = np.asarray(labels, np.int64).reshape(-1)
    majority = float(np.bincount(labels).max() / len(labels)) if len(labels) else 0.0
    return dict(chance=1.0 / max(num_classes, 1), majority=majority)


def below_chance(metrics: Dict[str, float], levels: Dict[str, float]) -> Dict[str, float]:
    """The top-1 accuracies (keys ending in ``top1``) below the better of the two baselines."""
    floor = max(levels['chance'], levels['majority'])
    return {k: float(v) for k, v in metrics.items()
            if k.endswith('top1') and isinstance(v, (int, float)) and float(v) < floor}


@HOOKS.register_module()
class MGChanceLevelHook(Hook):
    """After each validation, warn about top-1 accuracies below the majority class or chance
    (see the module docstring). Labels are read once from the validation dataset."""

    priority = 'LOW'

    def __init__(self) -> None:
        self._levels: Optional[Dict[str, float]] = None

    def _levels_of(self, runner) -> Optional[Dict[str, float]]:
        if self._levels is None:
            from ..datasets.class_balanced_sampler import dataset_labels
            from .data_check_hook import model_num_classes
            try:
                labels = dataset_labels(runner.val_dataloader.dataset)
            except (TypeError, ValueError, AttributeError):  # no single label per sample
                return None
            num_classes = model_num_classes(runner.model) or (int(labels.max()) + 1
                                                              if len(labels) else 1)
            self._levels = chance_levels(labels, num_classes)
        return self._levels

    def after_val_epoch(self, runner, metrics: Optional[Dict[str, float]] = None) -> None:
        levels = self._levels_of(runner) if metrics else None
        if not levels:
            return
        low = below_chance(metrics, levels)
        if not low:
            return
        last = runner.epoch >= runner.max_epochs if hasattr(runner, 'max_epochs') else False
        when = ('after the last epoch: the model learned nothing usable on these classes; '
                'check the data, the labels and the learning rate' if last else
                f'after epoch {runner.epoch}: expected this early, not as a result')
        names = ', '.join(f'{k} {v:.3f}' for k, v in low.items())
        runner.logger.warning(
            f'{names} is below guessing: the majority class is {levels["majority"]:.3f} of the '
            f'validation clips and chance is {levels["chance"]:.3f} ({when})')
