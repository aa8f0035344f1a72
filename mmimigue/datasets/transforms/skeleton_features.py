"""Layout-aware joint / bone / motion features (mmaction2's ``GenSkeFeat`` knows three layouts)."""
from typing import Dict, List, Sequence

import numpy as np
from mmaction.datasets.transforms import MergeSkeFeat, ToMotion
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform, Compose, KeyMapper

from ...skeleton.layouts import LAYOUTS, bone_pairs


@TRANSFORMS.register_module()
class MGJointToBone(BaseTransform):
    """Bones of any layout in :data:`mmimigue.skeleton.layouts.LAYOUTS`: joint minus its parent.

    The centre joint pairs with itself (a zero bone), as in mmaction2's ``JointToBone``. With a
    third confidence channel (2D + score), the bone's channel 2 is the mean score of its two ends.

    Required Keys:
        - keypoint (M, T, V, C), C = 2, 3 (2D + score) or 3 (3D)

    Added Keys:
        - ``target``

    Args:
        layout (str): Layout name. Defaults to ``'imigue22'``.
        target (str): Key for the bone array. Defaults to ``'keypoint'``.
        has_score (bool): Whether channel 2 is a confidence score (2D + score) rather than a
            depth coordinate (3D). Defaults to False.
    """

    def __init__(self, layout: str = 'imigue22', target: str = 'keypoint',
                 has_score: bool = False) -> None:
        if layout not in LAYOUTS:
            raise KeyError(f'unknown skeleton layout {layout!r}; available: {sorted(LAYOUTS)}')
        self.layout = layout
        self.target = target
        self.has_score = has_score
        pairs = np.asarray(bone_pairs(layout))
        self.child, self.parent = pairs[:, 0], pairs[:, 1]

    def transform(self, results: Dict) -> Dict:
        kp = results['keypoint']
        num_node = LAYOUTS[self.layout]['num_node']
        if kp.shape[-2] != num_node:
            raise ValueError(f'MGJointToBone(layout={self.layout!r}) expects {num_node} joints, '
                             f'got keypoint of shape {kp.shape}; set the dataset and this '
                             'transform to the same layout')
        bone = np.zeros_like(kp, dtype=np.float32)
        bone[..., self.child, :] = kp[..., self.child, :] - kp[..., self.parent, :]
        if self.has_score:
            bone[..., self.child, 2] = (kp[..., self.child, 2] + kp[..., self.parent, 2]) / 2
        results[self.target] = bone
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(layout={self.layout!r}, target={self.target!r}, '
                f'has_score={self.has_score})')


@TRANSFORMS.register_module()
class MGGenSkeFeat(BaseTransform):
    """Multi-stream skeleton features (joint ``j``, bone ``b``, their motions ``jm``/``bm``)
    for any layout in :data:`mmimigue.skeleton.layouts.LAYOUTS`; a drop-in for mmaction2's ``GenSkeFeat``.

    2D keypoints with ``keypoint_score`` get the score appended as channel 2 (C = 3), as mmaction2
    does, unless ``with_score=False`` (the score is then dropped, C = 2); 3D keypoints (SMG) are
    used as they are.

    Required Keys:
        - keypoint
        - keypoint_score (optional)

    Modified Keys:
        - keypoint (M, T, V, C * len(feats))

    Removed Keys:
        - keypoint_score

    Args:
        layout (str): Layout name. Defaults to ``'imigue22'``.
        feats (list[str]): Features to concatenate, from ``'j', 'b', 'jm', 'bm'``.
        axis (int): Concatenation axis. Defaults to -1.
        with_score (bool): Append ``keypoint_score`` as a channel. Contrastive pretraining sets it
            False: no spatial augmentation changes the detector's confidence, so two views of a
            clip always share it and instance discrimination can match views by it instead of
            by the gesture (docs/dual_stream.md). Defaults to True.
    """

    _VALID = ('j', 'b', 'jm', 'bm')

    def __init__(self, layout: str = 'imigue22', feats: Sequence[str] = ('j', ),
                 axis: int = -1, with_score: bool = True) -> None:
        bad = [f for f in feats if f not in self._VALID]
        if bad or not feats:
            raise ValueError(f'feats must be a non-empty subset of {self._VALID}, got {feats}')
        self.layout = layout
        self.feats: List[str] = list(feats)
        self.axis = axis
        self.with_score = with_score
        # ToMotion's ``dataset`` only decides whether channel 2 is a score to average.
        self.ops = {has_score: self._build(has_score) for has_score in (False, True)}

    def _build(self, has_score: bool) -> Compose:
        kind = 'coco' if has_score else 'nturgb+d'
        ops = []
        if 'b' in self.feats or 'bm' in self.feats:
            ops.append(MGJointToBone(layout=self.layout, target='b', has_score=has_score))
        ops.append(KeyMapper(remapping={'keypoint': 'j'}))
        if 'jm' in self.feats:
            ops.append(ToMotion(dataset=kind, source='j', target='jm'))
        if 'bm' in self.feats:
            ops.append(ToMotion(dataset=kind, source='b', target='bm'))
        ops.append(MergeSkeFeat(feat_list=self.feats, axis=self.axis))
        return Compose(ops)

    def transform(self, results: Dict) -> Dict:
        if not self.with_score:
            results.pop('keypoint_score', None)
        has_score = 'keypoint_score' in results
        if has_score:
            kp = results.pop('keypoint')
            if kp.shape[-1] != 2:
                raise ValueError('keypoint_score is only meaningful with 2D keypoints, got '
                                 f'keypoint of shape {kp.shape}')
            score = results.pop('keypoint_score')
            results['keypoint'] = np.concatenate([kp, score[..., None]], -1).astype(np.float32)
        return self.ops[has_score](results)

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(layout={self.layout!r}, feats={self.feats}, '
                f'axis={self.axis}, with_score={self.with_score})')
