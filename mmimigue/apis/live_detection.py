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

from ..skeleton.live_session import LiveSession


class MGLiveDetector(LiveSession):
    """Causal, stateful MG detection over one stream (``push`` / ``flush``:
    :class:`~mmimigue.skeleton.live_session.LiveSession`).

    Args:
        model: A causal stream model from :func:`~mmimigue.apis.init_recognizer` (one with
            ``stream_step``, e.g. ``configs/*/online_causal-gru_*``).
        layout (str, optional): The layout of the frames pushed; None means the model's own
            joints (or the 137 OpenPose points with ``layout='openpose137'``).
        class_names (Sequence[str], optional): Names put into the events (``name``).
    """

    def __init__(self, model, layout: Optional[str] = None,
                 class_names: Optional[Sequence[str]] = None) -> None:
        if not hasattr(model, 'stream_step'):
            raise TypeError(f'{type(model).__name__} is not a causal stream model: live detection '
                            'needs one that carries its state from frame to frame (a config '
                            'of configs/*/online_causal-gru_*); for a recorded stream use '
                            'mmimigue.apis.detect_stream with any model')
        self.model = model.eval()
        self.device = next(model.parameters()).device
        self.setup(layout, model.layout.name, class_names, model.postprocess, model.background)

    def _start(self) -> None:
        self._state = None

    def _step(self, frames: np.ndarray):
        probs, starts, self._state = self.model.stream_step(
            torch.from_numpy(frames).to(self.device), self._state)
        return probs, starts


def detect_live(model, stream: np.ndarray, layout: Optional[str] = None,
                chunk: int = 1) -> List[Dict]:
    """Every event of a whole (T, V, C) stream pushed ``chunk`` frames at a time, then flushed
    (what a live source would have produced)."""
    live = MGLiveDetector(model, layout)
    events = []
    for i in range(0, len(stream), chunk):
        events += live.push(stream[i:i + chunk])
    return events + live.flush()
