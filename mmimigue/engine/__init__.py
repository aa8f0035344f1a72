"""Training-loop components: LR schedules that follow ``train_cfg.max_epochs``, progress lines,
balanced-softmax priors from the training data, the label check before training, warnings for
accuracies below guessing."""
from .chance_level_hook import MGChanceLevelHook
from .class_prior_hook import MGClassPriorHook, training_prior
from .data_check_hook import MGDataCheckHook
from .fraction_multistep import MGFractionMultiStepLR
from .progress import Heartbeat, MGProgressHook

__all__ = ['MGFractionMultiStepLR', 'Heartbeat', 'MGChanceLevelHook', 'MGClassPriorHook',
           'MGDataCheckHook',
           'MGProgressHook',
           'training_prior']
