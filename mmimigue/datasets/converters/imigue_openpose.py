"""Convert the official iMiGUE release (labels.csv + per-frame OpenPose JSON) to a PoseDataset pickle.

Output schema (mmaction2's PoseDataset plus MG metadata)::

    {'split': {'xsub_train': [...], 'xsub_test': [...], 'emotion_train': [...],
               'emotion_test': [...]},
     'annotations': [dict(frame_dir='0371_1', label=19, total_frames=T, img_shape=(H, W),
                          original_shape=(H, W), keypoint=(1, T, 137, 2) float32,
                          keypoint_score=(1, T, 137) float32, video_id='0371', subject_id=1,
                          emotion=1, start_frame=171, end_frame=246, clip_index=1, ...)],
     'summary': {...counts...}}

All 137 OpenPose points are kept (BODY_25, face, left hand, right hand), so every layout of
:mod:`mmimigue.graphs` can be selected at load time. Clip frames are ``start_frame..end_frame``
inclusive, indexed like the JSON file names.

Detector output is treated as data: frames with ``people: []`` become zeros with score 0, NaN
points become score-0 points, missing frame files count as empty frames; every such case is
counted in the summary. Clips that cannot be used are skipped with a reason in the summary, never
silently. Malformed labels (unknown class id, missing CSV column, end before start) and corrupt JSON
files are errors that name the file and the fix.
"""
import csv
import os
import os.path as osp
import re
from collections import Counter, defaultdict
from multiprocessing import Pool
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ...graphs import NUM_OPENPOSE_KEYPOINTS
from ...protocol import imigue_class_to_index, imigue_emotion_split, imigue_subject_split
from ...protocol.imigue import IMIGUE_CSV_COLUMNS, load_split_file, normalize_video_id

FRAME_RE = re.compile(r'_(\d{12})_keypoints\.json$')
_PARTS = (('pose_keypoints_2d', 25), ('face_keypoints_2d', 70),
          ('hand_left_keypoints_2d', 21), ('hand_right_keypoints_2d', 21))
REQUIRED_COLUMNS = ('video_id', 'label_id', 'start_frame', 'end_frame', 'class', 'subject_id',
                    'win_or_lose')


class ConversionError(ValueError):
    """Raised for input that cannot be converted; the message names the file and the fix."""


def read_labels_csv(path: str) -> List[dict]:
    """Read and validate ``labels.csv``; returns one dict per clip with typed fields."""
    if not osp.isfile(path):
        raise ConversionError(f'{path}: annotation file not found (pass the release labels.csv '
                              'with --ann)')
    with open(path, newline='') as f:
        reader = csv.DictReader(f)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise ConversionError(
                f'{path}: missing column(s) {missing}; the iMiGUE header is '
                f'{",".join(IMIGUE_CSV_COLUMNS)}')
        rows = []
        for line, raw in enumerate(reader, start=2):
            raw = {k.strip(): (v or '').strip() for k, v in raw.items() if k is not None}
            rows.append(_parse_row(raw, path, line))
    seen = Counter((r['video_id'], r['clip_index']) for r in rows)
    dup = [k for k, n in seen.items() if n > 1]
    if dup:
        raise ConversionError(f'{path}: duplicate (video_id, label_id) pairs {dup[:5]}; each '
                              'clip must have its own label_id within its video')
    return rows


def _parse_row(raw: dict, path: str, line: int) -> dict:
    where = f'{path}:{line}'
    try:
        start, end = int(float(raw['start_frame'])), int(float(raw['end_frame']))
        class_id, subject = int(float(raw['class'])), int(float(raw['subject_id']))
        clip_index = int(float(raw['label_id']))
    except ValueError as e:
        raise ConversionError(f'{where}: non-numeric field ({e}); fix or remove this row')
    try:
        label = imigue_class_to_index(class_id)
    except ValueError as e:
        raise ConversionError(f'{where}: {e}; fix the class column or remove this row')
    if end < start:
        raise ConversionError(f'{where}: end_frame {end} < start_frame {start}')
    outcome = raw['win_or_lose'].lower()
    if outcome not in ('win', 'lose'):
        raise ConversionError(f'{where}: win_or_lose is {raw["win_or_lose"]!r}, expected Win or Lose')
    row = dict(video_id=normalize_video_id(raw['video_id']), clip_index=clip_index,
               start_frame=start, end_frame=end, label=label, class_id=class_id,
               subject_id=subject, emotion=int(outcome == 'win'))
    for key in ('start_time', 'end_time'):
        if raw.get(key):
            row[key] = float(raw[key])
    for key in ('subject_gender', 'subject_nationality'):
        if key in raw:
            row[key] = raw[key]
    return row


def parse_openpose_frame(path: str, counts: Counter) -> np.ndarray:
    """One OpenPose JSON frame -> (137, 3) array (x, y, score); zeros when nobody is detected.

    With several people, the one with the highest total body confidence is the speaker.

    Raises:
        ConversionError: the file is not valid OpenPose JSON.
    """
    import json
    try:
        with open(path) as f:
            content = json.load(f)
        people = content['people']
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as e:
        raise ConversionError(
            f'{path}: corrupt OpenPose JSON ({type(e).__name__}: {e}). Re-run OpenPose on this '
            'frame, delete the file (it then counts as a missing frame), or pass --skip-corrupt '
            'to count corrupt files as missing frames.') from None
    out = np.zeros((NUM_OPENPOSE_KEYPOINTS, 3), np.float32)
    if not people:
        counts['empty_frames'] += 1
        return out
    if len(people) > 1:
        counts['multi_person_frames'] += 1
    candidates = []
    for person in people:
        parts = []
        for key, n in _PARTS:
            vals = np.asarray(person.get(key) or np.zeros(n * 3), np.float32)
            if vals.size != n * 3:
                raise ConversionError(f'{path}: {key} has {vals.size} values, expected {n * 3} '
                                      '(OpenPose BODY_25 + face + hands output is required)')
            parts.append(vals.reshape(n, 3))
        candidates.append(np.concatenate(parts))
    out = max(candidates, key=lambda p: float(np.nansum(p[:25, 2])))
    bad = ~np.isfinite(out).all(-1)
    if bad.any():
        counts['nan_keypoints'] += int(bad.sum())
        out[bad] = 0
    if not (out[95:, 2] > 0).any():
        counts['frames_without_hands'] += 1
    return out


def list_frames(video_dir: str) -> Dict[int, str]:
    """Frame index -> file path for one video's OpenPose folder."""
    frames = {}
    for name in os.listdir(video_dir):
        m = FRAME_RE.search(name)
        if m:
            frames[int(m.group(1))] = osp.join(video_dir, name)
    return frames


def _find_video_dir(skeleton_root: str, video_id: str) -> Optional[str]:
    for name in (video_id, str(int(video_id)) if video_id.isdigit() else video_id):
        path = osp.join(skeleton_root, name)
        if osp.isdir(path):
            return path
    return None


def convert_video(video_id: str, rows: Sequence[dict], skeleton_root: str,
                  img_shape: Tuple[int, int], skip_corrupt: bool,
                  max_missing_ratio: float) -> Tuple[List[dict], Counter, List[Tuple[str, str]]]:
    """Build the annotations of one video's clips; returns (annotations, counts, skipped)."""
    counts: Counter = Counter()
    skipped: List[Tuple[str, str]] = []
    video_dir = _find_video_dir(skeleton_root, video_id)
    if video_dir is None:
        reason = f'no skeleton folder {osp.join(skeleton_root, video_id)}'
        return [], counts, [(f'{video_id}_{r["clip_index"]}', reason) for r in rows]
    frames = list_frames(video_dir)
    if not frames:
        return [], counts, [(f'{video_id}_{r["clip_index"]}', f'no frame files in {video_dir}')
                            for r in rows]
    last = max(frames)
    counts['videos'] += 1
    cache: Dict[int, np.ndarray] = {}
    annotations = []
    for row in rows:
        name = f'{video_id}_{row["clip_index"]}'
        start, end = row['start_frame'], row['end_frame']
        if start > last:
            skipped.append((name, f'starts at frame {start}, past the last frame {last} of '
                                  f'{video_dir}'))
            continue
        if end > last:
            counts['clips_truncated_at_video_end'] += 1
            end = last
        clip = np.zeros((end - start + 1, NUM_OPENPOSE_KEYPOINTS, 3), np.float32)
        missing = 0
        for i, t in enumerate(range(start, end + 1)):
            if t not in cache:
                cache[t] = _load_frame(frames.get(t), counts, skip_corrupt)
            if cache[t] is None:
                missing += 1
            else:
                clip[i] = cache[t]
        if missing:
            counts['missing_frames'] += missing
        if missing > max_missing_ratio * len(clip):
            skipped.append((name, f'{missing} of {len(clip)} frame files missing in {video_dir}'))
            continue
        if not (clip[..., 2] > 0).any():
            skipped.append((name, 'no person detected in any frame'))
            continue
        counts['frames'] += len(clip)
        annotations.append(clip_annotation(name, row, clip, img_shape, start, end))
    return annotations, counts, skipped


OPTIONAL_ROW_KEYS = ('start_time', 'end_time', 'subject_gender', 'subject_nationality')


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


def _load_frame(path: Optional[str], counts: Counter, skip_corrupt: bool) -> Optional[np.ndarray]:
    if path is None:
        return None
    try:
        return parse_openpose_frame(path, counts)
    except ConversionError:
        if not skip_corrupt:
            raise
        counts['corrupt_files'] += 1
        return None


def _convert_video_job(args):
    return convert_video(*args)


def build_splits(annotations: Sequence[dict], split_file: Optional[str] = None) -> Dict[str, list]:
    """Cross-subject and emotion splits (official, or overridden by a split file)."""
    train_subjects, test_subjects = imigue_subject_split()
    emo_train, emo_test = imigue_emotion_split()
    if split_file:
        custom = load_split_file(split_file)
        train_subjects = custom.get('train_subjects', train_subjects)
        test_subjects = custom.get('test_subjects', test_subjects)
        emo_train = custom.get('emotion_train_videos', emo_train)
        emo_test = custom.get('emotion_test_videos', emo_test)
    train_subjects = set(train_subjects)
    test_subjects = None if test_subjects is None else set(test_subjects)
    emo_train, emo_test = set(emo_train), set(emo_test)
    split = defaultdict(list)
    for a in annotations:
        if a['subject_id'] in train_subjects:
            split['xsub_train'].append(a['frame_dir'])
        elif test_subjects is None or a['subject_id'] in test_subjects:
            split['xsub_test'].append(a['frame_dir'])
        if a['video_id'] in emo_train:
            split['emotion_train'].append(a['frame_dir'])
        elif a['video_id'] in emo_test:
            split['emotion_test'].append(a['frame_dir'])
    return {k: split[k] for k in ('xsub_train', 'xsub_test', 'emotion_train', 'emotion_test')}


def convert_imigue(ann_file: str, skeleton_root: str, out_file: Optional[str] = None,
                   split_file: Optional[str] = None, workers: int = 1,
                   img_shape: Tuple[int, int] = (720, 1280), skip_corrupt: bool = False,
                   max_missing_ratio: float = 0.5, progress: bool = True,
                   storage: str = 'inline') -> dict:
    """Convert the official release; writes ``out_file`` (if given) and returns the content.

    ``storage='mmap'`` writes the keypoints to one shared memory-mapped ``.keypoints.npy`` beside
    ``out_file`` (see :mod:`mmimigue.datasets.keypoint_store`); the returned content always holds
    the keypoints inline.
    """
    if not osp.isdir(skeleton_root):
        raise ConversionError(f'{skeleton_root}: skeleton folder not found (pass the folder that '
                              'holds one OpenPose folder per video with --skeleton-root)')
    rows = read_labels_csv(ann_file)
    by_video: Dict[str, List[dict]] = defaultdict(list)
    for r in rows:
        by_video[r['video_id']].append(r)
    jobs = [(vid, sorted(rs, key=lambda r: (r['start_frame'], r['clip_index'])), skeleton_root,
             tuple(img_shape), skip_corrupt, max_missing_ratio)
            for vid, rs in sorted(by_video.items())]
    results = _run_jobs(jobs, workers, progress)
    annotations, counts, skipped = [], Counter(), []
    for annos, c, s in results:
        annotations += annos
        counts.update(c)
        skipped += s
    split = build_splits(annotations, split_file)
    summary = dict(
        csv_rows=len(rows), videos_in_csv=len(by_video), videos_found=counts['videos'],
        clips=len(annotations), frames=counts['frames'], empty_frames=counts['empty_frames'],
        missing_frames=counts['missing_frames'], corrupt_files=counts['corrupt_files'],
        frames_without_hands=counts['frames_without_hands'],
        multi_person_frames=counts['multi_person_frames'], nan_keypoints=counts['nan_keypoints'],
        clips_truncated_at_video_end=counts['clips_truncated_at_video_end'],
        skipped_clips=len(skipped), skipped=skipped,
        split_sizes={k: len(v) for k, v in split.items()})
    content = dict(split=split, annotations=annotations, summary=summary)
    if out_file:
        from ..keypoint_store import write_pose_pickle
        write_pose_pickle(content, out_file, storage)
    return content


def _run_jobs(jobs, workers: int, progress: bool):
    from mmengine.utils import ProgressBar
    bar = ProgressBar(len(jobs)) if progress else None
    results = []
    if workers > 1:
        with Pool(workers) as pool:
            for res in pool.imap(_convert_video_job, jobs):
                results.append(res)
                bar and bar.update()
    else:
        for job in jobs:
            results.append(_convert_video_job(job))
            bar and bar.update()
    if bar:
        print()
    return results


def format_summary(summary: dict) -> str:
    """Human-readable conversion summary."""
    lines = [
        f"videos: {summary['videos_found']} with skeletons / {summary['videos_in_csv']} in csv",
        f"clips: {summary['clips']} converted / {summary['csv_rows']} csv rows, "
        f"{summary['skipped_clips']} skipped",
        f"frames: {summary['frames']} ({summary['empty_frames']} empty, "
        f"{summary['missing_frames']} missing files, {summary['corrupt_files']} corrupt files "
        f"skipped, {summary['frames_without_hands']} without hands, "
        f"{summary['multi_person_frames']} with several people)",
        f"NaN keypoints zeroed: {summary['nan_keypoints']}; clips truncated at the video end: "
        f"{summary['clips_truncated_at_video_end']}",
        'splits: ' + ', '.join(f'{k}={v}' for k, v in summary['split_sizes'].items()),
    ]
    for (name, reason) in summary['skipped'][:10]:
        lines.append(f'  skipped {name}: {reason}')
    if len(summary['skipped']) > 10:
        lines.append(f'  ... and {len(summary["skipped"]) - 10} more (all listed in the '
                     "pickle's summary['skipped'])")
    return '\n'.join(lines)
