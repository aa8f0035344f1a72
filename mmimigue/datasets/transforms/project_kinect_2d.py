"""SMG's Kinect joints as 2D pixels for heat-map models (PoseC3D): the release's own colour-pixel
values where the converted clip has them, else a pinhole projection of the camera-space joints."""
from typing import Dict, Sequence

import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class MGProjectKinect2D(BaseTransform):
    """Kinect joints -> 2D pixels.

    Where the clip holds ``keypoint_2d`` (the release's colour-camera pixel xy, values 7:9 of
    each joint, written by ``tools/data/smg/convert.py``) and ``use_release_2d`` is set, those
    are the keypoints and ``img_shape`` is ``release_img_shape`` (the 1920 x 1080 colour
    camera). Otherwise (older pickles, releases without the values) the camera-space joints
    (x right, y up, z away from the sensor, metres) are projected:
    ``u = cx + f * x / z``, ``v = cy - f * y / z``. ``kinect_2d_source`` records which
    (``'release'`` / ``'projection'``).

    The defaults are approximate Kinect v2 depth-camera values (f = 365 px, 512 x 424 image);
    heat-map pipelines crop to the body with ``PoseCompact`` right after, so only the
    perspective matters, not the exact intrinsics. Joints with ``z <= 0`` (not tracked, stored as
    zeros) get coordinates 0 and score 0, which ``PoseCompact`` and ``GeneratePoseTarget``
    ignore; tracked joints get score 1 (the release has no confidence).

    Required Keys: ``keypoint`` (M, T, V, 3); optional ``keypoint_2d`` (M, T, V, 2).
    Modified Keys: ``keypoint`` (M, T, V, 2). Removed Keys: ``keypoint_2d``.
    Added Keys: ``keypoint_score`` (M, T, V), ``img_shape``, ``original_shape``,
    ``kinect_2d_source``.

    Args:
        focal (float): Focal length of the projection in pixels. Defaults to 365.
        img_shape (Sequence[int]): (height, width) of the projection. Defaults to (424, 512).
        use_release_2d (bool): Prefer the release's pixel values. Defaults to True.
        release_img_shape (Sequence[int]): (height, width) of the release's pixel values.
            Defaults to (1080, 1920).
    """

    def __init__(self, focal: float = 365., img_shape: Sequence[int] = (424, 512),
                 use_release_2d: bool = True,
                 release_img_shape: Sequence[int] = (1080, 1920)) -> None:
        self.focal = float(focal)
        self.img_shape = tuple(int(s) for s in img_shape)
        self.use_release_2d = bool(use_release_2d)
        self.release_img_shape = tuple(int(s) for s in release_img_shape)

    def transform(self, results: Dict) -> Dict:
        kp = np.asarray(results['keypoint'], np.float32)
        if kp.shape[-1] != 3:
            raise ValueError(f'MGProjectKinect2D needs 3D joints (..., 3), got {kp.shape}; '
                             'it is for SMG / Kinect camera-space skeletons')
        z = kp[..., 2]
        tracked = z > 1e-6
        pixels = results.pop('keypoint_2d', None)
        if self.use_release_2d and pixels is not None:
            pixels = np.asarray(pixels, np.float32)
            if pixels.shape != kp.shape[:-1] + (2, ):
                raise ValueError(f'keypoint_2d {pixels.shape} does not match keypoint '
                                 f'{kp.shape}; convert the release again')
            valid = tracked & np.isfinite(pixels).all(-1)
            results['keypoint'] = np.where(valid[..., None], pixels, 0).astype(np.float32)
            results['keypoint_score'] = valid.astype(np.float32)
            results['img_shape'] = results['original_shape'] = self.release_img_shape
            results['kinect_2d_source'] = 'release'
            return results
        h, w = self.img_shape
        safe_z = np.where(tracked, z, 1.0)
        u = w / 2 + self.focal * kp[..., 0] / safe_z
        v = h / 2 - self.focal * kp[..., 1] / safe_z
        results['keypoint'] = np.where(tracked[..., None], np.stack([u, v], -1), 0).astype(
            np.float32)
        results['keypoint_score'] = tracked.astype(np.float32)
        results['img_shape'] = results['original_shape'] = self.img_shape
        results['kinect_2d_source'] = 'projection'
        return results
