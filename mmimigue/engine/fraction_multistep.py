"""Step decay at fractions of the schedule, so a published step schedule follows max_epochs."""
from typing import Sequence

from mmaction.registry import PARAM_SCHEDULERS
from mmengine.optim.scheduler import MultiStepLR
from mmengine.optim.scheduler.param_scheduler import INF


@PARAM_SCHEDULERS.register_module()
class MGFractionMultiStepLR(MultiStepLR):
    """mmengine's ``MultiStepLR`` with milestones given as fractions of ``end - begin``.

    A paper's "lr x0.1 at epochs 10 and 50 of 80" is ``milestone_fractions=(0.125, 0.625)``.
    Leave ``end`` out of the config: mmengine's Runner then sets it to ``train_cfg.max_epochs``
    (iterations when ``by_epoch=False``), so ``--cfg-options train_cfg.max_epochs=30`` decays at
    epochs 4 and 19 instead of training 20 epochs at lr / 100 as fixed milestones would.
    Milestones are rounded to the nearest step and kept >= ``begin + 1``.

    Args:
        optimizer: Wrapped optimizer (given by the Runner).
        milestone_fractions (Sequence[float]): Increasing fractions in (0, 1).
        gamma (float): Decay factor at each milestone. Defaults to 0.1.
        begin (int): First step of the schedule. Defaults to 0.
        end (int): Last step (exclusive); must be finite (the Runner's default
            ``max_epochs`` is). Defaults to INF.
        **kwargs: ``by_epoch``, ``last_step``, ``verbose`` as in ``MultiStepLR``.
    """

    def __init__(self, optimizer, milestone_fractions: Sequence[float], gamma: float = 0.1,
                 begin: int = 0, end: int = INF, **kwargs) -> None:
        fractions = [float(f) for f in milestone_fractions]
        if not fractions or any(not 0 < f < 1 for f in fractions) or fractions != sorted(fractions):
            raise ValueError('MGFractionMultiStepLR: milestone_fractions must be increasing values '
                             f'in (0, 1), got {milestone_fractions!r}')
        if end == INF:
            raise ValueError('MGFractionMultiStepLR needs a finite end: build it through a Runner '
                             '(which sets end = train_cfg.max_epochs) or pass end explicitly')
        span = end - begin
        milestones = [begin + max(1, int(round(f * span))) for f in fractions]
        self.milestone_fractions = fractions
        super().__init__(optimizer, milestones=milestones, gamma=gamma, begin=begin, end=end,
                         **kwargs)

    @classmethod
    def build_iter_from_epoch(cls, *args, milestone_fractions, begin=0, end=INF,
                              by_epoch=True, epoch_length=None, **kwargs):
        """Iteration-based instance of an epoch-based config (``convert_to_iter_based``)."""
        assert by_epoch and epoch_length, 'epoch-based config and a positive epoch_length'
        end = INF if end == INF else int(end * epoch_length)
        return cls(*args, milestone_fractions=milestone_fractions, begin=int(begin * epoch_length),
                   end=end, by_epoch=False, **kwargs)


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
PARAM_SCHEDULERS.register_module(name='FractionMultiStepLR', module=MGFractionMultiStepLR)
