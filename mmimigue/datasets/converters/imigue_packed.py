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
from collections import Counter
from typing import Dict, List, Optional, Tuple

import numpy as np

from ..formats.clip_id import parse_clip_id, row_clip_id
from ..formats.clip_schema import (
    UNAVAILABLE_WITHOUT_LABELS_CSV,
    clip_annotation,
    copy_row_metadata,
    unknown_row,
)
from ..formats.errors import ConversionError
from ..formats.imigue_release_metadata import ReleaseMetadata
from ..formats.packed_arrays import load_packed_data, load_packed_labels, valid_lengths
from ..keypoint_store import check_output_path
from .challenge_package import challenge_content


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
    inputs = [ann_file, split_file] + [f for pair in parts.values() for f in pair]
    if out_file:
        check_output_path(out_file, inputs)
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
            video_id, clip_index = parse_clip_id(name)
            row, start, end = unknown_row(video_id, clip_index, label), -1, -1
            if meta_src is not None:
                found = meta_src.by_position(video_id, clip_index, label, label_path)
                row, name = copy_row_metadata(found), row_clip_id(found)
                start, end = found['start_frame'], found['end_frame']
                if end - start + 1 > t_max:
                    counts['clips_longer_than_stored'] += 1
                    start = end - t_max + 1  # the package keeps the last T frames
            t = int(lengths[i])
            counts['padding_frames_dropped'] += t_max - t
            clip = np.array(data[i, :, :t, :, 0], np.float32).transpose(1, 2, 0)  # (T', 22, 3)
            bad = ~np.isfinite(clip).all(-1)
            if bad.any():  # NaN / Inf points become score-0 points, counted
                counts['nan_keypoints'] += int(bad.sum())
                clip[bad] = 0
            annotations.append(clip_annotation(name, row, np.ascontiguousarray(clip, np.float32),
                                               img_shape, start, end))
            groups[split_name].append(name)
            counts['frames'] += t
    unavailable = ([] if meta_src is not None else
                   list(UNAVAILABLE_WITHOUT_LABELS_CSV) + ['start_frame', 'end_frame'])
    return challenge_content(
        'packed', groups, annotations, counts,
        ('frames', 'padding_frames_dropped', 'clips_longer_than_stored', 'nan_keypoints',
         'skipped_clips'),
        skipped, split_file, 'imigue22', unavailable, 'only the 22 imigue22 joints are stored',
        out_file, storage, inputs)


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

