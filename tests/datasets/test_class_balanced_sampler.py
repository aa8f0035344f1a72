"""MGClassBalancedSampler: class shares n_c**q, seeded epochs, rank shards, config build."""
import numpy as np
import pytest
from mmaction.registry import DATA_SAMPLERS
from mmengine.dataset import BaseDataset

from mmimigue.datasets.class_balanced_sampler import expected_class_shares

LABELS = [0] * 700 + [1] * 250 + [2] * 50


class _Clips(BaseDataset):
    def __init__(self, labels):
        self._labels = labels
        super().__init__(ann_file='', serialize_data=True)

    def load_data_list(self):
        return [dict(frame_dir=f'c{i}', label=y) for i, y in enumerate(self._labels)]


@pytest.mark.parametrize('power', [0.0, 0.5, 1.0])
def test_class_shares_follow_the_power(power):
    sampler = DATA_SAMPLERS.build(dict(type='MGClassBalancedSampler', dataset=_Clips(LABELS),
                                       power=power, seed=0, num_samples=60000))
    drawn = np.bincount(np.asarray(LABELS)[list(sampler)], minlength=3) / len(sampler)
    expected = expected_class_shares(LABELS, power)
    np.testing.assert_allclose(drawn, expected, atol=0.01)
    if power == 0.0:
        np.testing.assert_allclose(expected, [1 / 3] * 3)
    if power == 1.0:
        np.testing.assert_allclose(expected, [.7, .25, .05])


def test_draws_are_seeded_per_epoch_and_sharded_over_ranks():
    ds = _Clips(LABELS)
    one = DATA_SAMPLERS.build(dict(type='MGClassBalancedSampler', dataset=ds, seed=3))
    assert len(one) == len(LABELS)  # an epoch keeps the dataset's length
    first = list(one)
    assert list(one) == first  # the same epoch draws the same clips
    one.set_epoch(1)
    assert list(one) != first
    one.set_epoch(0)
    ranks = []
    for rank in range(2):
        s = DATA_SAMPLERS.build(dict(type='MGClassBalancedSampler', dataset=ds, seed=3))
        s.rank, s.world_size = rank, 2
        s.num_samples = len(LABELS) // 2
        ranks.append(list(s))
    merged = [None] * len(LABELS)
    merged[0::2], merged[1::2] = ranks
    assert merged == first  # the two ranks split one shared draw


def test_bad_settings_are_clear(synthetic_imigue_pkl):
    with pytest.raises(ValueError, match='power must be in'):
        DATA_SAMPLERS.build(dict(type='MGClassBalancedSampler', dataset=_Clips(LABELS),
                                 power=2))
    with pytest.raises(TypeError, match='BaseDataset'):
        DATA_SAMPLERS.build(dict(type='MGClassBalancedSampler', dataset=list(range(3))))
    from mmimigue.datasets import MGIMiGUESkeletonDataset
    ds = MGIMiGUESkeletonDataset(synthetic_imigue_pkl, split='xsub_train')
    s = DATA_SAMPLERS.build(dict(type='MGClassBalancedSampler', dataset=ds, power=0.0, seed=0))
    assert len(s) == len(ds) and max(s) < len(ds)
