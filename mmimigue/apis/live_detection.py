"""Live MG recognition: frames go in one at a time (or a few), MG events come out as soon as
they are decided.

:class:`MGLiveDetector` wraps a causal stream model
(:class:`~mmimigue.models.online.MGCausalStreamDetector`): its recurrent state and the
:class:`~mmimigue.skeleton.causal_segments.CausalSegmenter`'s state are carried from one
:meth:`~MGLiveDetector.push` to the next, so memory does not grow with the stream and the
events do not depend on how the frames were grouped into calls: pushing a whole stream at once
gives exactly the events of pushing it frame by frame (and of ``model.detect``).

Example::

    from mmimigue.apis import MGLiveDetector, init_recognizer
    live = MGLiveDetector(init_recognizer(CONFIG, CHECKPOINT))
    for keypoints in camera:                 # (V, 3) x, y, score of the model's joints
        for e in live.push(keypoints):
            print(e['name'], e['start'], e['end'], 'reported at frame', e['emitted_at'])
    events = live.flush()                    # the stream ended
"""
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch

from ..skeleton import pushed_frames


class MGLiveDetector:
    """Causal, stateful MG detection over one stream.

    Args:
        model: A causal stream model from :func:`~mmimigue.apis.init_recognizer` (one with
            ``stream_step``, e.g. ``configs/*/online_causal-gru_*``).
        layout (str, optional): The layout of the frames pushed; None means the model's own
            joints (or the 137 OpenPose points with ``layout='openpose137'``).
        class_names (Sequence[str], optional): Names put into the events (``name``).

    Attributes:
        frames (int): Frames pushed since the stream began.
        last_probs (np.ndarray | None): The last frame's (K + 1) class probabilities (the
            current MG of an overlay; column K = no MG).
    """

    def __init__(self, model, layout: Optional[str] = None,
                 class_names: Optional[Sequence[str]] = None) -> None:
        if not hasattr(model, 'stream_step'):
            raise TypeError(f'{type(model).__name__} is not a causal stream model: live detection '
                            'needs one that carries its state from frame to frame (a config '
                            'of configs/*/online_causal-gru_*); for a recorded stream use '
                            'mmimigue.apis.detect_stream with any model')
        self.model = model.eval()
        self.layout = layout or model.layout.name
        self.class_names = list(class_names) if class_names is not None else None
        self.device = next(model.parameters()).device
        self.reset()

    def reset(self) -> None:
        """Forget the stream: the next push starts a new one at frame 0."""
        self._state = None
        self._segmenter = self.model.segmenter()
        self.frames = 0
        self.last_probs: Optional[np.ndarray] = None

    def push(self, frames: np.ndarray) -> List[Dict]:
        """The next frame (V, C) or frames (n, V, C) of the stream -> the MG events decided at
        them: dicts ``label``, ``name`` (with ``class_names``), ``start`` / ``end`` (stream
        frames, inclusive), ``score`` and ``emitted_at`` (the frame at which it was decided;
        ``emitted_at - end`` is the event's latency in frames)."""
        x = pushed_frames(frames, self.layout, self.model.layout.name)
        if not len(x):
            return []
        probs, starts, self._state = self.model.stream_step(
            torch.from_numpy(x).to(self.device), self._state)
        self.frames += len(x)
        self.last_probs = probs[-1]
        return self._named(self._segmenter.update(probs, starts))

    def flush(self) -> List[Dict]:
        """The stream ended: the MG still open is decided at its last frame; the detector is
        then reset for a new stream."""
        events = self._named(self._segmenter.flush())
        self.reset()
        return events

    def _named(self, events: List[Dict]) -> List[Dict]:
        if self.class_names is not None:
            for e in events:
                e['name'] = self.class_names[e['label']]
        return events


def detect_live(model, stream: np.ndarray, layout: Optional[str] = None,
                chunk: int = 1) -> List[Dict]:
    """Every event of a whole (T, V, C) stream pushed ``chunk`` frames at a time, then flushed
    (what a live source would have produced)."""
    live = MGLiveDetector(model, layout)
    events = []
    for i in range(0, len(stream), chunk):
        events += live.push(stream[i:i + chunk])
    return events + live.flush()
