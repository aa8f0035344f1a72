"""Shared fixtures: a small synthetic iMiGUE release and its converted pickle (session scope)."""
import os
import os.path as osp
import warnings

import pytest
import torch

from mmimigue.registration import register_all_modules

register_all_modules(init_default_scope=True)  # dataset pipelines resolve in mmaction's scope

warnings.filterwarnings('ignore', message='Fail to import ``MultiScaleDeformableAttention``')
torch.set_num_threads(min(2, os.cpu_count() or 1))

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED = osp.join(osp.dirname(REPO_ROOT), 'shared')
VIDEOS = osp.join(SHARED, 'data', 'videos')

# Small but learnable: 16 subjects (10 train / 6 held out), 32 videos, ~350 clips.
SMALL_SYNTHETIC = dict(num_train_subjects=10, num_test_subjects=6, videos_per_subject=2,
                       clips_per_video=(9, 13), seed=0)


@pytest.fixture(scope='session')
def synthetic_imigue_raw(tmp_path_factory):
    """Folder with ``labels.csv`` and ``skeleton/`` in the official release layout."""
    from mmimigue.datasets.synthetic import SyntheticConfig, generate_synthetic_imigue
    out = str(tmp_path_factory.mktemp('imigue_raw'))
    generate_synthetic_imigue(out, SyntheticConfig(**SMALL_SYNTHETIC), workers=2)
    return out


@pytest.fixture(scope='session')
def synthetic_imigue_pkl(synthetic_imigue_raw, tmp_path_factory):
    """Converted PoseDataset pickle of :func:`synthetic_imigue_raw` (official split)."""
    from mmimigue.datasets.converters import convert_imigue
    out = osp.join(str(tmp_path_factory.mktemp('imigue_pkl')), 'imigue_skeleton.pkl')
    convert_imigue(osp.join(synthetic_imigue_raw, 'labels.csv'),
                   osp.join(synthetic_imigue_raw, 'skeleton'), out, workers=2, progress=False)
    return out
