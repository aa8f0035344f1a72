"""Every mmaction2 baseline config for iMiGUE builds and takes a training step on converted data."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import OptimWrapper
from mmaction.registry import DATASETS, MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))

BASELINES = sorted(
    p for pattern in ('stgcn_*', 'stgcnpp_*', '2s-agcn_*')
    for p in glob.glob(osp.join(REPO_ROOT, 'configs', 'imigue', pattern + 'imigue-xsub-keypoint-2d.py')))


def test_all_baselines_are_present():
    names = {osp.basename(p).split('_')[0] for p in BASELINES}
    assert names == {'stgcn', 'stgcnpp', '2s-agcn'}
    assert any('bone' in p for p in BASELINES)


@pytest.mark.parametrize('path', BASELINES, ids=lambda p: osp.basename(p))
def test_baseline_train_step(path, synthetic_imigue_pkl):
    cfg = Config.fromfile(path)
    assert cfg.model.cls_head.num_classes == 32
    ds_cfg = cfg.train_dataloader.dataset
    ds_cfg.ann_file = synthetic_imigue_pkl
    ds_cfg.pipeline[2].clip_len = 16  # UniformSampleFrames: keep the step small
    dataset = DATASETS.build(ds_cfg)
    model = MODELS.build(cfg.model)
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    batch = pseudo_collate([dataset[i] for i in range(2)])
    assert batch['inputs'][0].shape[-2:] == (22, 3)
    losses = model.train_step(batch, optim)
    assert torch.isfinite(losses['loss_cls'])
