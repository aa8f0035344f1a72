"""Readers of the iMiGUE challenge CSV package files (``<vid>_light_hand.csv``,
``<vid>_label.csv``); layout in :mod:`mmimigue.datasets.converters.imigue_challenge_csv`."""
from collections import Counter
from typing import List, Optional, Tuple

import numpy as np

from ...protocol import imigue_class_to_index
from ...skeleton.layouts import FINGERTIPS, LHAND_OFFSET, NUM_OPENPOSE_KEYPOINTS, RHAND_OFFSET
from .errors import ConversionError
from .numeric_csv import read_integer_csv, read_numeric_csv

NUM_CHALLENGE_JOINTS = 35
SKELETON_COLUMNS = 1 + NUM_CHALLENGE_JOINTS * 3  # 106
# Where each of the 35 challenge joints goes in the 137-point OpenPose order: BODY_25, then the
# first fingertip block = OpenPose's left hand (hand_left_keypoints_2d), then the right hand.
# Evidence (docs/data.md, "Hand order"): the MiGA kit's reader names the blocks with the image-side
# mirror of OpenPose's names throughout (BODY_25 #4 RWrist is its 'HandLeft') and its drawing code
# joins 'HandRight' (BODY_25 #7, LWrist) to the first block; the packed 22-joint order of the kit
# puts the first block at joints 12-16, which ``imigue22`` joins to BODY_25 #7 as well.
CHALLENGE_TO_OPENPOSE = np.array(
    list(range(25)) + [LHAND_OFFSET + t for t in FINGERTIPS] +
    [RHAND_OFFSET + t for t in FINGERTIPS], np.int64)


def read_light_hand_csv(path: str, counts: Optional[Counter] = None) -> np.ndarray:
    """``<vid>_light_hand.csv`` -> float32 (F, 137, 3) (x, y, score) in OpenPose order.

    NaN or empty cells become score-0 points (counted as ``nan_keypoints``). Rows are placed by
    their frame index (column 0), so rows missing in the middle of the file leave score-0
    frames (counted as ``missing_frames``) instead of shifting every later frame.

    Raises:
        ConversionError: a frame index that is not a whole number, or that does not increase.
    """
    data = read_numeric_csv(path, SKELETON_COLUMNS,
                            'frame index + 35 joints x (x, y, conf) per frame',
                            error=ConversionError)
    vals = data[:, 1:].reshape(-1, NUM_CHALLENGE_JOINTS, 3).astype(np.float32)
    rows = _frame_rows(data[:, 0], path)
    if counts is not None and len(rows):
        counts['missing_frames'] += int(rows[-1] + 1 - len(rows))
    bad = ~np.isfinite(vals).all(-1)
    if bad.any():
        if counts is not None:
            counts['nan_keypoints'] += int(bad.sum())
        vals[bad] = 0
    out = np.zeros((rows[-1] + 1 if len(rows) else 0, NUM_OPENPOSE_KEYPOINTS, 3), np.float32)
    out[rows[:, None], CHALLENGE_TO_OPENPOSE[None]] = vals
    return out


def _frame_rows(index: np.ndarray, path: str) -> np.ndarray:
    """Output row of each data row: its frame index minus the first one."""
    if len(index) == 0:
        return np.zeros(0, np.int64)
    if not np.isfinite(index).all() or (index != np.round(index)).any():
        bad = int(np.flatnonzero(~np.isfinite(index) | (index != np.round(index)))[0])
        raise ConversionError(f'{path}: data row {bad + 1} has frame index {index[bad]!r}, not '
                              'a whole number; fix column 0')
    steps = np.diff(index)
    if (steps <= 0).any():
        bad = int(np.flatnonzero(steps <= 0)[0]) + 1
        raise ConversionError(f'{path}: data row {bad + 1} has frame index {int(index[bad])} '
                              f'after {int(index[bad - 1])}; frame indices must increase (rows '
                              'duplicated or out of order)')
    return (index - index[0]).astype(np.int64)


def read_challenge_labels(path: str) -> List[Tuple[int, int, int, int]]:
    """``<vid>_label.csv`` -> ``(label index, start, end, gesture id)`` per row.

    Raises:
        ConversionError: wrong column count, unknown gesture id, or end before start.
    """
    rows = read_integer_csv(path, 3, 'gestureID,startframe,endframe rows',
                            error=ConversionError)
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
