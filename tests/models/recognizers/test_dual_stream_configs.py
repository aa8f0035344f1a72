"""The dual-stream configs (iMiGUE and SMG) build, run their pipelines and train end to end."""
import copy
import json
import os.path as osp

import pytest
import torch
from mmaction.registry import DATASETS, MODELS
from mmaction.utils import register_all_modules
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner

import mmimigue.registration  # noqa: F401  (compat shims + registration)

torch.set_num_threads(1)
register_all_modules()

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
IMIGUE = ['dual_stream.py', 'linear_dual-stream_4xb32-u64-100e_imigue-xsub-keypoint-2d.py',
          'moco_2s-agcn_4xb32-mgaug-u64-300e_imigue-xsub-keypoint-2d.py',
          'moco_bigru_4xb32-mgaug-u64-300e_imigue-xsub-keypoint-2d.py',
          'linear_2s-agcn_4xb32-u64-100e_imigue-xsub-keypoint-2d.py',
          'linear_bigru_4xb32-u64-100e_imigue-xsub-keypoint-2d.py']
SMG = ['moco_dual-stream_4xb32-mgaug-u64-300e_smg-xsub-keypoint-3d.py',
       'linear_dual-stream_4xb32-u64-100e_smg-xsub-keypoint-3d.py',
       'moco_2s-agcn_4xb32-mgaug-u64-300e_smg-xsub-keypoint-3d.py',
       'moco_bigru_4xb32-mgaug-u64-300e_smg-xsub-keypoint-3d.py',
       'linear_2s-agcn_4xb32-u64-100e_smg-xsub-keypoint-3d.py',
       'linear_bigru_4xb32-u64-100e_smg-xsub-keypoint-3d.py']
PAPER = dict(hidden_size=1024, num_layers=3, bidirectional=True)


def shrink_backbone(b):
    if b['type'] == 'MGBiGRU':
        b.update(hidden_size=8, num_layers=1)
        return 16
    b.update(base_channels=8, num_stages=2, inflate_stages=[], down_stages=[])
    return 8


def shrink(model, queue_len=16):
    """Tiny widths (paper sizes stay the config defaults), small queues."""
    model = copy.deepcopy(model)
    if model['type'] == 'MGDualStreamRecognizer':
        for s in model['streams'].values():
            s['cls_head']['in_channels'] = shrink_backbone(s['backbone'])
        return model
    mocos = model['streams'].values() if model['type'] == 'MGDualStreamMoCo' else [model]
    for m in mocos:
        m['neck']['in_channels'] = shrink_backbone(m['backbone'])
        m['queue_len'] = queue_len
    return model


def paper_defaults(cfg):
    mocos = (list(cfg.model.streams.values()) if cfg.model.type == 'MGDualStreamMoCo'
             else [cfg.model])
    for m in mocos:
        assert (m.queue_len, m.feat_dim, m.key_momentum, m.temperature) == (512, 128, 0.999, 0.07)
        if m.backbone.type == 'MGBiGRU':
            assert {k: m.backbone[k] for k in PAPER} == PAPER
    opt = cfg.optim_wrapper.optimizer
    assert (opt.type, opt.lr, opt.momentum, opt.weight_decay, opt.nesterov) == \
        ('SGD', 0.01, 0.9, 1e-4, True)
    assert cfg.train_dataloader.drop_last


def linear_defaults(cfg):
    opt = cfg.optim_wrapper.optimizer
    assert (opt.lr, opt.momentum, cfg.train_cfg.max_epochs) == (0.1, 0.9, 100)
    assert cfg.param_scheduler[0].milestone_fractions == [0.5, 0.8]  # of max_epochs
    for s in cfg.model.streams.values():
        assert s.backbone.frozen_stages >= (3 if s.backbone.type == 'MGBiGRU' else 10)
        assert s.backbone.norm_eval


def run_config(path, ann_file):
    cfg = Config.fromfile(path)
    linear = cfg.model.type == 'MGDualStreamRecognizer'
    (linear_defaults if linear else paper_defaults)(cfg)
    ds_cfg = copy.deepcopy(cfg.train_dataloader.dataset)
    ds_cfg.update(ann_file=ann_file, indices=8)
    dataset = DATASETS.build(ds_cfg)
    assert len(dataset) >= 4, f'{ds_cfg.split} of {ann_file} is too small for a batch'
    batch = pseudo_collate([dataset[i] for i in range(len(dataset))])
    model = MODELS.build(shrink(cfg.model))
    model.init_weights()
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    log = model.train_step(batch, optim)
    assert all(torch.isfinite(v).all() for v in log.values())
    x = batch['inputs'][0]
    if linear:
        assert x.shape[0] == 1
        out = model.val_step(batch)
        assert set(out[0].pred_score) == set(cfg.model.streams) | {'fused'}
    else:
        assert x.shape[0] == 2  # two views
        assert not torch.equal(x[0], x[1])  # independently augmented
    return x


@pytest.mark.parametrize('name', IMIGUE)
def test_imigue_configs(name, synthetic_imigue_pkl):
    x = run_config(osp.join(ROOT, 'configs/imigue', name), synthetic_imigue_pkl)
    assert x.shape[-2:] == (22, 2)  # x, y in body units; no confidence channel


@pytest.mark.parametrize('name', [n for n in IMIGUE if n.startswith('linear_')])
def test_linear_configs_see_the_pretraining_input(name):
    """Linear evaluation must normalise and featurise clips exactly as pretraining did."""
    pre = Config.fromfile(osp.join(ROOT, 'configs/imigue/dual_stream.py')).feature_pipeline
    cfg = Config.fromfile(osp.join(ROOT, 'configs/imigue', name))
    assert cfg.val_dataloader.dataset.pipeline == pre
    loaders = [cfg.train_dataloader, cfg.val_dataloader, cfg.test_dataloader] + [
        h.bank_dataloader for h in cfg.custom_hooks if h.type == 'MGKNNEvalHook']
    for loader in loaders:
        assert loader.dataset.pipeline[:2] == pre[:2], loader.dataset.pipeline


@pytest.fixture(scope='module')
def smg_pkl(tmp_path_factory):
    from mmimigue.datasets.converters.smg_kinect import convert_smg
    from mmimigue.datasets.synthetic.smg import make_synthetic_smg
    root = str(tmp_path_factory.mktemp('smg_raw'))
    make_synthetic_smg(root, subjects=[1, 2, 36], clips_per_subject=6, seed=0)
    out = str(tmp_path_factory.mktemp('smg_pkl') / 'smg_skeleton.pkl')
    convert_smg(root, out)
    return out


@pytest.mark.parametrize('name', SMG)
def test_smg_configs(name, smg_pkl):
    x = run_config(osp.join(ROOT, 'configs/smg', name), smg_pkl)
    assert x.shape[-2:] == (25, 3)


def _runner_cfg(path, ann_file, work_dir, **extra):
    cfg = Config.fromfile(path)
    cfg.model = shrink(cfg.model, queue_len=8)
    cfg.work_dir = work_dir
    cfg.launcher = 'none'
    cfg.default_hooks.logger.interval = 1
    loaders = [cfg.train_dataloader] + [h.bank_dataloader for h in cfg.custom_hooks] + \
        [h.query_dataloader for h in cfg.custom_hooks]
    if cfg.get('val_dataloader'):
        loaders.append(cfg.val_dataloader)
    for loader in loaders:
        loader.update(batch_size=4, num_workers=0, persistent_workers=False)
        loader.dataset.update(ann_file=ann_file, indices=12)
    cfg.train_cfg.max_epochs = 1
    cfg.merge_from_dict(extra)
    return cfg


def test_pretrain_then_linear_end_to_end(synthetic_imigue_pkl, tmp_path):
    """Runner: 1 epoch of dual-stream MoCo (KNN hook runs), then linear evaluation from it."""
    pre = _runner_cfg(osp.join(ROOT, 'configs/imigue/dual_stream.py'), synthetic_imigue_pkl,
                      str(tmp_path / 'pre'))
    Runner.from_cfg(pre).train()
    ckpt = tmp_path / 'pre' / 'epoch_1.pth'
    assert ckpt.is_file()
    knn = [json.loads(line) for line in open(tmp_path / 'pre' / 'knn_eval.jsonl')]
    assert knn[-1]['epoch'] == 1 and 0 <= knn[-1]['knn/spatial_k1_top1'] <= 1
    assert 'knn/temporal_k20_mean1' in knn[-1]

    lin = _runner_cfg(osp.join(ROOT, 'configs/imigue', IMIGUE[1]), synthetic_imigue_pkl,
                      str(tmp_path / 'lin'), **{'model.pretrained': str(ckpt),
                                                'train_cfg.val_interval': 1})
    runner = Runner.from_cfg(lin)
    runner.train()
    pre_state = torch.load(ckpt, weights_only=False)['state_dict']
    for name, backbone in runner.model.backbones.items():  # frozen: still the pretrained weights
        for k, v in backbone.state_dict().items():
            assert torch.equal(v, pre_state[f'streams.{name}.backbone.{k}']), k
    metrics = runner.val_loop.run()
    assert {'acc/spatial_top1', 'acc/temporal_top1', 'acc/fused_top1'} <= set(metrics)
    lin_knn = [json.loads(line) for line in open(tmp_path / 'lin' / 'knn_eval.jsonl')]
    assert lin_knn[0]['tag'] == 'before_train'
    # same frozen weights, same deterministic clips: the linear stage's KNN equals pretraining's
    assert lin_knn[0]['knn/spatial_k1_top1'] == pytest.approx(knn[-1]['knn/spatial_k1_top1'])
