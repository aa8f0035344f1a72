"""Every config's LR schedule follows ``train_cfg.max_epochs`` (``--cfg-options
train_cfg.max_epochs=N``): it reaches its peak, decays by the end, and has no long dead tail."""
import copy
import glob
import os.path as osp

import pytest
import torch
from mmaction.registry import PARAM_SCHEDULERS
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.optim.scheduler.param_scheduler import INF

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.engine import MGFractionMultiStepLR

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'), recursive=True)
                 if '_base_' not in p)
EPOCH_LENGTH = 7


def lr_curve(schedulers, max_epochs: int, epoch_length: int = EPOCH_LENGTH):
    """The lr of every training iteration, built and stepped the way mmengine's Runner and
    ParamSchedulerHook do (default ``end`` = max_epochs, iteration- and epoch-based steps)."""
    optim = OptimWrapper(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0))
    built = []
    for sch in ([schedulers] if isinstance(schedulers, dict) else schedulers):
        sch = copy.deepcopy(dict(sch))
        sch.setdefault('end', max_epochs if sch.get('by_epoch', True) else INF)
        built.append(PARAM_SCHEDULERS.build(
            sch, default_args=dict(optimizer=optim, epoch_length=epoch_length)))
    lrs = []
    for _ in range(max_epochs):
        for _ in range(epoch_length):
            lrs.append(optim.param_groups[0]['lr'])
            for s in built:
                if not s.by_epoch:
                    s.step()
        for s in built:
            if s.by_epoch:
                s.step()
    return torch.tensor(lrs)


def _schedulers(path):
    cfg = Config.fromfile(path)
    return cfg.get('param_scheduler'), cfg.train_cfg.get('max_epochs')


def _low_fraction(lrs):
    return (lrs <= 0.1001 * lrs.max()).float().mean().item()


def test_every_config_is_checked():
    with_schedule = [p for p in CONFIGS if _schedulers(p)[0]]
    assert len(with_schedule) >= 20, with_schedule


@pytest.mark.parametrize('max_epochs', [3, 30, 200])
@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_schedule_follows_max_epochs(path, max_epochs):
    schedulers, native_epochs = _schedulers(path)
    if not schedulers:
        pytest.skip('constant learning rate')
    lrs = lr_curve(schedulers, max_epochs)
    peak = lrs.max().item()
    native_lrs = lr_curve(schedulers, native_epochs)
    if native_lrs[-1] > 0.5 * native_lrs.max():  # near-constant by design (U-S-VAE's paper)
        assert lrs.min() > 0.5 * peak
        return
    assert lrs[-1] <= 0.2 * peak, f'no decay by the end of {max_epochs} epochs: {lrs[-1]:.3g}'
    dead = (lrs <= 0.011 * peak).float().mean().item()
    assert dead <= 0.4, f'{dead:.0%} of training at <= 1% of the peak lr'
    if max_epochs >= 30:  # fixed-length warm-ups (5 epochs at most) are short next to the run
        assert peak > 0.5, f'the lr never comes near its base value: peak {peak:.3g}'
        first = lrs[:len(lrs) // 4]
        assert first.max() >= 0.9 * peak, 'the peak lr is not reached in the first quarter'
        # the same shape as at the config's own length: as long at <= 10 % of the peak lr
        native = _low_fraction(native_lrs)
        assert abs(_low_fraction(lrs) - native) <= 0.15, (
            f'{_low_fraction(lrs):.0%} of training at <= 10% of the peak lr; '
            f'{native:.0%} at the config\'s own {native_epochs} epochs')


def test_fixed_milestones_are_what_the_check_catches():
    """The bug this guards against: milestones fixed for 80 epochs, run for 30."""
    fixed = [dict(type='MultiStepLR', begin=0, end=80, by_epoch=True, milestones=[10, 50])]
    assert abs(_low_fraction(lr_curve(fixed, 30)) - _low_fraction(lr_curve(fixed, 80))) > 0.15


def test_fraction_milestones_scale_with_max_epochs():
    cfg = dict(type='MGFractionMultiStepLR', by_epoch=True, milestone_fractions=[0.125, 0.625])
    for epochs, milestones in ((80, (10, 50)), (30, (4, 19)), (8, (1, 5))):
        lrs = lr_curve([cfg], epochs, epoch_length=1)
        steps = torch.nonzero(lrs[1:] < lrs[:-1] * 0.5).flatten() + 1
        assert tuple(steps.tolist()) == milestones
        assert torch.allclose(lrs[-1], torch.tensor(0.01))
    iter_based = lr_curve([dict(cfg, convert_to_iter_based=True)], 8, epoch_length=10)
    steps = torch.nonzero(iter_based[1:] < iter_based[:-1] * 0.5).flatten() + 1
    assert steps.tolist() == [10, 50]


def test_fraction_milestones_reject_bad_input():
    optim = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    with pytest.raises(ValueError, match='increasing values in \\(0, 1\\)'):
        MGFractionMultiStepLR(optim, milestone_fractions=[0.6, 0.3], end=10)
    with pytest.raises(ValueError, match='increasing values in \\(0, 1\\)'):
        MGFractionMultiStepLR(optim, milestone_fractions=[1.5], end=10)
    with pytest.raises(ValueError, match='finite end'):
        MGFractionMultiStepLR(optim, milestone_fractions=[0.5])
