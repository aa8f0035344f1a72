"""iMiGUE packed challenge arrays -> the shared PoseDataset pickle schema.

The packed challenge format stores each split as

* ``<split>_data.npy``: float32 ``(N, 3, T, 22, M)``: channels x, y, confidence; ``T`` frames
  (90 in the public package, keeping the *last* 90 frames of longer clips; shorter clips are
  zero-padded at the end); the 22 upper-body joints of the ``imigue22`` layout; ``M`` persons
  (the first is used);
* ``<split>_label.pkl``: a pickle of ``(sample_names, labels)``, names like ``'0187_0'``
  (4-digit video id, 0-based clip index), labels 0..31.

Clips keep the 22 stored joints (``keypoint`` (1, T', 22, 2), ``keypoint_score`` (1, T', 22)), so
they load with ``layout='imigue22'`` only. ``T'`` drops the zero padding at the end (a clip
whose real last frames had no detection loses those frames too, as the padding cannot be told
apart); all-zero samples are skipped and counted.

Without the release ``labels.csv`` this format cannot provide ``subject_id``, ``emotion``
(stored as -1), ``start_frame`` / ``end_frame`` (-1), timings, demographics, the frames of a clip
before its last ``T``, nor the face / hand points outside the 22 joints. With ``ann_file`` clip
``<vid>_<k>`` is matched to the ``k``-th row of video ``<vid>`` in ``labels.csv`` (file order),
checked by label, and takes that row's metadata and official ``frame_dir``.
"""
import os.path as osp
import pickle
import re
from collections import Counter
from typing import Dict, List, Optional, Tuple

import numpy as np

from ...graphs import LAYOUTS
from ...protocol import IMIGUE_NUM_CLASSES
from ..keypoint_store import write_pose_pickle
from .imigue_openpose import ConversionError, clip_annotation
from .imigue_release_metadata import (UNAVAILABLE_WITHOUT_LABELS_CSV, ReleaseMetadata,
                                      challenge_splits, copy_row_metadata, joined_name,
                                      unknown_row)

NUM_PACKED_JOINTS = LAYOUTS['imigue22']['num_node']  # 22
_NAME_RE = re.compile(r'^(\d+)_(\d+)$')


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
    try:
        with open(path, 'rb') as f:
            obj = pickle.load(f)
    except (pickle.UnpicklingError, EOFError, ValueError) as e:
        raise ConversionError(f'{path}: cannot unpickle ({e}); the file is truncated or not a '
                              '(names, labels) pickle') from None
    if not isinstance(obj, (tuple, list)) or len(obj) != 2:
        raise ConversionError(f'{path}: expected a pickle of (sample_names, labels), got '
                              f'{type(obj).__name__}')
    names, labels = [str(n) for n in obj[0]], np.asarray(obj[1]).reshape(-1)
    if len(names) != len(labels):
        raise ConversionError(f'{path}: {len(names)} names but {len(labels)} labels')
    if len(names) != num_samples:
        raise ConversionError(f'{path}: {len(names)} samples but {data_path} holds {num_samples}; '
                              'the label file does not belong to this data file')
    bad = [n for n in names if not _NAME_RE.match(n)]
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


def convert_packed(parts: Dict[str, Tuple[str, str]], out_file: Optional[str] = None,
                   ann_file: Optional[str] = None, split_file: Optional[str] = None,
                   img_shape: Tuple[int, int] = (720, 1280), storage: str = 'inline') -> dict:
    """Convert packed ``(data.npy, labels.pkl)`` pairs into the shared pickle schema.

    Args:
        parts (dict): Split name -> ``(data.npy, labels.pkl)``, e.g.
            ``{'xsub_train': ('train_data.npy', 'train_label.pkl'), 'xsub_test': (...)}``.
        out_file (str, optional): Pickle to write.
        ann_file (str, optional): Release ``labels.csv`` to take the missing metadata from.
        split_file (str, optional): Split JSON (its emotion video lists are used).
        img_shape (tuple): (H, W) the coordinates refer to. Defaults to (720, 1280).
        storage (str): ``'inline'`` or ``'mmap'`` (see :mod:`mmimigue.datasets.keypoint_store`).

    Returns:
        dict: ``split``, ``annotations`` (inline keypoints), ``summary``, ``meta``.
    """
    meta_src = ReleaseMetadata(ann_file) if ann_file else None
    counts: Counter = Counter()
    skipped: List[Tuple[str, str]] = []
    annotations: List[dict] = []
    groups: Dict[str, List[str]] = {}
    seen: Dict[str, str] = {}
    for split_name, (data_path, label_path) in parts.items():
        data = load_packed_data(data_path)
        names, labels = load_packed_labels(label_path, data.shape[0], data_path)
        lengths = valid_lengths(data)
        groups[split_name] = []
        t_max = data.shape[2]
        for i, (name, label) in enumerate(zip(names, labels)):
            if name in seen:
                raise ConversionError(f'{label_path}: sample {name} also appears in {seen[name]}')
            seen[name] = label_path
            if lengths[i] == 0:
                counts['skipped_clips'] += 1
                skipped.append((name, f'all-zero sample {i} of {data_path}'))
                continue
            vid, k = _NAME_RE.match(name).groups()
            video_id, clip_index = vid.zfill(4), int(k)
            row, start, end = unknown_row(video_id, clip_index, label), -1, -1
            if meta_src is not None:
                found = meta_src.by_position(video_id, clip_index, label, label_path)
                row, name = copy_row_metadata(found), joined_name(found)
                start, end = found['start_frame'], found['end_frame']
                if end - start + 1 > t_max:
                    counts['clips_longer_than_stored'] += 1
                    start = end - t_max + 1  # the package keeps the last T frames
            t = int(lengths[i])
            counts['padding_frames_dropped'] += t_max - t
            clip = np.asarray(data[i, :, :t, :, 0]).transpose(1, 2, 0)  # (T', 22, 3)
            annotations.append(clip_annotation(name, row, np.ascontiguousarray(clip, np.float32),
                                               img_shape, start, end))
            groups[split_name].append(name)
            counts['frames'] += t
    split = challenge_splits(groups, annotations, split_file)
    unavailable = ([] if meta_src is not None else
                   list(UNAVAILABLE_WITHOUT_LABELS_CSV) + ['start_frame', 'end_frame'])
    summary = dict(format='packed', clips=len(annotations), frames=counts['frames'],
                   padding_frames_dropped=counts['padding_frames_dropped'],
                   clips_longer_than_stored=counts['clips_longer_than_stored'],
                   skipped_clips=counts['skipped_clips'], skipped=skipped,
                   split_sizes={k: len(v) for k, v in split.items()})
    content = dict(split=split, annotations=annotations, summary=summary,
                   meta=dict(format='packed', keypoint_layout='imigue22',
                             unavailable_fields=unavailable,
                             missing_joints='only the 22 imigue22 joints are stored'))
    if out_file:
        write_pose_pickle(content, out_file, storage)
    return content


def format_challenge_summary(summary: dict) -> str:
    """Human-readable summary of a challenge-format conversion."""
    keys = [k for k in summary if k not in ('skipped', 'split_sizes', 'format')]
    lines = [f"{summary['format']}: " + ', '.join(f'{k}={summary[k]}' for k in keys),
             'splits: ' + ', '.join(f'{k}={v}' for k, v in summary['split_sizes'].items())]
    for name, reason in summary['skipped'][:10]:
        lines.append(f'  skipped {name}: {reason}')
    if len(summary['skipped']) > 10:
        lines.append(f"  ... and {len(summary['skipped']) - 10} more (in the pickle's "
                     "summary['skipped'])")
    return '\n'.join(lines)

