"""A seated upper body in OpenPose 137-keypoint order, animated by micro-gesture programs.

Coordinates are in *body units* (shoulder half-width = 1, y down, the neck at the origin, the
person facing the camera so their right side is on the image left); :func:`to_pixels` maps
them to an image with a subject's scale, position and tilt. Everything is vectorised over time.
"""
from typing import Dict, Tuple

import numpy as np

from ...skeleton.layouts import FACE_OFFSET, HAND, LHAND_OFFSET, NUM_OPENPOSE_KEYPOINTS, RHAND_OFFSET

# Rest pose of BODY_25 (seated behind a table: hips low-confidence, legs unseen).
BODY_REST = np.array([
    [0.0, -1.10], [0.0, 0.0], [-1.0, 0.05], [-1.25, 1.20], [-0.60, 1.90],  # nose..RWrist
    [1.0, 0.05], [1.25, 1.20], [0.60, 1.90],  # LShoulder..LWrist
    [0.0, 2.60], [-0.55, 2.60], [-0.70, 3.40], [-0.70, 4.20],  # MidHip, RHip, RKnee, RAnkle
    [0.55, 2.60], [0.70, 3.40], [0.70, 4.20],  # LHip, LKnee, LAnkle
    [-0.20, -1.30], [0.20, -1.30], [-0.45, -1.15], [0.45, -1.15],  # eyes, ears
    [0.75, 4.35], [0.85, 4.30], [0.65, 4.25], [-0.75, 4.35], [-0.85, 4.30], [-0.65, 4.25],
], dtype=np.float32)
BODY_VISIBLE = np.array([1] * 8 + [0.3, 0.3, 0, 0, 0.3, 0, 0] + [1] * 4 + [0] * 6, np.float32)
HEAD_CENTER = np.array([0.0, -1.15], np.float32)
HEAD_JOINTS = [0, 15, 16, 17, 18]
UPPER_ARM, FOREARM = 1.2, 1.1


def _face_rest() -> np.ndarray:
    """70 face points around the head centre (jaw, brows, nose, eyes, lips, pupils)."""
    pts = np.zeros((70, 2), np.float32)
    ang = np.linspace(np.pi * 0.95, np.pi * 0.05, 17)
    pts[0:17] = np.stack([0.42 * np.cos(ang), 0.05 + 0.50 * np.sin(ang)], 1)  # jaw below
    pts[17:22] = np.stack([np.linspace(-0.35, -0.08, 5), np.full(5, -0.30)], 1)
    pts[22:27] = np.stack([np.linspace(0.08, 0.35, 5), np.full(5, -0.30)], 1)
    pts[27:31] = np.stack([np.zeros(4), np.linspace(-0.20, 0.05, 4)], 1)
    pts[31:36] = np.stack([np.linspace(-0.10, 0.10, 5), np.full(5, 0.10)], 1)
    eye = np.linspace(0, 2 * np.pi, 6, endpoint=False)
    pts[36:42] = np.stack([-0.20 + 0.07 * np.cos(eye), -0.15 + 0.03 * np.sin(eye)], 1)
    pts[42:48] = np.stack([0.20 + 0.07 * np.cos(eye), -0.15 + 0.03 * np.sin(eye)], 1)
    lip = np.linspace(0, 2 * np.pi, 12, endpoint=False)
    pts[48:60] = np.stack([0.15 * np.cos(lip), 0.28 + 0.06 * np.sin(lip)], 1)
    inner = np.linspace(0, 2 * np.pi, 8, endpoint=False)
    pts[60:68] = np.stack([0.10 * np.cos(inner), 0.28 + 0.03 * np.sin(inner)], 1)
    pts[68], pts[69] = (-0.20, -0.15), (0.20, -0.15)
    return pts + HEAD_CENTER


FACE_REST = _face_rest()
# Hand: wrist at the origin, four points per finger fanned around +y (the forearm direction).
_FINGER_ANGLES = np.array([-0.9, -0.35, 0.0, 0.3, 0.6], np.float32)
_FINGER_LENGTHS = np.array([0.22, 0.34, 0.37, 0.34, 0.27], np.float32)


def hand_points(wrist: np.ndarray, direction: np.ndarray, spread: np.ndarray,
                mirror: float) -> np.ndarray:
    """21 hand keypoints for each frame.

    Args:
        wrist: (T, 2) wrist positions.
        direction: (T,) forearm angle (radians, 0 = pointing down the image).
        spread: (T,) finger spread factor (1 = relaxed, 0 = closed fist-like).
        mirror: +1 for the left hand, -1 for the right (thumbs point inwards).

    Returns:
        (T, 21, 2) points.
    """
    frac = np.array([0.35, 0.6, 0.8, 1.0], np.float32)
    ang = direction[:, None, None] + mirror * _FINGER_ANGLES[None, :, None] * spread[:, None, None]
    length = _FINGER_LENGTHS[None, :, None] * frac[None, None, :]  # (1, 5, 4)
    offs = np.stack([np.sin(ang) * length, np.cos(ang) * length], -1)  # (T, 5, 4, 2)
    pts = np.concatenate([np.zeros_like(offs[:, :1, 0]), offs.reshape(len(wrist), 20, 2)], 1)
    return pts + wrist[:, None, :]


def two_bone_elbow(shoulder: np.ndarray, wrist: np.ndarray, bend: float) -> np.ndarray:
    """Elbow position by two-bone inverse kinematics, bending to the side ``bend`` (+1/-1)."""
    d = wrist - shoulder
    dist = np.clip(np.linalg.norm(d, axis=-1, keepdims=True), 1e-3, UPPER_ARM + FOREARM - 1e-3)
    unit = d / dist
    cos_a = np.clip((UPPER_ARM**2 + dist**2 - FOREARM**2) / (2 * UPPER_ARM * dist), -1, 1)
    sin_a = np.sqrt(1 - cos_a**2)
    perp = np.stack([-unit[:, 1], unit[:, 0]], -1) * bend
    return shoulder + UPPER_ARM * (unit * cos_a + perp * sin_a)


def rest_skeleton(num_frames: int) -> np.ndarray:
    """(T, 137, 2) rest pose with relaxed hands."""
    pts = np.zeros((num_frames, NUM_OPENPOSE_KEYPOINTS, 2), np.float32)
    pts[:, :25] = BODY_REST
    pts[:, FACE_OFFSET:FACE_OFFSET + 70] = FACE_REST
    return pts


def attach_hands(pts: np.ndarray, spread: Dict[str, np.ndarray]) -> None:
    """Recompute hand keypoints in place from the body's elbows and wrists."""
    for offset, elbow, wrist, mirror, side in ((LHAND_OFFSET, 6, 7, 1.0, 'left'),
                                                (RHAND_OFFSET, 3, 4, -1.0, 'right')):
        fore = pts[:, wrist] - pts[:, elbow]
        direction = np.arctan2(fore[:, 0], fore[:, 1])
        pts[:, offset:offset + HAND] = hand_points(pts[:, wrist], direction, spread[side], mirror)


def to_pixels(pts: np.ndarray, scale: float, center: Tuple[float, float],
              tilt: float) -> np.ndarray:
    """Body units -> pixels: rotate by ``tilt`` about the neck, scale, translate."""
    c, s = np.cos(tilt), np.sin(tilt)
    rot = np.array([[c, -s], [s, c]], np.float32)
    return pts @ rot.T * scale + np.asarray(center, np.float32)


def visibility() -> np.ndarray:
    """(137,) base detection confidence of each keypoint for a seated speaker."""
    vis = np.ones(NUM_OPENPOSE_KEYPOINTS, np.float32)
    vis[:25] = BODY_VISIBLE
    return vis
