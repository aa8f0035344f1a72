"""The clip-outputs file: per-video, temporally ordered results of a clip-level MG model.

Written by ``tools/extract_clip_outputs.py`` and read by :class:`MGIMiGUEEmotionDataset` and the
LLM reasoning tool. It is a plain-data pickle (read with the data-only unpickler) of::

    {
      'format': 'mmimigue.clip_outputs', 'version': 1,
      'meta': {'config': str, 'checkpoint': str, 'num_classes': K, 'feature_dim': D,
               'classes': [K names], 'fps': float, 'splits': [clip splits that were run]},
      'videos': {
        '0371': {                                # 4-digit video id
          'video_id': '0371', 'subject_id': int, 'emotion': 1 (win) | 0 (lose) | -1 (unknown),
          # per clip, sorted by (start_frame, clip_index); L clips
          'frame_dir': [str] * L, 'clip_split': [str] * L,  # which clip-level split it came from
          'clip_index': int64 (L,), 'start_frame': int64 (L,), 'end_frame': int64 (L,),
          'gt_label': int64 (L,), 'pred_label': int64 (L,),
          'cls_score': float32 (L, K), 'prob': float32 (L, K), 'feature': float32 (L, D),
        }, ...
      }
    }
"""
from collections import Counter, defaultdict
from typing import Dict, Iterable, List, Optional

import numpy as np

CLIP_OUTPUTS_FORMAT = 'mmimigue.clip_outputs'
CLIP_OUTPUTS_VERSION = 1

#: Per-clip array fields of a video entry and their dtypes.
ARRAY_FIELDS = {
    'clip_index': np.int64,
    'start_frame': np.int64,
    'end_frame': np.int64,
    'gt_label': np.int64,
    'pred_label': np.int64,
    'cls_score': np.float32,
    'prob': np.float32,
    'feature': np.float32,
}
LIST_FIELDS = ('frame_dir', 'clip_split')


def group_clips_by_video(records: Iterable[Dict], meta: Optional[Dict] = None) -> Dict:
    """Group per-clip records into the clip-outputs structure, clips in temporal order.

    Args:
        records: One dict per clip with keys ``video_id, subject_id, emotion, frame_dir,
            clip_split, clip_index, start_frame, end_frame, gt_label, pred_label, cls_score,
            prob, feature`` (arrays for the last three).
        meta: Stored under ``'meta'``.

    Returns:
        dict: The clip-outputs structure described in the module docstring.

    Raises:
        ValueError: if the clips of one video disagree on subject or emotion, or if a video
            holds the same clip twice.
    """
    by_video: Dict[str, List[Dict]] = defaultdict(list)
    for rec in records:
        by_video[str(rec['video_id'])].append(rec)
    videos = {}
    for vid in sorted(by_video):
        clips = by_video[vid]
        emotions = {int(c['emotion']) for c in clips}
        subjects = {int(c['subject_id']) for c in clips}
        if len(emotions) != 1 or len(subjects) != 1:
            raise ValueError(f'video {vid}: clips disagree on emotion {sorted(emotions)} or '
                             f'subject {sorted(subjects)}; fix the annotation file')
        start = np.asarray([c['start_frame'] for c in clips], dtype=np.int64)
        cidx = np.asarray([c['clip_index'] for c in clips], dtype=np.int64)
        order = np.lexsort((cidx, start))  # primary key start_frame, then clip_index
        frame_dirs = [clips[i]['frame_dir'] for i in order]
        if len(set(frame_dirs)) != len(frame_dirs):
            dup = sorted(d for d, n in Counter(frame_dirs).items() if n > 1)
            raise ValueError(f'video {vid}: clips {dup} appear more than once')
        entry = dict(video_id=vid, subject_id=subjects.pop(), emotion=emotions.pop(),
                     frame_dir=frame_dirs, clip_split=[clips[i]['clip_split'] for i in order])
        for key, dtype in ARRAY_FIELDS.items():
            entry[key] = np.stack([np.asarray(clips[i][key], dtype=dtype) for i in order])
        videos[vid] = entry
    return dict(format=CLIP_OUTPUTS_FORMAT, version=CLIP_OUTPUTS_VERSION, meta=dict(meta or {}),
                videos=videos)


def load_clip_outputs(path: str) -> Dict:
    """Load and check a clip-outputs file.

    Raises:
        FileNotFoundError: with the command that writes the file.
        ValueError: if the file is not a clip-outputs pickle or a video entry is inconsistent.
    """
    import os.path as osp
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'{path} does not exist. Write it with '
            f'`python tools/extract_clip_outputs.py CLIP_CONFIG CLIP_CKPT --out {path}` '
            '(see docs/emotion.md).')
    from ..datasets.formats.safe_pickle import load_data_pickle
    content = load_data_pickle(path, 'A clip-outputs file holds only data: write it again '
                               'with tools/extract_clip_outputs.py.')
    if not isinstance(content, dict) or content.get('format') != CLIP_OUTPUTS_FORMAT:
        raise ValueError(f'{path} is not a clip-outputs file (expected format '
                         f'{CLIP_OUTPUTS_FORMAT!r}); write it with tools/extract_clip_outputs.py')
    if content.get('version') != CLIP_OUTPUTS_VERSION:
        raise ValueError(f'{path}: clip-outputs version {content.get("version")} is not '
                         f'supported (expected {CLIP_OUTPUTS_VERSION}); re-run the extractor')
    for vid, entry in content['videos'].items():
        lengths = {k: len(entry[k]) for k in (*ARRAY_FIELDS, *LIST_FIELDS)}
        if len(set(lengths.values())) != 1:
            raise ValueError(f'{path}: video {vid} has per-clip fields of different lengths '
                             f'{lengths}')
    return content
