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
:mod:`mmimigue.skeleton.layouts` can be selected at load time. Clip frames are ``start_frame..end_frame``
inclusive, indexed like the JSON file names.

Detector output is treated as data: frames with ``people: []`` become zeros with score 0, NaN
points become score-0 points, missing frame files count as empty frames; every such case is
counted in the summary. Clips that cannot be used are skipped with a reason in the summary, never
silently. Malformed labels (unknown class id, missing CSV column, end before start) and corrupt JSON
files are errors that name the file and the fix.
"""
import os.path as osp
from collections import Counter, defaultdict
from multiprocessing import Pool
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ...protocol.imigue_splits import build_splits
from ..formats.clip_id import clip_id
from ..formats.clip_schema import clip_annotation
from ..formats.errors import ConversionError
from ..formats.imigue_labels import read_labels_csv
from ..formats.openpose_json import JSON_PARSERS, find_video_dir, list_frames, read_openpose_frames
from ..keypoint_store import check_output_path, write_pose_pickle

__all__ = ['ConversionError', 'convert_imigue', 'convert_video', 'format_summary']


def convert_video(video_id: str, rows: Sequence[dict], skeleton_root: str,
                  img_shape: Tuple[int, int], skip_corrupt: bool,
                  max_missing_ratio: float, json_parser: str = 'fast'
                  ) -> Tuple[List[dict], Counter, List[Tuple[str, str]]]:
    """Build the annotations of one video's clips; returns (annotations, counts, skipped)."""
    counts: Counter = Counter()
    skipped: List[Tuple[str, str]] = []
    video_dir = find_video_dir(skeleton_root, video_id)
    if video_dir is None:
        reason = f'no skeleton folder {osp.join(skeleton_root, video_id)}'
        return [], counts, [(clip_id(video_id, r['clip_index']), reason) for r in rows]
    frames = list_frames(video_dir, counts)
    if not frames:
        return [], counts, [(clip_id(video_id, r['clip_index']), f'no frame files in {video_dir}')
                            for r in rows]
    last = max(frames)
    counts['videos'] += 1
    # Read every frame some clip needs once (clips may overlap), checked in one vectorised pass.
    needed = sorted({t for r in rows if r['start_frame'] <= last
                     for t in range(r['start_frame'], min(r['end_frame'], last) + 1)})
    video, absent = read_openpose_frames([frames.get(t) for t in needed], counts, skip_corrupt,
                                         json_parser)
    row_of = {t: i for i, t in enumerate(needed)}
    # Per-frame facts once per video; a clip's are differences of their running sums.
    seen = video[..., 2] > 0
    outside = seen & ((video[..., 0] < 0) | (video[..., 1] < 0) | (video[..., 0] > img_shape[1]) |
                      (video[..., 1] > img_shape[0]))
    running = np.zeros((3, len(needed) + 1), np.int64)
    np.cumsum(np.stack([absent, seen.any(1), outside.sum(1)]), axis=1, out=running[:, 1:])
    annotations = []
    for row in rows:
        name = clip_id(video_id, row['clip_index'])
        start, end = row['start_frame'], row['end_frame']
        if start > last:
            skipped.append((name, f'starts at frame {start}, past the last frame {last} of '
                                  f'{video_dir}'))
            continue
        if end > last:
            counts['clips_truncated_at_video_end'] += 1
            end = last
        first = row_of[start]  # needed frames are consecutive within a clip
        stop = first + end - start + 1
        missing, seen_frames, points_outside = (running[:, stop] - running[:, first]).tolist()
        if missing:
            counts['missing_frames'] += missing
        if missing > max_missing_ratio * (stop - first):
            skipped.append((name, f'{missing} of {stop - first} frame files missing in '
                                  f'{video_dir}'))
            continue
        if not seen_frames:
            skipped.append((name, 'no person detected in any frame'))
            continue
        counts['frames'] += stop - first
        counts['points_outside_image'] += points_outside
        # clip_annotation copies the view into the annotation's own arrays
        annotations.append(clip_annotation(name, row, video[first:stop], img_shape, start, end))
    return annotations, counts, skipped


def _convert_video_job(args):
    return convert_video(*args)


def convert_imigue(ann_file: str, skeleton_root: str, out_file: Optional[str] = None,
                   split_file: Optional[str] = None, workers: int = 1,
                   img_shape: Tuple[int, int] = (720, 1280), skip_corrupt: bool = False,
                   max_missing_ratio: float = 0.5, progress: bool = True,
                   storage: str = 'inline', json_parser: str = 'fast') -> dict:
    """Convert the official release; writes ``out_file`` (if given) and returns the content.

    ``storage='mmap'`` writes the keypoints to one shared memory-mapped ``.keypoints.npy`` beside
    ``out_file`` (see :mod:`mmimigue.datasets.keypoint_store`); the returned content always holds
    the keypoints inline. ``json_parser='stdlib'`` parses the frames with :mod:`json` instead of
    orjson (same output; for benchmarks and for checking a suspected parser difference).
    """
    if json_parser not in JSON_PARSERS:
        raise ValueError(f'json_parser must be one of {sorted(JSON_PARSERS)}, got {json_parser!r}')
    inputs = [ann_file, split_file]
    if out_file:
        check_output_path(out_file, inputs)  # before the work, not after it
    if not osp.isdir(skeleton_root):
        raise ConversionError(f'{skeleton_root}: skeleton folder not found (pass the folder that '
                              'holds one OpenPose folder per video with --skeleton-root)')
    rows = read_labels_csv(ann_file)
    by_video: Dict[str, List[dict]] = defaultdict(list)
    for r in rows:
        by_video[r['video_id']].append(r)
    jobs = [(vid, sorted(rs, key=lambda r: (r['start_frame'], r['clip_index'])), skeleton_root,
             tuple(img_shape), skip_corrupt, max_missing_ratio, json_parser)
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
        stray_frame_files=counts['stray_frame_files'],
        scores_outside_0_1=counts['scores_outside_0_1'],
        points_outside_image=counts['points_outside_image'],
        missing_keypoint_lists=counts['missing_keypoint_lists'],
        skipped_clips=len(skipped), skipped=skipped,
        split_sizes={k: len(v) for k, v in split.items()})
    content = dict(split=split, annotations=annotations, summary=summary)
    if out_file:
        write_pose_pickle(content, out_file, storage, inputs)
    return content


def _run_jobs(jobs, workers: int, progress: bool):
    """Results in job order; with workers, the longest videos start first so that no worker
    is left with a long video at the end while the others idle."""
    from mmengine.utils import ProgressBar
    bar = ProgressBar(len(jobs)) if progress else None
    results = [None] * len(jobs)
    if workers > 1:
        order = sorted(range(len(jobs)), key=lambda i: -_job_frames(jobs[i]))
        with Pool(workers) as pool:
            for i, res in pool.imap_unordered(_indexed_job, [(i, jobs[i]) for i in order]):
                results[i] = res
                bar and bar.update()
    else:
        for i, job in enumerate(jobs):
            results[i] = _convert_video_job(job)
            bar and bar.update()
    if bar:
        print()
    return results


def _job_frames(job) -> int:
    return sum(r['end_frame'] - r['start_frame'] + 1 for r in job[1])


def _indexed_job(item):
    i, job = item
    return i, _convert_video_job(job)


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
        f"stray frame files of another prefix (not read): {summary.get('stray_frame_files', 0)}; "
        f"scores outside [0, 1] (clipped): {summary.get('scores_outside_0_1', 0)}; detected "
        f"points outside the image (kept): {summary.get('points_outside_image', 0)}; absent or "
        f"empty face / hand lists: {summary.get('missing_keypoint_lists', 0)}",
        'splits: ' + ', '.join(f'{k}={v}' for k, v in summary['split_sizes'].items()),
    ]
    for (name, reason) in summary['skipped'][:10]:
        lines.append(f'  skipped {name}: {reason}')
    if len(summary['skipped']) > 10:
        lines.append(f'  ... and {len(summary["skipped"]) - 10} more (all listed in the '
                     "pickle's summary['skipped'])")
    return '\n'.join(lines)
