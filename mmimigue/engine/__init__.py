"""Training-loop components: LR schedules that follow ``train_cfg.max_epochs``, progress lines,
balanced-softmax priors from the training data."""
from .class_prior_hook import MGClassPriorHook, training_prior
from .fraction_multistep import FractionMultiStepLR
from .progress import Heartbeat, MGProgressHook

__all__ = ['FractionMultiStepLR', 'Heartbeat', 'MGClassPriorHook', 'MGProgressHook',
           'training_prior']
