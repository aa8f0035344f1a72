"""A causal stream model for live MG recognition: each frame's output depends only on the frames
before it, so the stream can be processed one frame at a time with a carried state."""
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS

from ...skeleton import CausalSegmenter, layout_body_units
from .stream_detector_base import MGStreamDetectorBase
from .temporal_detector import boundary_targets

State = Dict[str, Optional[torch.Tensor]]


@MODELS.register_module()
class MGCausalStreamDetector(MGStreamDetectorBase):
    """Per-frame MG tagging that only looks back: a unidirectional GRU with a carried state.

    Each frame is normalised on its own (body units from that frame's neck and shoulder width,
    or centred on the Kinect layout's centre joint; a window's statistics would look ahead),
    its joints and their motion since the previous frame are embedded by a linear layer, a
    ``num_layers``-layer GRU runs forward in time, and two linear heads give ``num_classes + 1``
    class logits (background last) and start / end boundary logits per frame. Trained on
    windows from a zero state with the loss of :class:`MGOnlineTemporalNet`; at test time the
    whole stream runs through once with the state carried (:meth:`stream_step`), and
    :class:`~mmimigue.skeleton.causal_segments.CausalSegmenter` turns the frame probabilities
    into segments as they are decided (``mmimigue.apis.MGLiveDetector`` does the same frame by
    frame).

    Args:
        num_classes (int): MG classes (background is one more).
        hidden (int): GRU width. Defaults to 192.
        num_layers (int): GRU layers. Defaults to 2.
        dropout (float): Between GRU layers and before the heads. Defaults to 0.2.
        background_weight (float): Cross-entropy weight of background frames. Defaults to 0.5.
        boundary_weight (float): Weight of the boundary loss. Defaults to 0.5.
        chunk (int): Frames per forward pass over a whole stream (memory bound). Defaults to 4096.
        **kwargs: :class:`MGStreamDetectorBase` (layout, window, postprocess: the keyword
            arguments of :class:`CausalSegmenter`, ...).
    """

    def __init__(self, num_classes: int, hidden: int = 192, num_layers: int = 2,
                 dropout: float = 0.2, background_weight: float = 0.5,
                 boundary_weight: float = 0.5, chunk: int = 4096, **kwargs) -> None:
        super().__init__(num_classes, **kwargs)
        in_dim = 2 * self.layout.num_node * self.layout.dims  # joints and their motion
        self.embed = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU())
        self.gru = nn.GRU(hidden, hidden, num_layers, batch_first=True,
                          dropout=dropout if num_layers > 1 else 0.)
        self.drop = nn.Dropout(dropout)
        self.cls = nn.Linear(hidden, num_classes + 1)
        self.boundary = nn.Linear(hidden, 2)
        weight = torch.ones(num_classes + 1)
        weight[num_classes] = background_weight
        self.register_buffer('class_weight', weight)
        self.boundary_weight = float(boundary_weight)
        self.chunk = int(chunk)

    # ------------------------------------------------------------------ causal core
    def body_units(self, raw: torch.Tensor) -> torch.Tensor:
        """(N, T, V, C) raw frames -> (N, T, V, D): every frame normalised on its own."""
        n, t = raw.shape[:2]
        per_frame = layout_body_units(raw.reshape(n * t, 1, *raw.shape[2:]), self.layout.name)
        return per_frame.reshape(n, t, *per_frame.shape[2:])

    def _heads(self, x: torch.Tensor, state: Optional[State] = None):
        """(N, T, V, D) body units + state -> class logits, boundary logits, the new state."""
        last = None if state is None else state.get('last')
        prev = torch.cat([x[:, :1] if last is None else last[:, None], x[:, :-1]], 1)
        feats = torch.cat([x, x - prev], -1).flatten(2)  # joints and motion since the last frame
        h0 = None if state is None else state.get('h')
        h, hn = self.gru(self.embed(feats), h0)
        h = self.drop(h)
        return self.cls(h), self.boundary(h), dict(h=hn, last=x[:, -1])

    def stream_step(self, raw: torch.Tensor, state: Optional[State] = None
                    ) -> Tuple[np.ndarray, np.ndarray, State]:
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

    # ------------------------------------------------------------------ training / test
    def window_scores(self, x: torch.Tensor):
        logits, bound, _ = self._heads(x)
        return logits.softmax(-1), bound[..., 0].sigmoid()

    def window_loss(self, x: torch.Tensor, data_samples: List) -> Dict[str, torch.Tensor]:
        labels = torch.stack([s.frame_labels for s in data_samples]).to(x.device)
        logits, bound, _ = self._heads(x)
        loss_cls = F.cross_entropy(logits.flatten(0, 1), labels.flatten(),
                                   weight=self.class_weight)
        loss_bound = F.binary_cross_entropy_with_logits(
            bound, boundary_targets(labels, self.background))
        acc = (logits.argmax(-1) == labels).float().mean()
        return dict(loss_cls=loss_cls, loss_boundary=self.boundary_weight * loss_bound,
                    frame_acc=acc.detach())

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
