"""Set balanced-softmax priors from the data a run really trains on."""
import numpy as np
from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper


def training_prior(dataset, sampler, num_classes: int) -> np.ndarray:
    """The class distribution the model sees: the labels' counts (a class without clips counts
    as one), raised to ``sampler.power`` when the sampler is ``MGClassBalancedSampler``."""
    from ..datasets.class_balanced_sampler import MGClassBalancedSampler, dataset_labels
    counts = np.bincount(dataset_labels(dataset), minlength=num_classes)
    if len(counts) > num_classes:
        raise ValueError(f'the training labels reach class {len(counts) - 1} but the loss has '
                         f'{num_classes} classes')
    counts = np.maximum(counts, 1).astype(np.float64)
    if isinstance(sampler, MGClassBalancedSampler):
        counts = counts ** sampler.power
    return counts / counts.sum()


@HOOKS.register_module()
class MGClassPriorHook(Hook):
    """Before training, give every ``MGBalancedSoftmaxLoss(class_counts='auto')`` of the model
    :func:`training_prior` of ``runner.train_dataloader`` (its dataset and sampler)."""

    priority = 'NORMAL'

    def before_train(self, runner) -> None:
        from ..models.losses import MGBalancedSoftmaxLoss
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        losses = [m for m in model.modules()
                  if isinstance(m, MGBalancedSoftmaxLoss) and m.auto]
        if not losses:
            raise RuntimeError("MGClassPriorHook found no MGBalancedSoftmaxLoss(class_counts="
                               "'auto') in the model; remove the hook or set the loss to 'auto'")
        loader = runner.train_dataloader
        for loss in losses:
            prior = training_prior(loader.dataset, loader.sampler, len(loss.log_prior))
            loss.set_prior(prior)
        print_log(f'MGClassPriorHook: balanced-softmax prior from {len(loader.dataset)} training '
                  f'clips ({type(loader.sampler).__name__}); largest class share '
                  f'{prior.max():.3f}, smallest {prior.min():.4f}', logger='current')
