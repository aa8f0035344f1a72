"""A causal stream model for live MG recognition: each frame's output depends only on the frames
before it, so the stream can be processed one frame at a time with a carried state."""
from typing import Dict, Optional, Tuple

import numpy as np
import torch
from mmaction.registry import MODELS

from ...skeleton import CausalSegmenter, layout_body_units
from .temporal_detector import MGOnlineTemporalNet


@MODELS.register_module()
class MGCausalStreamDetector(MGOnlineTemporalNet):
    """Per-frame MG tagging that only looks back: :class:`MGOnlineTemporalNet` with a
    unidirectional GRU whose state is carried along the stream.

    Each frame is normalised on its own (body units from that frame's neck and shoulder width,
    or centred on the Kinect layout's centre joint; a window's statistics would look ahead).
    Trained on windows with :class:`MGOnlineTemporalNet`'s loss, from a zero state or after
    the dataset's ``context`` frames (:class:`~mmimigue.datasets.MGStreamDataset`, scored from
    ``loss_from`` on, so the state at the window resembles the live one); at test time
    the whole stream runs through once with the state carried (:meth:`stream_step`), and
    :class:`~mmimigue.skeleton.causal_segments.CausalSegmenter` turns the frame probabilities
    into segments as they are decided (``mmimigue.apis.MGLiveDetector`` does the same frame by
    frame).

    Args:
        num_classes (int): MG classes (background is one more).
        hidden (int): GRU width. Defaults to 192.
        chunk (int): Frames per forward pass over a whole stream (memory bound). Defaults to 4096.
        **kwargs: :class:`MGOnlineTemporalNet` (num_layers, dropout, the loss weights, layout,
            window, postprocess: the keyword arguments of :class:`CausalSegmenter`, ...).
    """

    def __init__(self, num_classes: int, hidden: int = 192, chunk: int = 4096,
                 **kwargs) -> None:
        super().__init__(num_classes, hidden=hidden, bidirectional=False, **kwargs)
        self.chunk = int(chunk)

    def body_units(self, raw: torch.Tensor) -> torch.Tensor:
        """(N, T, V, C) raw frames -> (N, T, V, D): every frame normalised on its own."""
        n, t = raw.shape[:2]
        per_frame = layout_body_units(raw.reshape(n * t, 1, *raw.shape[2:]), self.layout.name)
        return per_frame.reshape(n, t, *per_frame.shape[2:])

    def stream_step(self, raw: torch.Tensor, state: Optional[Dict] = None
                    ) -> Tuple[np.ndarray, np.ndarray, Dict]:
        """The next (T, V, C) raw frames of one stream -> ((T, K + 1) class probabilities, (T,)
        start probabilities, the state to pass with the following frames). ``state=None``
        starts a stream."""
        if raw.dim() != 3:
            raise ValueError(f'stream_step expects (T, V, C) frames of one stream, got '
                             f'{tuple(raw.shape)}')
        with torch.no_grad():
            logits, bound, state = self._heads(self.body_units(raw[None]), state)
        return (logits[0].softmax(-1).cpu().numpy(), bound[0, :, 0].sigmoid().cpu().numpy(),
                state)

    def segmenter(self) -> CausalSegmenter:
        """A fresh segmenter with this model's ``postprocess`` settings."""
        return CausalSegmenter(self.background, **self.postprocess)

    def stream_probs(self, stream: torch.Tensor):
        """One causal pass over a whole (T, V, C) stream, ``chunk`` frames at a time."""
        probs, starts, state = [], [], None
        for i in range(0, len(stream), self.chunk):
            p, s, state = self.stream_step(stream[i:i + self.chunk], state)
            probs.append(p)
            starts.append(s)
        return np.concatenate(probs), np.concatenate(starts)

    def detect(self, stream: torch.Tensor):
        """(T, V, C) raw stream -> ``(frame probabilities, segments (start, end, label,
        score))``, the segments exactly those the live detector emits for the same frames."""
        probs, starts = self.stream_probs(stream)
        seg = self.segmenter()
        events = seg.update(probs, starts) + seg.flush()
        return probs, [(e['start'], e['end'], e['label'], e['score']) for e in events]
