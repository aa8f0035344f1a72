"""What every live MG detector does around its model (numpy only): take pushed frames, carry the
stream's position, segment the frame probabilities causally, name the events, start over at
the stream's end. The torch detector (:class:`mmimigue.apis.MGLiveDetector`) and the
onnxruntime one (:class:`mmimigue.deployment.onnx_live.OnnxLiveDetector`) only differ in how
one step of the model runs and what state it carries."""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .causal_segments import CausalSegmenter
from .layouts import pushed_frames


class LiveSession:
    """Base of the live detectors (not used alone).

    Subclasses call :meth:`setup` in ``__init__`` and implement :meth:`_start` (a fresh model
    state) and :meth:`_step` ((n, V, C) frames of the model's joints -> (n, K + 1) class and
    (n,) start probabilities, carrying the state).

    Attributes:
        frames (int): Frames pushed since the stream began.
        last_probs (np.ndarray | None): The last frame's (K + 1) class probabilities (the
            current MG of an overlay; column K = no MG).
    """

    def setup(self, layout: Optional[str], model_layout: str,
              class_names: Optional[Sequence[str]], segmenter_cfg: Dict,
              background: int) -> None:
        self.model_layout = model_layout
        self.layout = layout or model_layout
        self.class_names = list(class_names) if class_names is not None else None
        self._segmenter_cfg, self._background = dict(segmenter_cfg), int(background)
        self.reset()

    def reset(self) -> None:
        """Forget the stream: the next push starts a new one at frame 0."""
        self._start()
        self._segmenter = CausalSegmenter(self._background, **self._segmenter_cfg)
        self.frames = 0
        self.last_probs: Optional[np.ndarray] = None

    def push(self, frames: np.ndarray) -> List[Dict]:
        """The next frame (V, C) or frames (n, V, C) of the stream -> the MG events decided at
        them: dicts ``label``, ``name`` (with class names), ``start`` / ``end`` (stream frames,
        inclusive), ``score``, ``probs`` and ``emitted_at`` (the frame at which it was decided;
        ``emitted_at - end`` is the event's latency in frames). Any grouping of the frames into
        pushes gives the same events."""
        x = pushed_frames(frames, self.layout, self.model_layout)
        if not len(x):
            return []
        probs, starts = self._step(x)
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

    def _start(self) -> None:
        raise NotImplementedError

    def _step(self, frames: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError
