"""A config whose head scores fewer classes than the data holds stops before the first step, and
long-tail tools cope with a class that has no clip."""
import numpy as np
import pytest
import torch
from mmengine.dataset import BaseDataset

from mmimigue.engine import MGDataCheckHook, training_prior
from mmimigue.engine.data_check_hook import model_num_classes


class _Labels(BaseDataset):
    def __init__(self, labels):
        self._labels = labels
        super().__init__(serialize_data=False, lazy_init=False)

    def load_data_list(self):
        return [dict(label=int(v)) for v in self._labels]


class _Runner:
    def __init__(self, labels, num_classes):
        self.model = torch.nn.Module()
        self.model.cls_head = torch.nn.Module()
        self.model.cls_head.num_classes = num_classes
        self.train_dataloader = type('L', (), dict(dataset=_Labels(labels)))()


def test_labels_beyond_the_head_stop_training():
    with pytest.raises(ValueError, match=r'label 31 but the model scores 17 classes.*num_classes'):
        MGDataCheckHook().before_train(_Runner([0, 5, 31], 17))
    MGDataCheckHook().before_train(_Runner([0, 5, 31], 32))
    runner = _Runner([0, 1], 3)
    del runner.model.cls_head
    assert model_num_classes(runner.model) is None
    MGDataCheckHook().before_train(runner)  # no classifying head (MoCo): nothing to check


def test_an_empty_class_in_the_prior_and_the_sampler():
    from mmimigue.datasets.class_balanced_sampler import MGClassBalancedSampler
    data = _Labels([0, 0, 0, 2, 2, 3])  # class 1 has no clip
    sampler = MGClassBalancedSampler(data, power=0.0, seed=0)
    draws = np.bincount(list(sampler), minlength=4)
    assert draws[1] == 0 and len(list(sampler)) == 6
    prior = training_prior(data, sampler, 4)
    assert np.isfinite(prior).all() and prior[1] > 0 and prior.sum() == pytest.approx(1)
