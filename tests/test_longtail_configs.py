"""The long-tail config: its sampler and loss come from the registries through the Runner's own
dataloader builder, and a training step runs."""
import os.path as osp

import numpy as np
import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmaction.registry import MODELS
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
    cfg.model.cls_head.loss_cls.ann_file = synthetic_imigue_pkl
    cfg.model.backbone.base_channels = 16
    cfg.model.cls_head.in_channels = 64
    model = MODELS.build(cfg.model)
    assert type(model.cls_head.loss_cls).__name__ == 'MGBalancedSoftmaxLoss'
    batch = next(iter(loader))
    losses = model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01)))
    assert torch.isfinite(losses['loss_cls'])
