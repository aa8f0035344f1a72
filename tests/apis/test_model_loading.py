"""Config + checkpoint -> model, strict by default; scores -> probabilities; class names."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmimigue.apis import (
    CheckpointMismatchError,
    class_names_from_config,
    init_recognizer,
    protocol_class_names,
    to_probability,
)
from mmimigue.protocol import imigue_class_names, smg_class_names

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CLIP_CONFIG = osp.join(ROOT, 'configs', 'imigue',
                       'stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py')


def test_loads_every_weight_of_its_own_checkpoint(tiny_stgcn):
    cfg_path, ckpt = tiny_stgcn
    model = init_recognizer(cfg_path, ckpt)
    cfg = model.cfg
    state = torch.load(ckpt, weights_only=True)['state_dict']
    assert all(torch.equal(model.state_dict()[k], v) for k, v in state.items())
    assert not model.training and cfg.filename == cfg_path


def test_mismatched_checkpoint_is_refused_naming_the_saved_config(tiny_stgcn, tmp_path):
    cfg_path, ckpt = tiny_stgcn
    with pytest.raises(CheckpointMismatchError, match='does not match') as e:
        init_recognizer(CLIP_CONFIG, ckpt)
    assert 'tiny_stgcn.py' in str(e.value)  # the config saved beside the checkpoint
    init_recognizer(CLIP_CONFIG, ckpt, strict=False)  # explicitly allowed
    with pytest.raises(FileNotFoundError, match='not found'):
        init_recognizer(cfg_path, str(tmp_path / 'missing.pth'))


def test_to_probability_keeps_distributions_and_softmaxes_the_rest():
    scores = np.array([[0.2, 0.8], [1.0, 3.0], [-1.0, 2.0]])
    out = to_probability(scores)
    np.testing.assert_allclose(out[0], [0.2, 0.8], rtol=1e-6)
    np.testing.assert_allclose(out[1], np.exp([1, 3]) / np.exp([1, 3]).sum(), rtol=1e-6)
    np.testing.assert_allclose(out.sum(-1), 1, rtol=1e-6)
    np.testing.assert_allclose(to_probability(scores[1]), out[1], rtol=1e-6)  # one vector


def test_class_names():
    assert protocol_class_names(32) == list(imigue_class_names())
    assert protocol_class_names(17) == list(smg_class_names())
    assert protocol_class_names(3) == ['0', '1', '2']
    assert protocol_class_names(17, 'imigue') == list(imigue_class_names())
    with pytest.raises(ValueError, match='imigue'):
        protocol_class_names(3, 'ntu')
    cfg = Config.fromfile(CLIP_CONFIG)
    assert class_names_from_config(cfg, 32) == list(imigue_class_names())
    assert class_names_from_config(cfg, 5) == ['0', '1', '2', '3', '4']
