"""configs/imigue/emotion_{lstm,transformer}.py train and test with mmengine's Runner."""
import csv
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.mark.parametrize('name,modality,seed', [
    ('lstm_1xb16-prob-100e_imigue-emotion', 'prob', 0),
    ('transformer_1xb16-label-200e_imigue-emotion', 'pred_label', 4)])
def test_config_trains_and_writes_per_video_predictions(name, modality, seed, toy_clip_outputs,
                                                        tmp_path):
    cfg = Config.fromfile(osp.join(REPO, 'configs', 'imigue', f'{name}.py'))
    # the paper's defaults
    assert cfg.train_dataloader.dataset.modality == modality
    assert cfg.randomness.seed == seed
    assert cfg.train_dataloader.dataset.ann_file == 'data/imigue/clip_outputs.pkl'
    assert cfg.model.backbone.get('num_layers') == (3 if name.startswith('lstm') else 2)
    # tiny and short for the test
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.ann_file = toy_clip_outputs
    width = 'hidden_channels' if name.startswith('lstm') else 'embed_dims'
    cfg.model.backbone[width] = 16
    if name.startswith('transformer'):
        cfg.model.backbone.feedforward_channels = 32
    cfg.model.cls_head.in_channels = 16
    cfg.train_cfg.max_epochs = 2
    cfg.train_cfg.val_interval = 2
    cfg.test_evaluator.out_file = str(tmp_path / 'pred.csv')
    cfg.work_dir = str(tmp_path / 'work')
    cfg.default_hooks.checkpoint.interval = 2
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    assert set(metrics) == {'emotion/accuracy', 'emotion/f1', 'emotion/macro_f1',
                            'emotion/num_videos'}
    assert metrics['emotion/num_videos'] == 24
    rows = list(csv.DictReader(open(tmp_path / 'pred.csv')))
    assert len(rows) == 24 and set(rows[0]) == {'video_id', 'gt', 'pred', 'prob_win', 'num_clips'}
    assert osp.isfile(osp.join(cfg.work_dir, 'epoch_2.pth'))
