"""--cfg-options keys that nothing would read are refused with the real key suggested."""
import os.path as osp

import pytest
from mmengine.config import Config

from mmimigue.apis import check_cfg_options

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = osp.join(ROOT, 'configs', 'imigue', 'stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py')


def test_top_level_max_epochs_is_refused_with_the_real_key():
    cfg = Config.fromfile(CONFIG)
    with pytest.raises(KeyError, match=r"'max_epochs'.*train_cfg\.max_epochs"):
        check_cfg_options(cfg, {'max_epochs': 1})


def test_real_and_runner_keys_pass():
    cfg = Config.fromfile(CONFIG)
    check_cfg_options(cfg, {'train_cfg.max_epochs': 1, 'model.backbone.base_channels': 16,
                            'randomness.seed': 3, 'default_hooks.logger.interval': 5,
                            'train_dataloader.new_arg': 1})
    check_cfg_options(cfg, None)
