"""Body-unit normalisation: the one implementation that the pipeline transform
(:class:`~mmimigue.datasets.transforms.MGNormalizeBody2D`) and the online models share.

Both backends run the same code: numpy arrays in the data pipeline, torch tensors on the model's
device (no round trip through the CPU); torch is imported only when a tensor is passed.
"""
from typing import Sequence

import numpy as np


def _xp(x):
    """The array module of ``x``: numpy, or torch for a tensor."""
    if isinstance(x, np.ndarray):
        return np
    import torch
    return torch


def body_units(kp, score=None, center: int = 1, scale_joints: Sequence[int] = (2, 5),
               eps: float = 1e-6):
    """2D keypoints (M, T, V, 2) in body units, per person ``m`` over its frames::

        origin_m = mean over frames of x[m, t, center]           (detected frames only)
        scale_m  = mean over frames of |x[m, t, a] - x[m, t, b]|  (a, b = scale_joints, both detected)
        x'[m, t, v] = (x[m, t, v] - origin_m) / scale_m

    A joint counts as detected where ``score > 0`` (OpenPose writes 0 for a miss) and its
    coordinates are finite; undetected joints are set to the origin ``(0, 0)``. Fallbacks: without
    a detected centre joint the origin is the mean of all detected joints; without a frame where
    both scale joints are detected the scale is the RMS distance of the detected joints to the
    origin; a scale below ``eps`` becomes 1; a person with no detected joint stays all zeros.

    Args:
        kp: (M, T, V, 2) numpy array or torch tensor.
        score: (M, T, V) detection scores of the same kind, or None (every finite point counts).
        center (int): Centre joint. Defaults to 1 (neck of the OpenPose layouts).
        scale_joints (Sequence[int]): The two joints whose distance is one unit.
        eps (float): Smallest accepted scale.

    Returns:
        The same kind as ``kp``: numpy float32, or a tensor of ``kp``'s dtype and device.
    """
    xp = _xp(kp)
    if xp is np:
        kp = np.asarray(kp, dtype=np.float32)
    if kp.ndim != 4 or kp.shape[-1] != 2:
        raise ValueError(f'body_units expects 2D keypoints shaped (M, T, V, 2), got '
                         f'{tuple(kp.shape)}')
    a, b = (int(j) for j in scale_joints)
    if max(center, a, b) >= kp.shape[2]:
        raise ValueError(f'body_units: center={center} / scale_joints={(a, b)} do not exist in '
                         f'a {kp.shape[2]}-joint layout')
    detected = xp.isfinite(kp).all(-1)
    if score is not None:
        detected = detected & (score > 0)
    kp = xp.where(detected[..., None], kp, 0.)

    # origin: mean detected centre joint per person, mean of all detected joints as fallback
    c_n = detected[:, :, center].sum(1)
    c_mean = kp[:, :, center].sum(1) / c_n.clip(min=1)[:, None]
    all_mean = kp.sum((1, 2)) / detected.sum((1, 2)).clip(min=1)[:, None]
    origin = xp.where((c_n > 0)[:, None], c_mean, all_mean)
    rel = kp - origin[:, None, None]

    # scale: mean shoulder width per person, RMS distance to the origin as fallback, else 1
    both = detected[:, :, a] & detected[:, :, b]
    width = xp.sqrt(((rel[:, :, a] - rel[:, :, b]) ** 2).sum(-1)) * both
    w_mean = width.sum(1) / both.sum(1).clip(min=1)
    rms = xp.sqrt(((rel ** 2).sum(-1) * detected).sum((1, 2)) / detected.sum((1, 2)).clip(min=1))
    scale = xp.where(both.any(1) & (w_mean > eps), w_mean, rms)
    scale = xp.where(scale > eps, scale, xp.ones_like(scale))
    out = xp.where(detected[..., None], rel / scale[:, None, None, None], 0.)
    return out.astype(np.float32) if xp is np else out.to(kp.dtype)


def centre_on_joint(kp, center: int):
    """3D (Kinect) keypoints (M, T, V, C) minus each person's mean ``center`` joint over its
    frames: what the online models see of SMG (metres keep their scale)."""
    return kp - kp[:, :, center:center + 1].mean(1, keepdims=True) if _xp(kp) is np else \
        kp - kp[:, :, center:center + 1].mean(1, keepdim=True)


def layout_body_units(raw, layout: str, eps: float = 1e-6):
    """Raw stream windows (N, T, V, C) of ``layout`` -> what a model sees: body units
    (N, T, V, 2) from OpenPose x, y, score, or centred x, y, z for a Kinect layout."""
    from .layouts import layout_info
    info = layout_info(layout)
    if info.kinect:
        return centre_on_joint(raw, info.center)
    return body_units(raw[..., :2], raw[..., 2], info.center, info.scale_joints, eps)

