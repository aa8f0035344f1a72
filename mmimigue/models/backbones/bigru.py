"""Bidirectional GRU backbone on skeleton sequences (temporal stream of the dual-stream paper)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmaction.registry import MODELS
from mmengine.model import BaseModule

from ..freezing import FreezeMixin

_POOLINGS = ('mean', 'max', 'last', None)
_PERSON_MODES = ('batch', 'concat')


@MODELS.register_module()
class MGBiGRU(FreezeMixin, BaseModule):
    """Multi-layer (bi)directional GRU over per-frame skeleton vectors.

    The temporal stream of "Identity-free Artificial Emotional Intelligence via Micro-Gesture
    Understanding" (section 4.2.3 / 5.1.2: 3 layers of MGBiGRU with 1024 units). It consumes the same
    skeleton tensor as mmaction2's GCN backbones, ``(N, M, T, V, C)``, and builds the sequence
    itself: each frame becomes one vector of ``V * C`` coordinates (joint-major, i.e.
    ``x0, y0, x1, y1, ...``).

    Persons (``M``) are handled in one of two documented ways:

    * ``person_mode='batch'`` (default): every person is an independent sequence through the shared
      GRU (like GCN backbones fold ``M`` into the batch); the output keeps ``M``, heads average it.
    * ``person_mode='concat'``: the ``M`` persons of a frame are concatenated into one vector of
      ``M * V * C`` values (``num_person`` must then match the input), the output has ``M = 1``.

    The output follows mmaction2's GCN backbone convention ``(N, M', D, T', 1)`` with
    ``D = hidden_size * (2 if bidirectional else 1)``, so mmaction2's ``GCNHead`` and the projection
    neck work unchanged. ``T' = 1`` when ``pooling`` is set (``'mean'`` / ``'max'`` over time of the
    last layer's outputs, or ``'last'``: the final forward state concatenated with the final
    backward state, i.e. the backward direction's state at frame 0), ``T' = T`` when
    ``pooling=None``.
    The paper does not state its pooling; ``'mean'`` is the default.

    Args:
        in_channels (int): Coordinates per joint ``C`` (2 for iMiGUE, 3 for SMG). Defaults to 2.
        num_joints (int): Joints per frame ``V``. Defaults to 22 (``imigue22``).
        hidden_size (int): GRU units per direction. Defaults to 1024 (paper).
        num_layers (int): Stacked GRU layers. Defaults to 3 (paper).
        bidirectional (bool): Use a bidirectional GRU. Defaults to True (paper).
        dropout (float): Dropout between GRU layers (``nn.GRU`` semantics). Defaults to 0.
        pooling (str, optional): ``'mean'``, ``'max'``, ``'last'`` or None. Defaults to ``'mean'``.
        person_mode (str): ``'batch'`` or ``'concat'``. Defaults to ``'batch'``.
        num_person (int): Persons per clip, used by ``person_mode='concat'``. Defaults to 1.
        input_norm (bool): BatchNorm over the per-frame input vector (the sequence analogue of the
            GCNs' ``data_bn``). Defaults to True.
        frozen_stages (int): Stages to freeze (parameters get ``requires_grad=False`` and stay in
            eval mode): ``-1`` none, ``0`` the input norm, ``k >= 1`` the input norm and GRU layers
            ``0 .. k-1``; ``k >= num_layers`` freezes the whole backbone. Defaults to -1.
        norm_eval (bool): Keep every BatchNorm in eval mode while training. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialisation config. Defaults to None
            (PyTorch's GRU initialisation).

    Example:
        >>> gru = MGBiGRU(in_channels=2, num_joints=22, hidden_size=16, num_layers=2)
        >>> gru(torch.randn(4, 1, 30, 22, 2)).shape
        torch.Size([4, 1, 32, 1, 1])
    """

    def __init__(self,
                 in_channels: int = 2,
                 num_joints: int = 22,
                 hidden_size: int = 1024,
                 num_layers: int = 3,
                 bidirectional: bool = True,
                 dropout: float = 0.,
                 pooling: Optional[str] = 'mean',
                 person_mode: str = 'batch',
                 num_person: int = 1,
                 input_norm: bool = True,
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if pooling not in _POOLINGS:
            raise ValueError(f'MGBiGRU: pooling must be one of {_POOLINGS}, got {pooling!r}')
        if person_mode not in _PERSON_MODES:
            raise ValueError(f'MGBiGRU: person_mode must be one of {_PERSON_MODES}, '
                             f'got {person_mode!r}')
        if num_layers < 1 or hidden_size < 1:
            raise ValueError(f'MGBiGRU: num_layers ({num_layers}) and hidden_size ({hidden_size}) '
                             'must be >= 1')
        self.in_channels = in_channels
        self.num_joints = num_joints
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.pooling = pooling
        self.person_mode = person_mode
        self.num_person = num_person
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.num_directions = 2 if bidirectional else 1
        self.out_channels = hidden_size * self.num_directions

        input_size = num_joints * in_channels * (num_person if person_mode == 'concat' else 1)
        self.input_size = input_size
        self.input_norm = nn.BatchNorm1d(input_size) if input_norm else nn.Identity()
        self.gru = nn.GRU(
            input_size,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.,
            bidirectional=bidirectional)
        self.apply_freezing()

    def _layer_parameters(self, layer: int) -> List[nn.Parameter]:
        """Parameters of GRU layer ``layer`` (both directions)."""
        kinds = ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh')
        suffixes = [''] + (['_reverse'] if self.bidirectional else [])
        names = [f'{kind}_l{layer}{sfx}' for kind in kinds for sfx in suffixes]
        return [getattr(self.gru, n) for n in names]

    def frozen_modules(self) -> List[nn.Module]:
        """The input norm (stage 0), and the whole GRU when every layer is frozen (no dropout)."""
        if self.frozen_stages < 0:
            return []
        return [self.input_norm] + ([self.gru] if self.frozen_stages >= self.num_layers else [])

    def frozen_parameters(self) -> List[nn.Parameter]:
        """The first ``frozen_stages`` GRU layers (both directions)."""
        return [p for layer in range(min(max(self.frozen_stages, 0), self.num_layers))
                for p in self._layer_parameters(layer)]

    def _to_sequences(self, x: torch.Tensor) -> torch.Tensor:
        """(N, M, T, V, C) -> (N * M', T, F) per-frame vectors."""
        if x.dim() != 5:
            raise ValueError('MGBiGRU expects skeletons shaped (N, M, T, V, C), got '
                             f'{tuple(x.shape)}; use FormatGCNInput in the pipeline')
        N, M, T, V, C = x.shape
        if V * C * (M if self.person_mode == 'concat' else 1) != self.input_size:
            raise ValueError(
                f'MGBiGRU built for {self.num_joints} joints x {self.in_channels} channels'
                + (f' x {self.num_person} persons' if self.person_mode == 'concat' else '')
                + f' per frame, got input {tuple(x.shape)} (N, M, T, V, C); set num_joints / '
                'in_channels / num_person to match the layout and pipeline')
        if self.person_mode == 'concat':
            seq = x.permute(0, 2, 1, 3, 4).reshape(N, T, M * V * C)
        else:
            seq = x.reshape(N * M, T, V * C)
        if not isinstance(self.input_norm, nn.Identity):
            seq = self.input_norm(seq.transpose(1, 2)).transpose(1, 2)
        return seq

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode ``(N, M, T, V, C)`` skeletons into ``(N, M', D, T', 1)`` features."""
        N, M = x.shape[:2]
        seq = self._to_sequences(x)
        out, h_n = self.gru(seq.contiguous())  # out (B, T, D); h_n (layers * dirs, B, H)
        if self.pooling == 'mean':
            feat = out.mean(dim=1, keepdim=True)
        elif self.pooling == 'max':
            feat = out.amax(dim=1, keepdim=True)
        elif self.pooling == 'last':
            last = h_n.view(self.num_layers, self.num_directions, -1, self.hidden_size)[-1]
            feat = last.permute(1, 0, 2).reshape(-1, 1, self.out_channels)
        else:
            feat = out
        Mp = M if self.person_mode == 'batch' else 1
        # (N * M', T', D) -> (N, M', D, T', 1)
        feat = feat.reshape(N, Mp, feat.shape[1], self.out_channels)
        return feat.permute(0, 1, 3, 2).unsqueeze(-1)


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='BiGRU', module=MGBiGRU)
