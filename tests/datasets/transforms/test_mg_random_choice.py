"""MGRandomChoice: k augmentations drawn per sample from a list (multi-strategy setting)."""
from collections import Counter

import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.datasets.transforms.mg_random_choice import MGRandomChoice


class Mark:
    def __init__(self, name):
        self.name = name

    def __call__(self, results):
        results['applied'] = results.get('applied', []) + [self.name]
        return results

    def __repr__(self):
        return f'Mark({self.name})'


def test_k_distinct_in_list_order_and_all_subsets_reachable():
    t = MGRandomChoice([Mark('a'), Mark('b'), Mark('c')], k=2)
    np.random.seed(0)
    seen = Counter(tuple(t({})['applied']) for _ in range(300))
    assert set(seen) == {('a', 'b'), ('a', 'c'), ('b', 'c')}
    assert min(seen.values()) > 60


def test_k_range_and_unordered():
    t = MGRandomChoice([Mark('a'), Mark('b'), Mark('c')], k=(1, 3), ordered=False)
    np.random.seed(0)
    runs = [t({})['applied'] for _ in range(300)]
    assert {len(r) for r in runs} == {1, 2, 3}
    assert all(len(set(r)) == len(r) for r in runs)
    assert ('b', 'a') in {tuple(r) for r in runs if len(r) == 2}


def test_seeded_and_builds_mg_augmentations_from_config():
    cfg = dict(type='MGRandomChoice', k=2,
               transforms=[dict(type='MGCoordinatePerturb'), dict(type='MGStretch'),
                           dict(type='MGPosterizeTime')])
    t = TRANSFORMS.build(cfg)
    kp = np.cumsum(np.random.default_rng(0).normal(0, 0.02, (1, 30, 22, 2)), 1).astype(np.float32)
    outs = []
    for _ in range(2):
        np.random.seed(3)
        outs.append(t(dict(keypoint=kp.copy()))['keypoint'])
    np.testing.assert_array_equal(outs[0], outs[1])
    assert not np.array_equal(outs[0], kp)
    assert 'MGStretch(' in repr(t) and 'k=2' in repr(t)


def test_bad_k_and_skip():
    with pytest.raises(ValueError, match='k must'):
        MGRandomChoice([Mark('a')], k=2)
    with pytest.raises(ValueError, match='k must'):
        MGRandomChoice([Mark('a'), Mark('b')], k=(2, 1))
    assert MGRandomChoice([lambda r: None], k=1)({}) is None
