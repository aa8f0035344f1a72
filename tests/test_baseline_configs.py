"""Every mmaction2 baseline config for iMiGUE builds and takes a training step on converted data."""
import glob
import os.path as osp

import pytest
import torch
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import OptimWrapper

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))

BASELINES = sorted(
    p for folder in ('', 'paper') for pattern in ('stgcn_*', 'stgcnpp_*', '2s-agcn_*')
    for p in glob.glob(osp.join(REPO_ROOT, 'configs', 'imigue', folder,
                                pattern + 'imigue-xsub-keypoint-2d.py')))
# default recipe: body-unit x / y; the papers' setting: PreNormalize2D x / y + score
CHANNELS = {'': 2, 'paper': 3}


def test_all_baselines_are_present():
    names = {osp.basename(p).split('_')[0] for p in BASELINES}
    assert names == {'stgcn', 'stgcnpp', '2s-agcn'}
    assert any('bone' in p for p in BASELINES)
    defaults = {osp.basename(p) for p in BASELINES if '/paper/' not in p}
    papers = {osp.basename(p) for p in BASELINES if '/paper/' in p}
    assert defaults == papers  # every default recipe keeps its paper variant


def test_default_recipe_differs_from_the_paper_variant_as_documented():
    name = 'stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py'
    default = Config.fromfile(osp.join(REPO_ROOT, 'configs', 'imigue', name))
    paper = Config.fromfile(osp.join(REPO_ROOT, 'configs', 'imigue', 'paper', name))
    steps = [t.type for t in default.train_dataloader.dataset.pipeline]
    assert steps[:2] == ['Flip', 'MGNormalizeBody2D'] and 'MGViewPerturb' in steps
    assert [t.type for t in paper.train_dataloader.dataset.pipeline][0] == 'PreNormalize2D'
    assert default.param_scheduler[0].type == 'CosineAnnealingLR'
    assert 'end' not in default.param_scheduler[0] and 'T_max' not in default.param_scheduler[0]
    assert paper.param_scheduler[0].milestone_fractions == [0.125, 0.625]
    test_sampler = default.test_dataloader.dataset.pipeline[1]
    assert test_sampler.type == 'UniformSampleFrames' and test_sampler.num_clips == 10


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
    folder = osp.basename(osp.dirname(path))
    assert batch['inputs'][0].shape[-2:] == (22, CHANNELS['paper' if folder == 'paper' else ''])
    losses = model.train_step(batch, optim)
    assert torch.isfinite(losses['loss_cls'])


FOUR_STREAM = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', 'imigue', 'four_stream', '*.py')))
_FEATS = {'bone-motion': 'bm', 'joint-motion': 'jm', 'bone': 'b'}


def test_every_model_has_four_streams():
    """joint + bone in configs/imigue/, joint-motion + bone-motion (and GE-CN's bone) here."""
    names = {osp.basename(p) for p in FOUR_STREAM}
    for model in ('stgcn', '2s-agcn', 'stgcnpp'):
        for stream in ('joint-motion', 'bone-motion'):
            assert f'{model}_1xb16-{stream}-u64-80e_imigue-xsub-keypoint-2d.py' in names
    assert {'gecn_1xb32-bone-u64-110e_imigue-xsub-keypoint-2d.py',
            'gecn_1xb32-joint-motion-u64-110e_imigue-xsub-keypoint-2d.py',
            'gecn_1xb32-bone-motion-u64-110e_imigue-xsub-keypoint-2d.py'} <= names


@pytest.mark.parametrize('path', FOUR_STREAM, ids=lambda p: osp.basename(p))
def test_four_stream_train_step(path, synthetic_imigue_pkl):
    cfg = Config.fromfile(path)
    stream = next(s for s in _FEATS if s in osp.basename(path))
    features = cfg.train_dataloader.dataset.pipeline[-3]
    assert features.type == 'MGGenSkeFeat' and features.feats == [_FEATS[stream]]
    for loader in (cfg.val_dataloader, cfg.test_dataloader):
        assert loader.dataset.pipeline[-3].feats == [_FEATS[stream]]  # the same input at test
    ds_cfg = cfg.train_dataloader.dataset
    ds_cfg.ann_file = synthetic_imigue_pkl
    ds_cfg.pipeline[2].clip_len = 16
    dataset = DATASETS.build(ds_cfg)
    if 'gecn' not in osp.basename(path):
        cfg.model.backbone.base_channels = 16
        cfg.model.cls_head.in_channels = 64
    model = MODELS.build(cfg.model)
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    batch = pseudo_collate([dataset[i] for i in range(2)])
    assert batch['inputs'][0].shape[-2:] == (22, 2)
    losses = model.train_step(batch, optim)
    assert torch.isfinite(losses['loss_cls'])
