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


def test_config_variables_and_near_misses_are_refused():
    cfg = Config.fromfile(CONFIG)
    with pytest.raises(KeyError, match=r"'layout' is a variable.*train_dataloader\.dataset\.layout"):
        check_cfg_options(cfg, {'layout': 'ntu25'})
    with pytest.raises(KeyError, match=r'did you mean train_cfg\.max_epochs'):
        check_cfg_options(cfg, {'train_cfg.max_epoch': 1})
    with pytest.raises(KeyError, match=r'did you mean train_dataloader\.dataset\.layout'):
        check_cfg_options(cfg, {'train_dataloader.dataset.layot': 'body25'})
    check_cfg_options(cfg, {'train_dataloader.dataset.pipeline.2.clip_len': 32})


def test_a_type_must_be_registered_unless_code_is_allowed():
    cfg = Config.fromfile(CONFIG)
    with pytest.raises(KeyError, match='--allow-code'):
        check_cfg_options(cfg, {'default_hooks.x.type': 'subprocess.call'})
    with pytest.raises(KeyError, match='not a registered name'):
        check_cfg_options(cfg, {'custom_hooks': [dict(type='os.system')]})
    check_cfg_options(cfg, {'default_hooks.x.type': 'subprocess.call'}, allow_code=True)
    check_cfg_options(cfg, {'model.backbone.type': 'AAGCN', 'model.type': 'mmaction.RecognizerGCN',
                            'default_hooks.progress.type': 'MGProgressHook'})
