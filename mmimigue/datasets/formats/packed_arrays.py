"""Readers of the iMiGUE packed challenge arrays (``<split>_data.npy``, ``<split>_label.pkl``);
layout in :mod:`mmimigue.datasets.converters.imigue_packed`."""
import os.path as osp
from collections import Counter
from typing import List, Tuple

import numpy as np

from ...protocol import IMIGUE_NUM_CLASSES
from ...skeleton.layouts import LAYOUTS
from .clip_id import is_clip_id
from .errors import ConversionError
from .safe_pickle import load_data_pickle

NUM_PACKED_JOINTS = LAYOUTS['imigue22']['num_node']  # 22


def load_packed_data(path: str) -> np.ndarray:
    """Memory-map ``<split>_data.npy`` and check its ``(N, 3, T, 22, M)`` shape.

    Raises:
        ConversionError: missing, truncated or not a ``(N, 3, T, 22, M)`` array.
    """
    if not osp.isfile(path):
        raise ConversionError(f'{path}: packed data file not found')
    try:
        data = np.load(path, mmap_mode='r', allow_pickle=False)
    except (ValueError, OSError, EOFError) as e:
        raise ConversionError(f'{path}: cannot read the array ({e}); the file is truncated or '
                              'not an .npy array. Re-download or re-create it.') from None
    if data.ndim != 5 or data.shape[1] != 3 or data.shape[3] != NUM_PACKED_JOINTS or \
            data.shape[4] < 1:
        raise ConversionError(f'{path}: array of shape {data.shape}; the packed iMiGUE format is '
                              f'(N, 3, T, {NUM_PACKED_JOINTS}, M) with channels x, y, confidence')
    return data


def load_packed_labels(path: str, num_samples: int, data_path: str) -> Tuple[List[str], List[int]]:
    """Read ``(sample_names, labels)`` and check it against the data.

    Raises:
        ConversionError: unreadable pickle, wrong structure, a count that differs from the data,
            malformed or duplicate names, labels outside 0..31.
    """
    if not osp.isfile(path):
        raise ConversionError(f'{path}: packed label file not found')
    obj = load_data_pickle(path)
    if not isinstance(obj, (tuple, list)) or len(obj) != 2:
        raise ConversionError(f'{path}: expected a pickle of (sample_names, labels), got '
                              f'{type(obj).__name__}')
    names, labels = [str(n) for n in obj[0]], np.asarray(obj[1]).reshape(-1)
    if len(names) != len(labels):
        raise ConversionError(f'{path}: {len(names)} names but {len(labels)} labels')
    if len(names) != num_samples:
        raise ConversionError(f'{path}: {len(names)} samples but {data_path} holds {num_samples}; '
                              'the label file does not belong to this data file')
    bad = [n for n in names if not is_clip_id(n)]
    if bad:
        raise ConversionError(f'{path}: sample names like {bad[0]!r} are not '
                              '"<video id>_<clip index>" (e.g. "0187_0")')
    dup = [n for n, c in Counter(names).items() if c > 1]
    if dup:
        raise ConversionError(f'{path}: duplicate sample names {dup[:5]}')
    if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0 or \
            labels.max() >= IMIGUE_NUM_CLASSES:
        raise ConversionError(f'{path}: labels must be integers 0..{IMIGUE_NUM_CLASSES - 1}, got '
                              f'{labels.dtype} in {labels.min()}..{labels.max()}')
    return names, labels.astype(np.int64).tolist()


def valid_lengths(data: np.ndarray, chunk: int = 1024) -> np.ndarray:
    """Frames per sample once the all-zero frames at the end (padding) are dropped."""
    n, _, t = data.shape[:3]
    out = np.zeros(n, np.int64)
    for s in range(0, n, chunk):
        block = np.asarray(data[s:s + chunk, :, :, :, 0])
        nonzero = (block != 0).any(axis=(1, 3))  # (b, T)
        last = t - np.argmax(nonzero[:, ::-1], axis=1)
        out[s:s + chunk] = np.where(nonzero.any(1), last, 0)
    return out
