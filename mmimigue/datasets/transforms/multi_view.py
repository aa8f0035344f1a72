"""Multi-view wrapper: the independently augmented views that contrastive learning needs."""
import copy
import warnings
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


def build_transforms(transforms: Sequence[Union[dict, Callable]], owner: str) -> List[Callable]:
    """Build a list of transform configs with mmaction2's registry (callables pass through)."""
    if isinstance(transforms, (dict, str)) or not isinstance(transforms, Sequence):
        raise TypeError(f'{owner}: transforms must be a list of transform configs, '
                        f'got {type(transforms).__name__}')
    built = []
    for t in transforms:
        if isinstance(t, dict):
            built.append(TRANSFORMS.build(t))
        elif callable(t):
            built.append(t)
        else:
            raise TypeError(f'{owner}: each transform must be a config dict or a callable, '
                            f'got {type(t).__name__}')
    return built


_IMMUTABLE = frozenset((int, float, str, bool, type(None), np.int64, np.float64))


def copy_results(results: Dict) -> Dict:
    """A per-view copy: arrays copied, other values deep-copied (cheaper than one deepcopy)."""
    return {k: v if type(v) in _IMMUTABLE else v.copy() if isinstance(v, np.ndarray)
            else copy.deepcopy(v) for k, v in results.items()}


def run_transforms(transforms: Sequence[Callable], results: Dict) -> Optional[Dict]:
    """Apply transforms in order; ``None`` from any of them (a skip) stops and returns ``None``."""
    for t in transforms:
        results = t(results)
        if results is None:
            return None
    return results


@TRANSFORMS.register_module()
class MGMultiView(BaseTransform):
    """Run a sub-pipeline ``num_views`` times on copies of a sample and stack the views.

    Each view gets a deep copy of the incoming ``results`` and an independent random draw of the
    sub-pipeline (typically ``UniformSampleFrames, PoseDecode, <MG augmentations>,
    (MG)GenSkeFeat, FormatGCNInput``). The views' ``keypoint`` arrays, each
    ``(num_clips, M, T, V, C)`` after ``FormatGCNInput``, are concatenated on axis 0, so after
    ``PackActionInputs`` a sample is ``(num_views * num_clips, M, T, V, C)``, view-major, and a
    batch is ``(N, num_views, M, T, V, C)`` for ``num_clips=1``. View 0 is the query and view 1 the
    key of MoCo-style training. Every other key comes from view 0; ``num_views`` is added.

    Randomness comes from numpy's global RNG, consumed view after view. mmaction2's
    ``UniformSampleFrames(test_mode=True)`` reseeds that RNG on every call, which would make the
    views identical: use the training-mode sampler inside the wrapper (a warning says so).

    Required Keys:
        - whatever the sub-pipeline requires
    Modified Keys:
        - keypoint
        - the keys the sub-pipeline modifies (taken from view 0)
    Added Keys:
        - num_views

    Args:
        transforms (list[dict | callable]): The per-view sub-pipeline (end it with
            ``FormatGCNInput`` so that every view has the same shape).
        num_views (int): Number of views. Defaults to 2.
    """

    def __init__(self, transforms: List[Union[dict, Callable]], num_views: int = 2) -> None:
        if not isinstance(num_views, (int, np.integer)) or num_views < 1:
            raise ValueError(f'MGMultiView: num_views must be a positive int, got {num_views!r}')
        self.transforms = build_transforms(transforms, 'MGMultiView')
        self.num_views = int(num_views)
        for t in self.transforms:
            if getattr(t, 'test_mode', False) and hasattr(t, 'seed'):
                warnings.warn(f'MGMultiView: {t!r} reseeds numpy\'s global RNG on every call '
                              '(test_mode=True), so every view gets the same random draws; use '
                              'the training-mode sampler inside MGMultiView')

    def transform(self, results: Dict) -> Optional[Dict]:
        """Build ``num_views`` views and concatenate their keypoints on axis 0."""
        views = []
        for _ in range(self.num_views):
            view = run_transforms(self.transforms, copy_results(results))
            if view is None:
                return None
            views.append(view)
        arrays = [v.get('keypoint') for v in views]
        if not all(isinstance(a, np.ndarray) for a in arrays):
            raise KeyError('MGMultiView: every view must produce a numpy "keypoint"; end the '
                           'sub-pipeline with FormatGCNInput, before PackActionInputs')
        shapes = {a.shape for a in arrays}
        if len(shapes) != 1:
            raise ValueError(f'MGMultiView: views have different keypoint shapes {sorted(shapes)}; '
                             'end the sub-pipeline with a fixed-length sampler '
                             '(UniformSampleFrames) and FormatGCNInput(num_person=...)')
        out = views[0]
        out['keypoint'] = np.concatenate(arrays, axis=0)
        out['num_views'] = self.num_views
        return out

    def __repr__(self) -> str:
        inner = ', '.join(repr(t) for t in self.transforms)
        return f'{self.__class__.__name__}(transforms=[{inner}], num_views={self.num_views})'
