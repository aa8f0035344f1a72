"""Datasets, their formats and converters, transforms and synthetic releases.

The dataset classes are loaded on first use (``from mmimigue.datasets import
MGIMiGUESkeletonDataset``), so the formats, converters and synthetic generators stay importable
without torch or mmaction2; :mod:`mmimigue.registration` imports them all to register them.
"""
import importlib

_LAZY = {
    'MGIMiGUESkeletonDataset': 'imigue_skeleton_dataset',
    'MGSMGSkeletonDataset': 'smg_skeleton_dataset',
    'MGIMiGUEEmotionDataset': 'imigue_emotion_dataset',
    'mg_emotion_pad_collate': 'imigue_emotion_dataset',
    'MGIMiGUERGBDataset': 'imigue_rgb_dataset',
    'MGClassBalancedSampler': 'class_balanced_sampler',
    'MGIMiGUERGBPoseDataset': 'imigue_rgb_pose_dataset',
    'MGStreamDataset': 'stream_dataset',
}
#: Modules that register components (what :mod:`mmimigue.registration` imports).
REGISTERING_MODULES = sorted(set(_LAZY.values())) + ['transforms']

__all__ = list(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(f'.{_LAZY[name]}', __name__), name)
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
