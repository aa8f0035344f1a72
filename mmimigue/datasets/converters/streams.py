"""Whole skeleton streams (every frame of every video, not only the clip frames) with the MG
intervals as temporal annotations: the data of online MG recognition.

Output: ``OUT.pkl`` and ``OUT.streams.npy`` beside it (:mod:`mmimigue.datasets.stream_store`
describes both), memory-mapped by :class:`~mmimigue.datasets.MGStreamDataset`, so a training
process holds one window at a time. Streams are read in chunks of frames
(:mod:`mmimigue.datasets.formats.openpose_stream`), so memory is bounded by the chunk, not by the
stream. Segments past a stream's last frame are cut there (``segments_truncated``) or dropped
when they start past it (``segments_past_end``); both are counted in ``meta['summary']``.
"""
import os.path as osp
from collections import Counter, defaultdict
from typing import Dict, List, Optional, Sequence

import numpy as np

from ...protocol import imigue_class_names, smg_class_names
from ...protocol.imigue_splits import build_splits
from ...protocol.smg_splits import build_smg_splits
from ...skeleton import layout_indices, segments_from_intervals
from ..formats.errors import ConversionError
from ..formats.imigue_labels import read_labels_csv
from ..formats.openpose_stream import check_frame_numbers, iter_stream_chunks, stream_frame_files
from ..stream_store import plan_conversion_outputs, write_streams


def convert_imigue_streams(ann_file: str, skeleton_root: str, out_file: str,
                           layout: str = 'imigue22', img_shape=(720, 1280),
                           split_file: Optional[str] = None, skip_corrupt: bool = False,
                           videos: Optional[Sequence[str]] = None) -> dict:
    """Every frame of every video of ``labels.csv`` (or of ``videos``) as one stream.

    A video without a skeleton folder or frame files is skipped and counted; missing frame
    files inside a stream are zeros (score 0) and counted (``missing_frames``).
    """
    plan_conversion_outputs([ann_file, split_file, skeleton_root], streams_file=out_file)
    rows = read_labels_csv(ann_file)
    by_video: Dict[str, List[dict]] = defaultdict(list)
    for r in rows:
        by_video[r['video_id']].append(r)
    wanted = list(videos) if videos is not None else sorted(by_video)
    joints = layout_indices(layout)
    counts: Counter = Counter()
    streams, frame_maps = [], []
    for vid in wanted:
        frames = stream_frame_files(skeleton_root, vid, counts)
        if not frames:
            counts['videos_without_skeletons'] += 1
            continue
        num_frames = check_frame_numbers(frames, osp.join(skeleton_root, vid), from_zero=True)
        first = by_video[vid][0] if by_video[vid] else {}
        streams.append(dict(video_id=vid, subject_id=first.get('subject_id', -1),
                            emotion=first.get('emotion', -1), num_frames=num_frames,
                            img_shape=tuple(img_shape),
                            segments=segments_from_intervals(by_video[vid], num_frames, counts)))
        frame_maps.append(frames)
    if not streams:
        raise ConversionError(f'{skeleton_root}: none of the {len(wanted)} videos has OpenPose '
                              'frame files; check --skeleton-root')
    offset = 0
    for s in streams:
        s['offset'] = offset
        offset += s['num_frames']

    def chunks():
        for i, (s, frames) in enumerate(zip(streams, frame_maps)):
            for kp in iter_stream_chunks(frames, s['num_frames'], joints, counts, skip_corrupt):
                yield i, kp

    # the clip protocol's splits (xsub_train / xsub_test / xsub_val / ...), one entry per stream
    clip_splits = build_splits([dict(frame_dir=s['video_id'], video_id=s['video_id'],
                                     subject_id=s['subject_id']) for s in streams], split_file)
    split = {k: v for k, v in clip_splits.items() if k.startswith(('xsub', 'miga'))}
    summary = dict(streams=len(streams), frames=offset, segments=int(sum(len(s['segments'])
                                                                         for s in streams)))
    content = dict(streams=streams, split=split, meta=dict(
        dataset='iMiGUE', layout=layout, num_classes=32, classes=imigue_class_names(),
        summary=summary))
    return write_streams(out_file, content, chunks(), offset, counts)


def convert_smg_streams(release_dir: str, out_file: str, frame_base: int = 1,
                        test_subjects: Optional[Sequence[int]] = None,
                        split_file: Optional[str] = None) -> dict:
    """Every ``SampleXXXX_skeleton.csv`` as one stream of 25 Kinect joints (x, y, z, metres)
    with its ``finelabels`` MG intervals (``frame_base`` as in :func:`convert_smg`); the subject
    split is the clip conversion's (:mod:`mmimigue.protocol.smg_splits`: ``test_subjects`` or
    ``split_file``, protocol default 36-40)."""
    from ..formats.smg_kinect import find_smg_samples, read_smg_finelabels, read_smg_skeleton
    if frame_base not in (0, 1):
        raise ValueError(f'frame_base must be 0 or 1, got {frame_base}')
    plan_conversion_outputs([release_dir, split_file], streams_file=out_file)
    counts: Counter = Counter()
    streams, arrays, offset = [], [], 0
    for subject_id, sample_dir in find_smg_samples(release_dir):
        name = osp.basename(osp.normpath(sample_dir))
        stem = osp.join(sample_dir, name)
        xyz = read_smg_skeleton(stem + '_skeleton.csv')[..., :3]  # world x, y, z (metres)
        labels = read_smg_finelabels(stem + '_finelabels.csv', 17)
        rows = [dict(start_frame=int(b) - frame_base, end_frame=int(e) - frame_base,
                     label=int(c) - 1) for c, b, e in labels]
        streams.append(dict(video_id=name, subject_id=int(subject_id), emotion=-1,
                            offset=offset, num_frames=len(xyz), img_shape=None,
                            segments=segments_from_intervals(rows, len(xyz), counts)))
        arrays.append(np.asarray(xyz, np.float32))
        offset += len(xyz)
    if not streams:
        raise ConversionError(f'{release_dir}: no SampleXXXX folders found')
    split = build_smg_splits([(s['video_id'], s['subject_id']) for s in streams],
                             test_subjects, split_file)
    summary = dict(streams=len(streams), frames=offset,
                   segments=int(sum(len(s['segments']) for s in streams)))
    content = dict(streams=streams, split=split, meta=dict(
        dataset='SMG', layout='ntu25', num_classes=17, classes=smg_class_names(),
        summary=summary))
    return write_streams(out_file, content, enumerate(arrays), offset, counts)
