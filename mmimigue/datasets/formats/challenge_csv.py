"""Readers of the iMiGUE challenge CSV package files (``<vid>_light_hand.csv``,
``<vid>_label.csv``); layout in :mod:`mmimigue.datasets.converters.imigue_challenge_csv`."""
from collections import Counter
from typing import List, Optional, Tuple

import numpy as np

from ...graphs import FINGERTIPS, LHAND_OFFSET, NUM_OPENPOSE_KEYPOINTS, RHAND_OFFSET
from ...protocol import imigue_class_to_index
from .errors import ConversionError
from .numeric_csv import read_numeric_csv

NUM_CHALLENGE_JOINTS = 35
SKELETON_COLUMNS = 1 + NUM_CHALLENGE_JOINTS * 3  # 106
# Where each of the 35 challenge joints goes in the 137-point OpenPose order.
CHALLENGE_TO_OPENPOSE = np.array(
    list(range(25)) + [RHAND_OFFSET + t for t in FINGERTIPS] +
    [LHAND_OFFSET + t for t in FINGERTIPS], np.int64)


def read_light_hand_csv(path: str, counts: Optional[Counter] = None) -> np.ndarray:
    """``<vid>_light_hand.csv`` -> float32 (F, 137, 3) (x, y, score) in OpenPose order.

    NaN or empty cells become score-0 points (counted as ``nan_keypoints``).
    """
    data = read_numeric_csv(path, SKELETON_COLUMNS,
                            'frame index + 35 joints x (x, y, conf) per frame',
                            error=ConversionError)
    vals = data[:, 1:].reshape(-1, NUM_CHALLENGE_JOINTS, 3).astype(np.float32)
    bad = ~np.isfinite(vals).all(-1)
    if bad.any():
        if counts is not None:
            counts['nan_keypoints'] += int(bad.sum())
        vals[bad] = 0
    out = np.zeros((vals.shape[0], NUM_OPENPOSE_KEYPOINTS, 3), np.float32)
    out[:, CHALLENGE_TO_OPENPOSE] = vals
    return out


def read_challenge_labels(path: str) -> List[Tuple[int, int, int, int]]:
    """``<vid>_label.csv`` -> ``(label index, start, end, gesture id)`` per row.

    Raises:
        ConversionError: wrong column count, unknown gesture id, or end before start.
    """
    rows = read_numeric_csv(path, 3, 'gestureID,startframe,endframe rows',
                            error=ConversionError).astype(np.int64)
    out = []
    for i, (gid, start, end) in enumerate(rows.tolist()):
        try:
            label = imigue_class_to_index(99 if gid == 32 else gid)
        except ValueError as e:
            raise ConversionError(f'{path}: row {i + 1}: {e}; fix the gesture id') from None
        if end < start:
            raise ConversionError(f'{path}: row {i + 1} ends (frame {end}) before it starts '
                                  f'(frame {start})')
        out.append((label, start, end, gid))
    return out
