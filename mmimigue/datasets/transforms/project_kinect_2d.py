"""Kinect world joints (metres) -> pixel coordinates of a pinhole camera, for 2D heat-map models
(PoseC3D) on SMG, whose release keeps the joints in camera space."""
from typing import Dict, Sequence

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class MGProjectKinect2D(BaseTransform):
    """``u = cx + f * x / z``, ``v = cy - f * y / z`` for Kinect camera-space joints
    (x right, y up, z away from the sensor, metres).

    The defaults are approximate Kinect v2 depth-camera values (f = 365 px, 512 x 424 image);
    heat-map pipelines crop to the body with ``PoseCompact`` right after, so only the
    perspective matters, not the exact intrinsics. Joints with ``z <= 0`` (not tracked, stored as
    zeros) get coordinates 0 and score 0, which ``PoseCompact`` and ``GeneratePoseTarget``
    ignore; tracked joints get score 1 (the release has no confidence).

    Required Keys: ``keypoint`` (M, T, V, 3). Modified Keys: ``keypoint`` (M, T, V, 2).
    Added Keys: ``keypoint_score`` (M, T, V), ``img_shape``, ``original_shape``.

    Args:
        focal (float): Focal length in pixels. Defaults to 365.
        img_shape (Sequence[int]): (height, width). Defaults to (424, 512).
    """

    def __init__(self, focal: float = 365., img_shape: Sequence[int] = (424, 512)) -> None:
        self.focal = float(focal)
        self.img_shape = tuple(int(s) for s in img_shape)

    def transform(self, results: Dict) -> Dict:
        kp = np.asarray(results['keypoint'], np.float32)
        if kp.shape[-1] != 3:
            raise ValueError(f'MGProjectKinect2D needs 3D joints (..., 3), got {kp.shape}; '
                             'it is for SMG / Kinect camera-space skeletons')
        h, w = self.img_shape
        z = kp[..., 2]
        tracked = z > 1e-6
        safe_z = np.where(tracked, z, 1.0)
        u = w / 2 + self.focal * kp[..., 0] / safe_z
        v = h / 2 - self.focal * kp[..., 1] / safe_z
        results['keypoint'] = np.where(tracked[..., None], np.stack([u, v], -1), 0).astype(
            np.float32)
        results['keypoint_score'] = tracked.astype(np.float32)
        results['img_shape'] = results['original_shape'] = self.img_shape
        return results
