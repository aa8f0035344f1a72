"""Per-clip body-frame normalisation of 2D skeletons: origin at the body centre, shoulder width 1."""
from typing import Dict, Sequence

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform

from ...skeleton.normalize import body_units


@TRANSFORMS.register_module()
class MGNormalizeBody2D(BaseTransform):
    """Express 2D keypoints in body units: subtract the clip's mean centre joint, divide by the
    clip's mean shoulder width. A drop-in replacement for mmaction2's ``PreNormalize2D``.

    ``PreNormalize2D`` maps pixels to ``[-1, 1]`` of the image, so where a person sits and how
    large they appear stay in the coordinates. In iMiGUE's press conferences that is subject
    identity, which cross-subject evaluation must ignore: on the synthetic iMiGUE a frozen random
    MGBiGRU's linear-probe accuracy rises from 63.6 % to 78.8 % in body units (a study that scaled
    ``PreNormalize2D`` coordinates per axis; docs/dual_stream.md). Per person ``m``::

        origin_m = mean over frames of x[m, t, center]           (detected frames only)
        scale_m  = mean over frames of |x[m, t, a] - x[m, t, b]|  (a, b = scale_joints, both detected)
        x'[m, t, v] = (x[m, t, v] - origin_m) / scale_m

    One origin and one scale per clip keep the motion inside the clip (a torso sway still moves
    the neck). A joint counts as detected where ``keypoint_score > 0`` (OpenPose writes 0 for a
    miss) and its coordinates are finite; undetected joints are set to the origin ``(0, 0)``, so
    a missed detection does not jump to the image corner as it does after ``PreNormalize2D``.
    Fallbacks, per person: without any detected centre joint the origin is the mean of all
    detected joints; without a frame where both scale joints are detected the scale is the RMS
    distance of the detected joints to the origin; a person with no detected joint at all
    (padding, empty skeleton) is left all zeros.

    The arithmetic is :func:`mmimigue.skeleton.body_units` (the online models call it too). The
    defaults suit every OpenPose-based layout of :mod:`mmimigue.skeleton.layouts` (``imigue22``,
    ``body25``, ``openpose137``: 1 = neck, 2 / 5 = right / left shoulder). 3D Kinect data (SMG)
    uses mmaction2's ``PreNormalize3D``.

    Required Keys:
        - keypoint (M, T, V, 2)
        - keypoint_score (M, T, V), optional: without it every finite point counts as detected

    Modified Keys:
        - keypoint (float32)

    Args:
        center (int): Centre joint. Defaults to 1 (neck).
        scale_joints (Sequence[int]): The two joints whose distance is the unit. Defaults to
            ``(2, 5)`` (shoulders).
        eps (float): Smallest accepted scale; a smaller one (a degenerate skeleton) falls back
            to 1. Defaults to 1e-6.
    """

    def __init__(self, center: int = 1, scale_joints: Sequence[int] = (2, 5),
                 eps: float = 1e-6) -> None:
        if len(scale_joints) != 2:
            raise ValueError(f'MGNormalizeBody2D: scale_joints must name two joints, got '
                             f'{scale_joints!r}')
        self.center = int(center)
        self.scale_joints = tuple(int(j) for j in scale_joints)
        self.eps = float(eps)

    def transform(self, results: Dict) -> Dict:
        kp = np.asarray(results['keypoint'], dtype=np.float32)
        if kp.ndim != 4 or kp.shape[-1] != 2:
            raise ValueError('MGNormalizeBody2D expects 2D keypoints shaped (M, T, V, 2), got '
                             f'{kp.shape}; use PreNormalize3D for 3D skeletons and put this '
                             'transform before MGGenSkeFeat (which appends the score channel)')
        score = results.get('keypoint_score')
        results['keypoint'] = body_units(kp, None if score is None else np.asarray(score),
                                         self.center, self.scale_joints, self.eps)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(center={self.center}, '
                f'scale_joints={self.scale_joints}, eps={self.eps})')
