"""Frame-level temporal model for online MG recognition: a MGBiGRU over the skeleton stream with
per-frame class and start / end boundary outputs."""
from typing import Dict, List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS

from .stream_detector_base import MGStreamDetectorBase


def boundary_targets(frame_labels: torch.Tensor, background: int, width: int = 1):
    """(N, T) frame labels -> (N, T, 2) float start / end targets: 1 within ``width`` frames of
    a frame where an MG begins / ends (a change of label into / out of an MG)."""
    prev = F.pad(frame_labels, (1, 0), value=background)[:, :-1]
    nxt = F.pad(frame_labels, (0, 1), value=background)[:, 1:]
    fg = frame_labels != background
    start = (fg & (frame_labels != prev)).float()
    end = (fg & (frame_labels != nxt)).float()
    both = torch.stack([start, end], 1)  # (N, 2, T)
    if width > 0:
        both = F.max_pool1d(both, 2 * width + 1, stride=1, padding=width)
    return both.transpose(1, 2)


@MODELS.register_module()
class MGOnlineTemporalNet(MGStreamDetectorBase):
    """Per-frame MG tagging of a skeleton stream.

    Each frame's body-unit joints and their frame-to-frame motion are embedded by a linear
    layer, a ``num_layers``-layer bidirectional GRU runs over the window, and two linear heads
    give every frame ``num_classes + 1`` class logits (background last) and two boundary logits
    (an MG starts / ends here). Loss: cross-entropy over frames (background frames weighted by
    ``background_weight``: they are most frames) plus ``boundary_weight`` x binary
    cross-entropy of the boundaries (targets within 1 frame of a change). At test time the
    stream is read in overlapping windows (:class:`MGStreamDetectorBase`); runs of one class
    become segments, split where a start is predicted.

    Args:
        num_classes (int): MG classes (background is one more).
        num_joints (int, optional): Joints per frame; must equal the layout's (22 for imigue22,
            25 for ntu25). Defaults to the layout's.
        hidden (int): GRU width per direction. Defaults to 128.
        num_layers (int): GRU layers. Defaults to 2.
        dropout (float): Between GRU layers and before the heads. Defaults to 0.2.
        background_weight (float): Cross-entropy weight of background frames. Defaults to 0.5.
        boundary_weight (float): Weight of the boundary loss. Defaults to 0.5.
        bidirectional (bool): Read each window both ways (the offline model); False only looks
            back (the causal live model, :class:`MGCausalStreamDetector`). Defaults to True.
        **kwargs: :class:`MGStreamDetectorBase` (layout, window, stride, postprocess, ...).
    """

    def __init__(self, num_classes: int, num_joints: Optional[int] = None, hidden: int = 128,
                 num_layers: int = 2, dropout: float = 0.2, background_weight: float = 0.5,
                 boundary_weight: float = 0.5, bidirectional: bool = True, **kwargs) -> None:
        super().__init__(num_classes, **kwargs)
        if num_joints is not None and num_joints != self.layout.num_node:
            raise ValueError(f'num_joints={num_joints} but layout {self.layout.name!r} has '
                             f'{self.layout.num_node} joints; drop num_joints or fix the layout')
        in_dim = 2 * self.layout.num_node * self.layout.dims  # joints and their motion
        self.embed = nn.Sequential(nn.Linear(in_dim, hidden), nn.ReLU())
        self.gru = nn.GRU(hidden, hidden, num_layers, batch_first=True,
                          bidirectional=bidirectional, dropout=dropout if num_layers > 1 else 0.)
        self.drop = nn.Dropout(dropout)
        width = 2 * hidden if bidirectional else hidden
        self.cls = nn.Linear(width, num_classes + 1)
        self.boundary = nn.Linear(width, 2)
        weight = torch.ones(num_classes + 1)
        weight[num_classes] = background_weight
        self.register_buffer('class_weight', weight)
        self.boundary_weight = float(boundary_weight)

    def _heads(self, x: torch.Tensor, state: Optional[Dict] = None):
        """(N, T, V, D) body units -> class logits, boundary logits and the state after the
        last frame (``h``: the GRU's, ``last``: the frame). ``state`` continues a stream: the
        motion of the first frame is taken from ``state['last']`` (else it is zero) and the GRU
        starts from ``state['h']``."""
        last = None if state is None else state.get('last')
        prev = torch.cat([x[:, :1] if last is None else last[:, None], x[:, :-1]], 1)
        feats = torch.cat([x, x - prev], -1).flatten(2)  # joints and motion: (N, T, 2 * V * D)
        h, hn = self.gru(self.embed(feats), None if state is None else state.get('h'))
        h = self.drop(h)
        return self.cls(h), self.boundary(h), dict(h=hn, last=x[:, -1])

    def window_scores(self, x: torch.Tensor):
        logits, bound, _ = self._heads(x)
        return logits.softmax(-1), bound[..., 0].sigmoid()

    def window_loss(self, x: torch.Tensor, data_samples: List) -> Dict[str, torch.Tensor]:
        """Frame and boundary losses over each sample's frames from its ``loss_from`` on (the
        frames before only carry the state in, as live; 0 for plain windows)."""
        labels = torch.stack([s.frame_labels for s in data_samples]).to(x.device)
        logits, bound, _ = self._heads(x)
        loss_from = torch.tensor([s.metainfo.get('loss_from', 0) for s in data_samples],
                                 device=x.device)
        scored = torch.arange(labels.shape[1], device=x.device)[None] >= loss_from[:, None]
        loss_cls = F.cross_entropy(logits.flatten(0, 1), labels.masked_fill(~scored, -100).flatten(),
                                   weight=self.class_weight, ignore_index=-100)
        target = boundary_targets(labels, self.background)  # from the true labels of all frames
        loss_bound = F.binary_cross_entropy_with_logits(bound, target, reduction='none')
        loss_bound = (loss_bound * scored[..., None]).sum() / (scored.sum() * bound.shape[-1])
        acc = (logits.argmax(-1) == labels)[scored].float().mean()
        return dict(loss_cls=loss_cls, loss_boundary=self.boundary_weight * loss_bound,
                    frame_acc=acc.detach())
