"""Training-loop components: LR schedules that follow ``train_cfg.max_epochs``."""
from .fraction_multistep import FractionMultiStepLR

__all__ = ['FractionMultiStepLR']
