"""The one window rule: where the windows over a stream of frames start.

Training windows (:class:`~mmimigue.datasets.MGStreamDataset`), the online models' pass over a
stream and sliding a clip model over a stream all cut a stream with :func:`window_starts`, so a
stream's end is treated the same way when training and when testing.
"""
from typing import List

import numpy as np

#: ``'end'``: one more window ends at the last frame when the stride does not reach it, so every
#: frame is covered; ``'drop'``: the frames after the last full stride are not covered.
LAST_WINDOW_RULES = ('end', 'drop')


def window_starts(num_frames: int, window: int, stride: int, last: str = 'end') -> List[int]:
    """First frames of the windows of ``window`` frames every ``stride`` frames over a stream.

    A stream no longer than ``window`` has one window starting at 0 (its consumer pads it).

    Args:
        num_frames (int): Frames of the stream.
        window (int): Frames per window (>= 1).
        stride (int): Frames between window starts (>= 1).
        last (str): What happens to the frames after the last stride, one of
            :data:`LAST_WINDOW_RULES`. Defaults to ``'end'``.
    """
    if window < 1 or stride < 1:
        raise ValueError(f'window and stride must be >= 1, got {window} and {stride}')
    if last not in LAST_WINDOW_RULES:
        raise ValueError(f'last={last!r}: use one of {LAST_WINDOW_RULES}')
    if num_frames <= window:
        return [0]
    starts = list(range(0, num_frames - window + 1, stride))
    if last == 'end' and starts[-1] + window < num_frames:
        starts.append(num_frames - window)
    return starts


def add_windows(total: np.ndarray, count: np.ndarray, starts, values: np.ndarray) -> None:
    """Add per-window values to per-frame sums in place (frames past ``len(total)`` ignored).

    Args:
        total (np.ndarray): (T, K) per-frame sums.
        count (np.ndarray): (T,) windows per frame so far.
        starts: (N,) first frame of each window.
        values (np.ndarray): (N, W, K) values of each window's W frames (a window-level value
            repeated over its frames for a clip model).
    """
    values = np.asarray(values, np.float64)
    n, w, k = values.shape
    frames = (np.asarray(starts, np.int64)[:, None] + np.arange(w)[None]).ravel()
    inside = frames < len(total)
    np.add.at(total, frames[inside], values.reshape(n * w, k)[inside])
    np.add.at(count, frames[inside], 1)


def average_over_windows(starts, values: np.ndarray, num_frames: int) -> np.ndarray:
    """(num_frames, K) per-frame mean of (N, W, K) per-window values (:func:`add_windows`);
    frames no window covers get 0."""
    values = np.asarray(values)
    total, count = np.zeros((num_frames, values.shape[-1])), np.zeros(num_frames)
    add_windows(total, count, starts, values)
    return total / np.maximum(count, 1)[:, None]
