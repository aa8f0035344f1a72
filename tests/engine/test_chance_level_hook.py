"""MGChanceLevelHook: a warning when a validation top-1 is no better than guessing."""
from types import SimpleNamespace

import numpy as np

from mmimigue.engine.chance_level_hook import MGChanceLevelHook, below_chance, chance_levels


def test_levels_and_the_accuracies_below_them():
    levels = chance_levels(np.array([0, 0, 0, 1, 2, 3, 0, 0, 0, 0]), num_classes=32)
    assert levels == dict(chance=1 / 32, majority=0.7)
    metrics = {'acc/top1': 0.5, 'acc/fused_top1': 0.04, 'acc/top5': 0.2, 'acc/mean1': 0.1,
               'acc/spatial_top1': 0.75}
    assert below_chance(metrics, levels) == {'acc/top1': 0.5, 'acc/fused_top1': 0.04}
    # with balanced labels the floor is chance
    assert below_chance({'acc/top1': 0.03}, chance_levels(np.arange(32), 32)) == \
        {'acc/top1': 0.03}


class _Logger:
    def __init__(self):
        self.lines = []

    def warning(self, msg):
        self.lines.append(msg)


def test_hook_warns_early_and_after_the_last_epoch(monkeypatch):
    hook = MGChanceLevelHook()
    hook._levels = dict(chance=1 / 32, majority=0.31)
    runner = SimpleNamespace(epoch=1, max_epochs=10, logger=_Logger())
    hook.after_val_epoch(runner, {'acc/fused_top1': 0.04, 'acc/top5': 0.5})
    hook.after_val_epoch(runner, {'acc/top1': 0.6})  # above both: nothing
    runner.epoch = 10
    hook.after_val_epoch(runner, {'acc/top1': 0.2})
    first, last = runner.logger.lines
    assert 'acc/fused_top1 0.040 is below guessing' in first and 'majority class is 0.310' in first
    assert 'after epoch 1: expected this early' in first
    assert 'after the last epoch' in last and 'learned nothing usable' in last
