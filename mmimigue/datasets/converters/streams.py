"""Whole skeleton streams (every frame of every video, not only the clip frames) with the MG
intervals as temporal annotations: the data of online MG recognition.

Output: ``OUT.pkl`` and, beside it, ``OUT.streams.npy`` (float32 ``(total_frames, V, 3)``: x, y,
score for iMiGUE's OpenPose layouts, x, y, z for SMG's Kinect joints), memory-mapped by
:class:`~mmimigue.datasets.MGStreamDataset`, so a training process holds one window at a time::

    {'streams': [dict(video_id='0001', subject_id=37, emotion=1, offset=0, num_frames=8712,
                      img_shape=(720, 1280),
                      segments=int64 (K, 3): start, end (inclusive frames), label), ...],
     'split': {'xsub_train': [video_id, ...], 'xsub_test': [...]},
     'meta': dict(dataset='iMiGUE', layout='imigue22', channels=['x', 'y', 'score'],
                  num_classes=32, classes=[...], store='OUT.streams.npy', summary={...})}

Streams are read in chunks of frames, so memory is bounded by the chunk, not by the stream.
Segments past a stream's last frame are cut there (``segments_truncated``) or dropped when they
start past it (``segments_past_end``); both are counted in ``meta['summary']``.
"""
import os.path as osp
import pickle
from collections import Counter, defaultdict
from typing import Dict, List, Optional, Sequence

import numpy as np

from ...fileio import atomic_output, atomic_write
from ...graphs import layout_indices
from ...protocol import imigue_class_names, smg_class_names
from ...protocol.imigue_splits import build_splits
from ..formats.errors import ConversionError
from ..formats.imigue_labels import read_labels_csv
from ..formats.openpose_json import find_video_dir, list_frames, read_openpose_frames

STORE_SUFFIX = '.streams.npy'
CHUNK_FRAMES = 2048


def stream_store_for(out_file: str) -> str:
    return osp.splitext(out_file)[0] + STORE_SUFFIX


def stream_frame_files(skeleton_root: str, video_id: str, counts: Counter) -> Dict[int, str]:
    """Frame index -> JSON file of ``video_id``'s OpenPose folder ({} when it has none)."""
    video_dir = find_video_dir(skeleton_root, video_id)
    return list_frames(video_dir, counts) if video_dir else {}


def read_stream(frames: Dict[int, str], joints: Sequence[int], counts: Counter,
                skip_corrupt: bool = False) -> np.ndarray:
    """The whole stream (max frame + 1, V, 3) of ``frames``, read chunk by chunk."""
    return np.concatenate(list(iter_stream_chunks(frames, max(frames) + 1, joints, counts,
                                                  skip_corrupt)))


def iter_stream_chunks(frames: Dict[int, str], num_frames: int, joints: Sequence[int],
                       counts: Counter, skip_corrupt: bool = False,
                       chunk: int = CHUNK_FRAMES):
    """(F, V, 3) float32 chunks of one video's OpenPose stream (frames 0..num_frames-1, a
    missing file is a zero frame, counted as ``missing_frames``), ``chunk`` frames at a time."""
    for start in range(0, num_frames, chunk):
        idx = range(start, min(start + chunk, num_frames))
        kp, missing = read_openpose_frames([frames.get(t) for t in idx], counts, skip_corrupt)
        counts['missing_frames'] += int(missing.sum())
        yield kp[:, joints]


def _segments(rows: Sequence[dict], num_frames: int, counts: Counter) -> np.ndarray:
    segs = []
    for r in rows:
        start, end = int(r['start_frame']), int(r['end_frame'])
        if start >= num_frames:
            counts['segments_past_end'] += 1
            continue
        if end >= num_frames:
            counts['segments_truncated'] += 1
            end = num_frames - 1
        segs.append((start, end, int(r['label'])))
    segs.sort()
    return np.asarray(segs, np.int64).reshape(-1, 3)


def _write(out_file: str, streams: List[dict], arrays, total: int, num_joints: int,
           channels: int, content: dict) -> dict:
    """Write the store chunk by chunk (``arrays`` yields (stream index, chunk)), then the pickle;
    both through a temporary file and a rename."""
    store = stream_store_for(out_file)
    with atomic_output(store) as tmp_store:
        mm = np.lib.format.open_memmap(tmp_store, mode='w+', dtype=np.float32,
                                       shape=(max(total, 1), num_joints, channels))
        filled = defaultdict(int)
        for i, chunk in arrays:
            s = streams[i]
            at = s['offset'] + filled[i]
            mm[at:at + len(chunk)] = chunk
            filled[i] += len(chunk)
        mm.flush()
        del mm
    content['meta']['store'] = osp.basename(store)
    atomic_write(out_file, pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    return content


def convert_imigue_streams(ann_file: str, skeleton_root: str, out_file: str,
                           layout: str = 'imigue22', img_shape=(720, 1280),
                           split_file: Optional[str] = None, skip_corrupt: bool = False,
                           videos: Optional[Sequence[str]] = None) -> dict:
    """Every frame of every video of ``labels.csv`` (or of ``videos``) as one stream.

    A video without a skeleton folder or frame files is skipped and counted; missing frame
    files inside a stream are zeros (score 0) and counted (``missing_frames``).
    """
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
        num_frames = max(frames) + 1
        first = by_video[vid][0] if by_video[vid] else {}
        streams.append(dict(video_id=vid, subject_id=first.get('subject_id', -1),
                            emotion=first.get('emotion', -1), num_frames=num_frames,
                            img_shape=tuple(img_shape),
                            segments=_segments(by_video[vid], num_frames, counts)))
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
        dataset='iMiGUE', layout=layout, channels=['x', 'y', 'score'], num_classes=32,
        classes=imigue_class_names(), summary=summary))
    _write(out_file, streams, chunks(), offset, len(joints), 3, content)
    summary.update({k: int(v) for k, v in counts.items()})
    return content


def convert_smg_streams(release_dir: str, out_file: str, frame_base: int = 1,
                        test_subjects: Optional[Sequence[int]] = None) -> dict:
    """Every ``SampleXXXX_skeleton.csv`` as one stream of 25 Kinect joints (x, y, z, metres)
    with its ``finelabels`` MG intervals (``frame_base`` as in :func:`convert_smg`); test
    subjects default to the protocol's (36-40)."""
    from ...protocol import smg_protocol
    from ..formats.smg_kinect import find_smg_samples, read_smg_finelabels, read_smg_skeleton
    if frame_base not in (0, 1):
        raise ValueError(f'frame_base must be 0 or 1, got {frame_base}')
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
                            segments=_segments(rows, len(xyz), counts)))
        arrays.append(np.asarray(xyz, np.float32))
        offset += len(xyz)
    if not streams:
        raise ConversionError(f'{release_dir}: no SampleXXXX folders found')
    test = set(int(t) for t in (test_subjects or smg_protocol()['test_subjects']))
    split = dict(xsub_train=[s['video_id'] for s in streams if s['subject_id'] not in test],
                 xsub_test=[s['video_id'] for s in streams if s['subject_id'] in test])
    summary = dict(streams=len(streams), frames=offset,
                   segments=int(sum(len(s['segments']) for s in streams)))
    content = dict(streams=streams, split=split, meta=dict(
        dataset='SMG', layout='ntu25', channels=['x', 'y', 'z'], num_classes=17,
        classes=smg_class_names(), summary=summary))
    _write(out_file, streams, enumerate(arrays), offset, 25, 3, content)
    summary.update({k: int(v) for k, v in counts.items()})
    return content
