"""The one segmenter: per-frame class probabilities of a stream -> MG segments ``(start, end,
label, score)``; and the ground truth in the same terms: labels.csv intervals -> segments
``(start, end, label)`` -> per-frame labels -> the MG a window shows.

Frames are stream indices, both ends inclusive.
"""
from typing import Counter, List, Optional, Sequence, Tuple

import numpy as np


def smooth(probs: np.ndarray, frames: int) -> np.ndarray:
    """Moving average over ``frames`` frames along time (1 = none); the edge frames repeat."""
    if frames <= 1:
        return probs
    from scipy.ndimage import uniform_filter1d
    return uniform_filter1d(probs, frames, axis=0, mode='nearest')


def probs_to_segments(probs: np.ndarray, background: int, smooth_frames: int = 5,
                      min_frames: int = 6, merge_gap: int = 4,
                      starts: Optional[np.ndarray] = None, start_thr: float = 0.5
                      ) -> List[Tuple[int, int, int, float]]:
    """Segments from (T, K + 1) frame probabilities (column ``background`` = no MG).

    1. smooth each class over ``smooth_frames`` frames; label each frame with its argmax;
    2. runs of one MG label are segments; runs of the same label separated by at most
       ``merge_gap`` background frames are joined (a flicker inside one MG);
    3. with ``starts`` (T,) start-boundary probabilities, a run is split at every frame whose
       start probability is a local maximum above ``start_thr`` (two MGs of one class back to
       back);
    4. segments shorter than ``min_frames`` are dropped (iMiGUE's shortest MG is 6 frames);
       a segment's score is its label's mean smoothed probability.
    """
    probs = np.asarray(probs, np.float64)
    if probs.ndim != 2 or not len(probs):
        return []
    p = smooth(probs, smooth_frames)
    labels = p.argmax(1)
    change = np.flatnonzero(np.diff(labels)) + 1
    bounds = np.concatenate([[0], change, [len(labels)]])
    runs = [(int(a), int(b) - 1, int(labels[a])) for a, b in zip(bounds[:-1], bounds[1:])]
    merged: List[List[int]] = []
    for a, b, c in runs:
        if c == background:
            continue
        if merged and merged[-1][2] == c and a - merged[-1][1] - 1 <= merge_gap:
            merged[-1][1] = b
        else:
            merged.append([a, b, c])
    if starts is not None:
        s = np.asarray(starts, np.float64)
        peak = (s >= start_thr) & (s >= np.roll(s, 1)) & (s >= np.roll(s, -1))
        split = []
        for a, b, c in merged:
            cuts = [t for t in np.flatnonzero(peak[a + 1:b + 1]) + a + 1]
            edges = [a] + cuts + [b + 1]
            split += [[x, y - 1, c] for x, y in zip(edges[:-1], edges[1:])]
        merged = split
    return [(a, b, c, float(p[a:b + 1, c].mean())) for a, b, c in merged
            if b - a + 1 >= min_frames]


def segments_from_intervals(rows: Sequence[dict], num_frames: int, counts: Counter
                            ) -> np.ndarray:
    """Ground-truth segments (K, 3) int64 ``start, end, label`` of one stream, sorted, from rows
    with ``start_frame`` / ``end_frame`` / ``label`` (labels.csv, SMG finelabels).

    An interval that starts past the stream's last frame is dropped (``segments_past_end``); one
    that ends past it is cut there (``segments_truncated``); both are counted in ``counts``.
    """
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


def frame_labels(segments: np.ndarray, num_frames: int, background: int) -> np.ndarray:
    """(T,) class of every frame: the segment's label inside a segment, ``background`` outside
    (a later segment overwrites an overlapping earlier one)."""
    out = np.full(num_frames, background, np.int64)
    for start, end, label in np.asarray(segments, np.int64).reshape(-1, 3):
        out[start:end + 1] = label
    return out


def window_label(labels: np.ndarray, segments: np.ndarray, start: int, background: int,
                 min_cover: float) -> int:
    """The MG a window (frames ``start .. start + len(labels) - 1``) shows: the class with the
    most frames in it, if one of its MGs overlapping the window covers at least ``min_cover`` of
    the window or of that MG; else ``background``."""
    fg = labels[labels != background]
    if not len(fg):
        return background
    cls = int(np.bincount(fg).argmax())
    end = start + len(labels) - 1
    seg = np.asarray(segments).reshape(-1, 3)
    seg = seg[(seg[:, 2] == cls) & (seg[:, 0] <= end) & (seg[:, 1] >= start)]
    overlap = np.minimum(seg[:, 1], end) - np.maximum(seg[:, 0], start) + 1
    length = seg[:, 1] - seg[:, 0] + 1
    return cls if (overlap >= min_cover * np.minimum(len(labels), length)).any() else background
