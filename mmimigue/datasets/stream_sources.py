"""Where whole streams come from at inference time: a converted streams file, or a release's
OpenPose folders read whole. Both give the same items, with the stream's layout and its ground
truth, so ``tools/online_detect.py`` and user code treat them alike.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

import numpy as np

from ..skeleton import segments_from_intervals
from .formats.imigue_labels import read_labels_csv
from .formats.openpose_json import find_video_dir, list_frames
from .formats.openpose_stream import read_video_stream
from .stream_store import StreamsFile


@dataclass
class StreamItem:
    """One stream: ``frames`` (T, V, C) raw, its ``layout`` (None: the 137 stored OpenPose
    points of a release video) and its ground-truth ``segments`` (K, 3) or None."""
    video_id: str
    frames: np.ndarray
    layout: Optional[str]
    segments: Optional[np.ndarray]


class LazyStreams:
    """A sized sequence of :class:`StreamItem` read one at a time (memory: one stream)."""

    def __init__(self, video_ids: Sequence[str], read: Callable[[str], Optional[StreamItem]]):
        self.video_ids, self._read = list(video_ids), read

    def __len__(self) -> int:
        return len(self.video_ids)

    def __iter__(self):
        for vid in self.video_ids:
            item = self._read(vid)
            if item is not None:
                yield item


def stored_streams(path: str, split: Optional[str] = None,
                   videos: Optional[Sequence[str]] = None) -> LazyStreams:
    """The streams of a converted streams pickle (of ``split``, or ``videos``)."""
    streams = StreamsFile(path)
    ids = streams.videos(split)
    if videos:
        unknown = sorted(set(videos) - set(ids))
        if unknown:
            raise KeyError(f'{path}{f" ({split})" if split else ""} has no stream '
                           f'{unknown[:5]}')
        ids = [v for v in ids if v in set(videos)]

    def read(vid: str) -> StreamItem:
        entry, frames = streams.stream(vid)
        return StreamItem(vid, frames, streams.layout, np.asarray(entry['segments']))
    return LazyStreams(ids, read)


def release_streams(skeleton_root: str, ann_file: Optional[str] = None,
                    videos: Optional[Sequence[str]] = None,
                    counts: Optional[Counter] = None) -> LazyStreams:
    """Every frame of each release video (``videos``, or every video of ``labels.csv``), with
    its labels.csv intervals as ground truth where the csv is given. A video without OpenPose
    frames is skipped and counted (``videos_without_skeletons``)."""
    counts = Counter() if counts is None else counts
    rows = defaultdict(list)
    if ann_file:
        for r in read_labels_csv(ann_file):
            rows[r['video_id']].append(r)
    ids = list(videos) if videos else sorted(rows)

    def read(vid: str) -> Optional[StreamItem]:
        folder = find_video_dir(skeleton_root, vid)
        if folder is None or not list_frames(folder):
            counts['videos_without_skeletons'] += 1
            print(f'[streams] {vid}: no OpenPose frames under {skeleton_root}; skipped')
            return None
        frames, _, _ = read_video_stream(folder, counts=counts, from_zero=True)
        gt = segments_from_intervals(rows[vid], len(frames), counts) if vid in rows else None
        return StreamItem(vid, frames, None, gt)
    return LazyStreams(ids, read)
