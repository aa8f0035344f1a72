"""The one annotation schema every iMiGUE format is converted to.

mmaction2's ``PoseDataset`` annotation plus MG metadata::

    dict(frame_dir='0371_1', label=19, total_frames=T, img_shape=(H, W), original_shape=(H, W),
         keypoint=(1, T, V, 2) float32, keypoint_score=(1, T, V) float32, video_id='0371',
         subject_id=1, emotion=1, start_frame=171, end_frame=246, clip_index=1,
         [start_time, end_time, subject_gender, subject_nationality])

Formats that cannot know a field store ``-1`` and list it in ``meta['unavailable_fields']``.
"""
from typing import Tuple

import numpy as np

OPTIONAL_ROW_KEYS = ('start_time', 'end_time', 'subject_gender', 'subject_nationality')
# Fields the challenge formats cannot provide without labels.csv.
UNAVAILABLE_WITHOUT_LABELS_CSV = ('subject_id', 'emotion') + OPTIONAL_ROW_KEYS


def clip_annotation(name: str, row: dict, clip: np.ndarray, img_shape: Tuple[int, int],
                    start: int, end: int) -> dict:
    """One annotation of the shared schema (every iMiGUE input format builds it here).

    Args:
        name (str): ``frame_dir``, ``'<video_id>_<clip_index>'``.
        row (dict): Clip fields: ``label``, ``video_id``, ``subject_id``, ``emotion``,
            ``clip_index`` (and optionally ``start_time``, ``end_time``, ``subject_gender``,
            ``subject_nationality``); formats that lack a field pass -1.
        clip (np.ndarray): (T, V, 3) keypoints (x, y, score); V = 137 OpenPose points, or 22
            for the upper-body arrays of the packed challenge format.
        img_shape (tuple): (H, W) of the source video.
        start (int): First frame (inclusive), -1 when unknown.
        end (int): Last frame (inclusive), -1 when unknown.
    """
    return dict(
        frame_dir=name, label=row['label'], total_frames=len(clip), img_shape=tuple(img_shape),
        original_shape=tuple(img_shape), keypoint=clip[None, ..., :2].copy(),
        keypoint_score=clip[None, ..., 2].copy(), video_id=row['video_id'],
        subject_id=row['subject_id'], emotion=row['emotion'], start_frame=start,
        end_frame=end, clip_index=row['clip_index'],
        **{k: row[k] for k in OPTIONAL_ROW_KEYS if k in row})


def unknown_row(video_id: str, clip_index: int, label: int) -> dict:
    """Clip fields of the shared schema with -1 for what the format does not know."""
    return dict(video_id=video_id, clip_index=clip_index, label=label, subject_id=-1,
                emotion=-1)


def copy_row_metadata(row: dict) -> dict:
    """The metadata of a labels.csv row in the shared schema's fields."""
    out = dict(video_id=row['video_id'], clip_index=row['clip_index'], label=row['label'],
               subject_id=row['subject_id'], emotion=row['emotion'])
    out.update({k: row[k] for k in OPTIONAL_ROW_KEYS if k in row})
    return out
