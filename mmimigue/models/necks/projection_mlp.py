"""MLP re-projection neck of MoCo-style skeleton contrastive learning (dual-stream paper eq. 12)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmaction.registry import MODELS
from mmengine.model import BaseModule

from .skeleton_pool import skeleton_global_pool


@MODELS.register_module()
class MGProjectionMLP(BaseModule):
    """Pool backbone features and project them: ``z = W2 relu(W1 f + b1) + b2`` (eq. 12).

    Used during pretraining only; linear evaluation drops it (section 5.1.2).

    Args:
        in_channels (int): Backbone feature channels (256 for AAGCN, ``2 * hidden`` for MGBiGRU).
        out_channels (int): Embedding size. Defaults to 128 (paper).
        hidden_channels (int, optional): Hidden width; None uses ``in_channels``. Defaults to None.
        init_cfg (dict or list[dict], optional): Initialisation config. Defaults to None.

    Inputs are ``(N, M, C, T, V)`` backbone features (pooled over ``M, T, V``) or ``(N, C)``;
    the output is ``(N, out_channels)`` (not normalised; MoCo normalises).
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int = 128,
                 hidden_channels: Optional[int] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        hidden_channels = hidden_channels or in_channels
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.fc1 = nn.Linear(in_channels, hidden_channels)
        self.relu = nn.ReLU(inplace=True)
        self.fc2 = nn.Linear(hidden_channels, out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Project ``(N, M, C, T, V)`` or ``(N, C)`` features to ``(N, out_channels)``."""
        x = skeleton_global_pool(x)
        if x.shape[1] != self.in_channels:
            raise ValueError(f'MGProjectionMLP built for in_channels={self.in_channels} got features '
                             f'with {x.shape[1]} channels; set neck.in_channels to the backbone '
                             'output width')
        return self.fc2(self.relu(self.fc1(x)))


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='ProjectionMLP', module=MGProjectionMLP)
