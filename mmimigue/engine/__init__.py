"""Training-loop components: LR schedules that follow ``train_cfg.max_epochs``, progress lines."""
from .fraction_multistep import FractionMultiStepLR
from .progress import Heartbeat, MGProgressHook

__all__ = ['FractionMultiStepLR', 'Heartbeat', 'MGProgressHook']
