"""The long-tail config: its sampler and loss come from the registries through the Runner's own
dataloader builder, and a training step runs."""
import os.path as osp
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from mmaction.registry import HOOKS, MODELS
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmimigue.datasets import MGClassBalancedSampler

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG = osp.join(ROOT, 'configs', 'imigue', 'longtail',
                  'stgcn_1xb16-joint-sqrtsampler-balancedsoftmax-u64-80e_imigue-xsub-keypoint-2d.py')


def test_longtail_config_builds_and_steps(synthetic_imigue_pkl):
    init_default_scope('mmaction')
    cfg = Config.fromfile(CONFIG)
    loader_cfg = cfg.train_dataloader
    loader_cfg.dataset.ann_file = synthetic_imigue_pkl
    loader_cfg.dataset.pipeline[2].clip_len = 16
    loader_cfg.update(num_workers=0, persistent_workers=False, batch_size=4)
    loader = Runner.build_dataloader(loader_cfg, seed=0)
    assert isinstance(loader.sampler, MGClassBalancedSampler) and loader.sampler.power == 0.5
    labels = np.array([loader.dataset.get_data_info(i)['label'] for i in range(len(loader.dataset))])
    drawn = labels[list(loader.sampler)]
    counts = np.bincount(labels, minlength=32)
    head = counts.argmax()
    # square-root sampling draws the head class less often than its share of the clips
    assert (drawn == head).mean() < (labels == head).mean()
    cfg.model.backbone.base_channels = 16
    cfg.model.cls_head.in_channels = 64
    model = MODELS.build(cfg.model)
    assert type(model.cls_head.loss_cls).__name__ == 'MGBalancedSoftmaxLoss'
    batch = next(iter(loader))
    with pytest.raises(RuntimeError, match='MGClassPriorHook'):  # no prior yet
        model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01)))
    # the config's hook sets the prior the sampler makes: counts ** 0.5, normalised
    assert [h.type for h in cfg.custom_hooks] == ['MGClassPriorHook']
    hook = HOOKS.build(cfg.custom_hooks[0])
    hook.before_train(SimpleNamespace(model=model, train_dataloader=loader))
    sqrt = np.sqrt(np.maximum(counts, 1))
    np.testing.assert_allclose(model.cls_head.loss_cls.log_prior.numpy(),
                               np.log(sqrt / sqrt.sum()), rtol=1e-5)
    losses = model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01)))
    assert torch.isfinite(losses['loss_cls'])


def test_the_prior_is_the_raw_counts_without_the_class_sampler(synthetic_imigue_pkl):
    """Balanced softmax alone adjusts for the split's own class counts."""
    from mmimigue.datasets import MGIMiGUESkeletonDataset
    from mmimigue.engine import training_prior
    ds = MGIMiGUESkeletonDataset(synthetic_imigue_pkl, split='xsub_train')
    labels = [ds.get_data_info(i)['label'] for i in range(len(ds))]
    counts = np.maximum(np.bincount(labels, minlength=32), 1).astype(float)
    np.testing.assert_allclose(training_prior(ds, None, 32), counts / counts.sum())
    with pytest.raises(ValueError, match='reach class'):
        training_prior(ds, None, 3)
