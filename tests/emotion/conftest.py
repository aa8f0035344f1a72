"""Fixtures of the emotion tests."""
import os.path as osp

import pytest

from mmimigue.datasets.synthetic.emotion_clip_outputs import write_toy_clip_outputs


@pytest.fixture(scope='session')
def toy_clip_outputs(tmp_path_factory) -> str:
    """Path of a toy clip-outputs pickle: 60 train + 24 test videos, alternating lose / win."""
    return write_toy_clip_outputs(osp.join(tmp_path_factory.mktemp('emotion'), 'clip_outputs.pkl'),
                                  num_train=60, num_test=24)


@pytest.fixture(autouse=True)
def single_torch_thread():
    """The machine is shared: one intra-op thread keeps the small models fast and predictable."""
    import torch
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
