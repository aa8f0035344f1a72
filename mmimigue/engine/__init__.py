"""Training-loop components: LR schedules that follow ``train_cfg.max_epochs``, progress lines,
balanced-softmax priors from the training data."""
from .class_prior_hook import MGClassPriorHook, training_prior
from .fraction_multistep import MGFractionMultiStepLR
from .progress import Heartbeat, MGProgressHook

__all__ = ['MGFractionMultiStepLR', 'Heartbeat', 'MGClassPriorHook', 'MGProgressHook',
           'training_prior']
