"""Readers of the SMG (Kinect v2) release files (``SampleXXXX/``); layout in
:mod:`mmimigue.datasets.converters.smg_kinect`."""
import os
import os.path as osp
import re
from typing import Dict, List, Sequence, Tuple, Union

import numpy as np

from .numeric_csv import read_integer_csv as _read_int_csv
from .numeric_csv import read_numeric_csv as _read_csv

NUM_JOINTS = 25
VALUES_PER_JOINT = 11
SKELETON_COLUMNS = NUM_JOINTS * VALUES_PER_JOINT  # 275
_SAMPLE_RE = re.compile(r'^Sample(\d+)$')


class SMGFormatError(ValueError):
    """A file of the SMG release does not have the documented layout."""


def read_numeric_csv(path: str, columns: Union[int, Sequence[int]], what: str) -> np.ndarray:
    """:func:`~mmimigue.datasets.formats.numeric_csv.read_numeric_csv` raising
    :class:`SMGFormatError`."""
    return _read_csv(path, columns, what, error=SMGFormatError)


def read_smg_skeleton(path: str) -> np.ndarray:
    """``SampleXXXX_skeleton.csv`` -> float32 (F, 25, 11) (world xyz are ``[..., 0:3]``)."""
    data = read_numeric_csv(path, SKELETON_COLUMNS,
                            f'{NUM_JOINTS} joints x {VALUES_PER_JOINT} values per frame')
    xyz = data.reshape(-1, NUM_JOINTS, VALUES_PER_JOINT)[..., :3]
    bad = ~np.isfinite(xyz).all(-1)
    if bad.any():  # a 3D joint has no confidence to mark it missing: refuse, never invent it
        row, joint = (int(v) for v in np.argwhere(bad)[0])
        raise SMGFormatError(f'{path}: data row {row + 1}, joint {joint}: empty or non-finite '
                             f'world coordinates ({int(bad.sum())} joint(s) in '
                             f'{int(bad.any(1).sum())} row(s)); re-export the file')
    return data.astype(np.float32).reshape(-1, NUM_JOINTS, VALUES_PER_JOINT)


def read_smg_finelabels(path: str, num_classes: int) -> np.ndarray:
    """``SampleXXXX_finelabels.csv`` -> int64 (N, 3) rows ``label, start, end`` (1-based label).

    Raises:
        SMGFormatError: a label outside ``1..num_classes`` or ``end < start``.
    """
    rows = _read_int_csv(path, 3, 'label,start,end rows', error=SMGFormatError)
    if rows.size == 0:
        return rows.reshape(0, 3)
    bad = np.flatnonzero((rows[:, 0] < 1) | (rows[:, 0] > num_classes))
    if bad.size:
        raise SMGFormatError(
            f'{path}: row {bad[0] + 1} has label {rows[bad[0], 0]}, outside 1..{num_classes}; '
            'labels are 1-based. If your release has more classes, pass matching class_names.')
    bad = np.flatnonzero(rows[:, 2] < rows[:, 1])
    if bad.size:
        raise SMGFormatError(f'{path}: row {bad[0] + 1} ends (frame {rows[bad[0], 2]}) before '
                             f'it starts (frame {rows[bad[0], 1]})')
    return rows


def read_smg_data(path: str) -> Dict[str, int]:
    """``SampleXXXX_data.csv`` -> ``{'num_frames', 'fps', 'max_depth'}``."""
    rows = read_numeric_csv(path, 3, 'one row numFrames,fps,maxDepth')
    if rows.shape[0] != 1:
        raise SMGFormatError(f'{path}: expected one row numFrames,fps,maxDepth, '
                             f'found {rows.shape[0]}')
    n, fps, depth = (int(v) for v in rows[0])
    return dict(num_frames=n, fps=fps, max_depth=depth)


def read_smg_tflabels(path: str) -> np.ndarray:
    """``SampleXXXX_tflabels_new.csv`` -> int64 (S, 4) rows ``emo_id, start, end, emo_label``."""
    rows = _read_int_csv(path, 4, 'emo_id,startf,endf,emo_label rows', error=SMGFormatError)
    return rows.reshape(-1, 4)


def segment_of_clips(clips: np.ndarray, segments: np.ndarray) -> np.ndarray:
    """Index of the story segment overlapping each clip the most (-1 when none overlaps).

    Args:
        clips (np.ndarray): (N, 2) inclusive start/end frames.
        segments (np.ndarray): (S, 2) inclusive start/end frames.
    """
    if len(segments) == 0 or len(clips) == 0:
        return np.full(len(clips), -1, np.int64)
    lo = np.maximum(clips[:, None, 0], segments[None, :, 0])
    hi = np.minimum(clips[:, None, 1], segments[None, :, 1])
    overlap = np.clip(hi - lo + 1, 0, None)
    best = overlap.argmax(1)
    return np.where(overlap.max(1) > 0, best, -1)


def find_smg_samples(root: str) -> List[Tuple[int, str]]:
    """``(subject_id, sample_dir)`` for every ``SampleXXXX`` folder under ``root``, sorted."""
    if not osp.isdir(root):
        raise FileNotFoundError(f'{root} is not a directory; pass the folder holding the SMG '
                                'SampleXXXX/ sub-folders')
    found = []
    for d in sorted(os.listdir(root)):
        m = _SAMPLE_RE.match(d)
        if m and osp.isdir(osp.join(root, d)):
            found.append((int(m.group(1)), osp.join(root, d)))
    if not found:
        raise FileNotFoundError(f'{root} holds no SampleXXXX/ folders; pass the folder of the '
                                'SMG skeleton release')
    return found
