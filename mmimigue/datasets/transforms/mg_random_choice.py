"""Random combination of k augmentations per sample (the paper's multi-strategy setting)."""
from typing import Callable, Dict, List, Optional, Tuple, Union

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from .multi_view import build_transforms, run_transforms


@TRANSFORMS.register_module()
class MGRandomChoice(BaseTransform):
    """Apply ``k`` augmentations drawn without replacement from a list, per sample.

    The dual-stream paper (sec. 5.1.3, Fig. 10) combines two or three MG augmentations, e.g.
    coordinate perturbation + stretch + posterize time. ``MGRandomChoice`` draws the subset anew for
    every call from numpy's global RNG (reproducible with ``randomness=dict(seed=...)``). The chosen
    transforms run in their list order (``ordered=True``, so spatial-before-temporal recipes stay
    as written) or in the drawn order (``ordered=False``).

    Required Keys:
        - whatever the chosen transforms require
    Modified Keys:
        - whatever the chosen transforms modify

    Args:
        transforms (list[dict | callable]): Candidate transforms.
        k (int | tuple[int, int]): How many to apply; a ``(min, max)`` pair draws the count
            uniformly from that inclusive range. Defaults to 2.
        ordered (bool): Apply the chosen ones in list order. Defaults to True.
    """

    def __init__(self, transforms: List[Union[dict, Callable]],
                 k: Union[int, Tuple[int, int]] = 2, ordered: bool = True) -> None:
        self.transforms = build_transforms(transforms, 'MGRandomChoice')
        n = len(self.transforms)
        k_range = (k, k) if isinstance(k, (int, np.integer)) else tuple(k)
        if len(k_range) != 2 or not 0 <= k_range[0] <= k_range[1] <= n:
            raise ValueError(f'MGRandomChoice: k must be an int or (min, max) with '
                             f'0 <= min <= max <= {n} (the number of transforms), got {k!r}')
        self.k = k
        self.k_range = (int(k_range[0]), int(k_range[1]))
        self.ordered = ordered

    def choose(self) -> np.ndarray:
        """Draw the indices of the transforms to apply (in application order)."""
        lo, hi = self.k_range
        k = lo if lo == hi else np.random.randint(lo, hi + 1)
        idx = np.random.choice(len(self.transforms), k, replace=False)
        return np.sort(idx) if self.ordered else idx

    def transform(self, results: Dict) -> Optional[Dict]:
        """Apply the drawn subset of transforms."""
        return run_transforms([self.transforms[i] for i in self.choose()], results)

    def __repr__(self) -> str:
        inner = ', '.join(repr(t) for t in self.transforms)
        return (f'{self.__class__.__name__}(transforms=[{inner}], k={self.k}, '
                f'ordered={self.ordered})')
