"""Segments decided while a stream plays: the causal counterpart of :func:`probs_to_segments`.

:class:`CausalSegmenter` takes frame probabilities in chunks of any size and returns each MG
segment as soon as it is decided, with the frame at which it was decided. Only the past is
used, so feeding a stream frame by frame or in one call gives the same segments.

Rules (frame ``t``, background = class ``K``):

1. smoothing: the mean of the last ``smooth_frames`` probability vectors (frames ``t - s + 1 ..
   t``; fewer at the stream's start); each frame's label is the argmax;
2. an MG run opens at a frame labelled with an MG; frames of its label extend it; up to
   ``merge_gap`` background frames inside it are bridged (a flicker inside one MG);
3. the run closes at the first frame that is another MG's (decided there), at the
   ``merge_gap + 1``-th background frame in a row (decided there), where the start probability
   rises through ``start_thr`` (a new MG of the same class begins: decided there), or at
   :meth:`CausalSegmenter.flush` (the stream ended);
4. a run of fewer than ``min_frames`` frames is dropped (iMiGUE's shortest MG is 6 frames); a
   segment's score is its label's mean smoothed probability over the frames labelled with it.

A segment therefore ends ``merge_gap + 1`` frames (plus the smoothing's lag) before it is
reported at most, except at a stream's end.
"""
from typing import Dict, List, Optional

import numpy as np


class CausalSegmenter:
    """Incremental MG segmentation of one stream (constant memory per frame).

    Args:
        background (int): The background column (= number of MG classes).
        smooth_frames (int): Frames of the trailing mean. Defaults to 5.
        min_frames (int): Shortest segment kept. Defaults to 6.
        merge_gap (int): Background frames bridged inside one run. Defaults to 4.
        start_thr (float): A start probability rising through it splits a run. Defaults to 0.5.
    """

    def __init__(self, background: int, smooth_frames: int = 5, min_frames: int = 6,
                 merge_gap: int = 4, start_thr: float = 0.5) -> None:
        if smooth_frames < 1 or min_frames < 1 or merge_gap < 0:
            raise ValueError('smooth_frames and min_frames must be >= 1 and merge_gap >= 0, got '
                             f'{smooth_frames}, {min_frames}, {merge_gap}')
        self.background = int(background)
        self.smooth_frames, self.min_frames = int(smooth_frames), int(min_frames)
        self.merge_gap, self.start_thr = int(merge_gap), float(start_thr)
        self.frame = 0  # frames seen
        self._window: Optional[np.ndarray] = None  # the last smooth_frames - 1 vectors
        self._prev_start = 0.0
        self._run: Optional[Dict] = None  # label, start, last MG frame, score sum and count
        self._gap = 0

    def update(self, probs: np.ndarray, starts: Optional[np.ndarray] = None) -> List[Dict]:
        """Feed the next (n, K + 1) frame probabilities (and (n,) start probabilities); returns
        the segments decided at these frames: dicts ``label``, ``start``, ``end`` (frame
        indices in the stream, inclusive), ``score``, ``emitted_at`` (the frame index at which
        it was emitted) and ``probs`` (the mean smoothed K + 1 probabilities over the frames
        labelled with it: what a video-level emotion model reads)."""
        probs = np.asarray(probs, np.float64)
        if probs.ndim != 2 or probs.shape[1] != self.background + 1:
            raise ValueError(f'expected (n, {self.background + 1}) frame probabilities, got '
                             f'{probs.shape}')
        if not np.isfinite(probs).all():
            raise ValueError('non-finite frame probabilities: the model output NaN / Inf (check '
                             'the input stream for NaN keypoints)')
        n = len(probs)
        if n == 0:
            return []
        smoothed = self._smooth(probs)
        labels = smoothed.argmax(1)
        rising = np.zeros(n, bool)
        if starts is not None:
            s = np.asarray(starts, np.float64).reshape(n)
            prev = np.concatenate([[self._prev_start], s[:-1]])
            rising = (s >= self.start_thr) & (prev < self.start_thr)
            self._prev_start = float(s[-1])
        events = []
        for i in range(n):  # the state machine is per frame; the arithmetic above is vectorised
            t, c = self.frame + i, int(labels[i])
            run = self._run
            if c == self.background:
                if run is not None:
                    self._gap += 1
                    if self._gap > self.merge_gap:
                        events += self._close(t)
                continue
            if run is not None and (c != run['label'] or rising[i]):
                events += self._close(t)
                run = None
            if run is None:
                self._run = dict(label=c, start=t, end=t, score=0.0, scored=0,
                                 prob_sum=np.zeros(self.background + 1))
                run = self._run
            run['score'] += float(smoothed[i, c])
            run['scored'] += 1
            run['prob_sum'] += smoothed[i]
            run['end'], self._gap = t, 0
        self.frame += n
        return events

    def flush(self) -> List[Dict]:
        """The stream ended: the open run, if any, is decided at the last frame."""
        return self._close(max(self.frame - 1, 0))

    def _smooth(self, probs: np.ndarray) -> np.ndarray:
        """Trailing mean over ``smooth_frames`` frames, continuing from the previous chunk.

        Each frame sums exactly its own ``smooth_frames`` rows (zeros before the stream's first
        frame, divided by the frames there are), so the result does not depend on the chunks."""
        k, width = self.smooth_frames, probs.shape[1]
        past = self._window if self._window is not None else np.zeros((0, width))
        pad = np.zeros((k - 1 - len(past), width))
        full = np.concatenate([pad, past, probs])
        sums = np.lib.stride_tricks.sliding_window_view(full, k, axis=0).sum(-1)
        counts = np.minimum(np.arange(self.frame + 1, self.frame + len(probs) + 1), k)
        self._window = full[len(full) - (k - 1):]
        return sums / counts[:, None]

    def _close(self, emitted_at: int) -> List[Dict]:
        run, self._run, self._gap = self._run, None, 0
        if run is None or run['end'] - run['start'] + 1 < self.min_frames:
            return []
        mean = run['prob_sum'] / max(run['scored'], 1)
        return [dict(label=run['label'], start=run['start'], end=run['end'],
                     score=run['score'] / max(run['scored'], 1), emitted_at=int(emitted_at),
                     probs=tuple(float(v) for v in mean))]
