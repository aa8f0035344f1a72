"""Class-balanced and square-root sampling for long-tailed MG classes (iMiGUE: class 99 alone is
31 % of the clips)."""
import math
from typing import Iterator, Optional, Sequence

import numpy as np
from mmaction.registry import DATA_SAMPLERS
from mmengine.dataset import BaseDataset
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler


def dataset_labels(dataset) -> np.ndarray:
    """Every clip's ``label``, read from the clip list only (no keypoints or frames are loaded);
    a ``RepeatDataset`` repeats its dataset's labels."""
    from mmengine.dataset import RepeatDataset
    if isinstance(dataset, RepeatDataset):
        return np.tile(dataset_labels(dataset.dataset), dataset.times)
    if not isinstance(dataset, BaseDataset):
        raise TypeError(f'MGClassBalancedSampler needs a dataset with a clip list (an mmengine '
                        f'BaseDataset, or a RepeatDataset of one), got {type(dataset).__name__}')
    dataset.full_init()
    labels = []
    for i in range(len(dataset)):
        label = BaseDataset.get_data_info(dataset, i).get('label')  # skips per-clip loading
        if label is None or np.ndim(label) != 0:
            raise ValueError(f'{type(dataset).__name__}: clip {i} has no single integer label; '
                             'class-balanced sampling needs one class per clip')
        labels.append(int(label))
    return np.asarray(labels, np.int64)


@DATA_SAMPLERS.register_module()
class MGClassBalancedSampler(Sampler):
    """Draw clips with replacement, clip ``i`` of class ``c`` with probability proportional to
    ``n_c ** (power - 1)``, so a class is drawn in proportion to ``n_c ** power``.

    ``power=0``: class-balanced (every class equally often); ``power=0.5``: square-root sampling
    (the long tail is drawn more often, the head still most); ``power=1``: instance sampling
    (each clip equally likely, with replacement). An epoch draws ``num_samples`` clips (default:
    the dataset's length), so epoch-based schedules keep their meaning. The draws depend only on
    ``seed`` and the epoch; in distributed training every rank makes the same draws and takes
    its share, as mmengine's ``DefaultSampler`` does.

    Use it in any config: ``train_dataloader = dict(sampler=dict(type='MGClassBalancedSampler',
    power=0.5))``.

    Args:
        dataset: The training dataset (an mmengine ``BaseDataset`` whose clips have ``label``).
        power (float): ``q`` above, in [0, 1]. Defaults to 0.5.
        num_samples (int, optional): Clips per epoch over all ranks. Defaults to ``len(dataset)``.
        seed (int, optional): Defaults to a seed shared by all ranks.
    """

    def __init__(self, dataset, power: float = 0.5, num_samples: Optional[int] = None,
                 seed: Optional[int] = None) -> None:
        if not 0 <= power <= 1:
            raise ValueError(f'power must be in [0, 1] (0 class-balanced, 0.5 square root, 1 '
                             f'instance), got {power}')
        self.rank, self.world_size = get_dist_info()
        labels = dataset_labels(dataset)
        if len(labels) == 0:
            raise ValueError(f'{type(dataset).__name__} is empty; nothing to sample')
        counts = np.bincount(labels)
        weights = counts[labels].astype(np.float64) ** (power - 1)
        self.probs = weights / weights.sum()
        self.power = power
        self.total = int(num_samples or len(labels))
        self.num_samples = math.ceil(self.total / self.world_size)
        self.seed = sync_random_seed() if seed is None else int(seed)
        self.epoch = 0

    def __iter__(self) -> Iterator[int]:
        rng = np.random.default_rng([self.seed, self.epoch])
        draws = rng.choice(len(self.probs), size=self.num_samples * self.world_size,
                           replace=True, p=self.probs)
        return iter(draws[self.rank::self.world_size].tolist())

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        """Called by mmengine's loops at each epoch: new draws per epoch."""
        self.epoch = epoch


def expected_class_shares(labels: Sequence[int], power: float) -> np.ndarray:
    """Share of each class under ``MGClassBalancedSampler(power)``: ``n_c**q / sum n**q``."""
    counts = np.bincount(np.asarray(labels)).astype(np.float64)
    shares = np.where(counts > 0, counts ** power, 0)
    return shares / shares.sum()
