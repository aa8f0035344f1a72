"""Before the first step, check that the model can score every training label."""
from typing import Optional

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper


def model_num_classes(model) -> Optional[int]:
    """The classes the model's head scores (None for models without a classifying head)."""
    model = model.module if is_model_wrapper(model) else model
    heads = [getattr(model, 'cls_head', None)]
    if hasattr(model, 'cls_heads'):
        heads += list(model.cls_heads.values())  # the dual-stream recognizer's per-stream heads
    counts = [h.num_classes for h in heads if isinstance(getattr(h, 'num_classes', None), int)]
    return min(counts) if counts else None


@HOOKS.register_module()
class MGDataCheckHook(Hook):
    """Stop before training when a training label is not a class the head scores (a config's
    ``num_classes`` smaller than the data's classes would otherwise fail with a bare index error
    in the first loss)."""

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        num_classes = model_num_classes(runner.model)
        if num_classes is None:
            return
        from ..datasets.class_balanced_sampler import dataset_labels
        dataset = runner.train_dataloader.dataset
        try:
            labels = dataset_labels(dataset)
        except (TypeError, ValueError):  # no single integer label per sample: nothing to check
            return
        if len(labels) and labels.max() >= num_classes:
            raise ValueError(
                f'the training data ({type(dataset).__name__}, '
                f'{getattr(dataset, "ann_file", "")}) has label {int(labels.max())} but the '
                f'model scores {num_classes} classes; set model.cls_head.num_classes to at '
                f'least {int(labels.max()) + 1} or train on the matching dataset')
