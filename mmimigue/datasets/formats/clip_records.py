"""Clip records of the RGB clips: ids, labels, frame ranges and splits from the release's
``labels.csv`` or a converted skeleton pickle, checked against the videos' lengths (numpy-free of
torch: the clip-cutting tool and the RGB datasets both read clips here)."""
import os
import os.path as osp
from typing import Dict, List, Optional, Tuple

from ...protocol.imigue_splits import build_splits
from .clip_id import check_path_component, row_clip_id
from .imigue_labels import read_labels_csv
from .safe_pickle import load_data_pickle

_META_KEYS = ('video_id', 'subject_id', 'emotion', 'clip_index', 'start_time', 'end_time')
# Video lengths already read in this process, keyed by (path, size, mtime).
_FRAME_COUNT_CACHE: Dict[Tuple[str, int, float], int] = {}


def video_frame_count(path: str) -> int:
    """Number of frames decord reads from ``path`` (cached per file version)."""
    stat = os.stat(path)
    key = (osp.abspath(path), stat.st_size, stat.st_mtime)
    if key not in _FRAME_COUNT_CACHE:
        import decord
        _FRAME_COUNT_CACHE[key] = len(decord.VideoReader(path, num_threads=1))
    return _FRAME_COUNT_CACHE[key]


def read_clip_records(ann_file: str, split_file: Optional[str] = None
                      ) -> Tuple[List[dict], Dict[str, list]]:
    """Clip records (``frame_dir``, ``label``, ``start_frame``, ``end_frame``, metadata) and the
    splits, from the release's ``labels.csv`` or a converted skeleton pickle.

    ``labels.csv`` is parsed and split by the code the skeleton converter uses
    (:func:`~mmimigue.datasets.formats.read_labels_csv`,
    :func:`~mmimigue.protocol.imigue_splits.build_splits`), so RGB and skeleton clips share ids
    and splits.
    """
    if not osp.isfile(ann_file):
        raise FileNotFoundError(
            f'{ann_file} does not exist; pass the iMiGUE labels.csv (or a pickle '
            'converted by tools/data/imigue/convert.py) as ann_file')
    if ann_file.endswith('.pkl'):
        content = load_data_pickle(ann_file, 'A converted pickle holds only data: convert '
                                   'again with tools/data/imigue/convert.py.')
        if not isinstance(content, dict) or 'annotations' not in content:
            raise ValueError(f'{ann_file} is not a converted iMiGUE pickle')
        for a in content['annotations']:  # ids become video / clip file paths
            check_path_component(a['frame_dir'], 'frame_dir', ann_file)
            check_path_component(a.get('video_id', 'x'), 'video_id', ann_file)
        clips = [dict(frame_dir=a['frame_dir'], label=int(a['label']),
                      start_frame=int(a['start_frame']), end_frame=int(a['end_frame']),
                      **{k: a[k] for k in _META_KEYS if k in a})
                 for a in content['annotations']]
        return clips, content.get('split', {})
    rows = read_labels_csv(ann_file)
    clips = [dict(frame_dir=row_clip_id(r), label=r['label'],
                  start_frame=r['start_frame'], end_frame=r['end_frame'],
                  **{k: r[k] for k in _META_KEYS if k in r}) for r in rows]
    return clips, build_splits(clips, split_file)


def check_clip_ranges(items: List[dict], summary: dict) -> List[dict]:
    """Check each clip's ``clip_start`` / ``clip_end`` against its video ``filename``.

    Clips of missing videos and clips starting past the last frame are dropped, clips ending past
    it are cut there; ``summary`` counts each case (``skipped_missing_video``,
    ``skipped_past_video_end``, ``truncated_at_video_end``) and lists ``skipped`` reasons.
    """
    for key in ('skipped_missing_video', 'skipped_past_video_end', 'truncated_at_video_end'):
        summary.setdefault(key, 0)
    summary.setdefault('skipped', [])
    kept = []
    lengths: Dict[str, Optional[int]] = {}
    for info in items:
        path = info['filename']
        if path not in lengths:
            lengths[path] = video_frame_count(path) if osp.isfile(path) else None
        n = lengths[path]
        if n is None:
            summary['skipped_missing_video'] += 1
            summary['skipped'].append((info['frame_dir'], f'video {path} not found'))
            continue
        if info['clip_start'] >= n:
            summary['skipped_past_video_end'] += 1
            summary['skipped'].append(
                (info['frame_dir'], f'starts at frame {info["clip_start"]}, past the last '
                                    f'frame {n - 1} of {path}'))
            continue
        if info['clip_end'] >= n:
            summary['truncated_at_video_end'] += 1
            info['clip_end'] = n - 1
            info['total_frames'] = info['clip_end'] - info['clip_start'] + 1
        kept.append(info)
    return kept
