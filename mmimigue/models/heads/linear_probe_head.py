"""Linear classifier on frozen skeleton features, optionally standardised without parameters."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS

from ..necks.skeleton_pool import skeleton_global_pool


@MODELS.register_module()
class MGLinearProbeHead(BaseHead):
    """Pool backbone features, optionally standardise them, and apply one fully connected layer.

    The linear-evaluation classifier of the dual-stream paper ("a fully connected layer followed by
    a softmax layer", sec. 5.1.2). With ``feat_norm=True`` the pooled features first go through a
    ``BatchNorm1d`` without learnable parameters (``affine=False``): at test time it is a fixed
    per-channel affine map that folds into the FC layer, so the classifier stays linear, while the
    SGD step size no longer depends on the scale of the frozen features (frozen, randomly
    initialised encoders in eval mode can emit features orders of magnitude larger than trained
    ones, which makes the paper's lr 0.1 diverge). ``feat_norm=False`` is the plain FC of
    mmaction2's ``GCNHead``.

    Accepts ``(N, M, C, T, V)`` GCN-style features (pooled like ``GCNHead``) or ``(N, C)``.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Feature channels.
        feat_norm (bool): Standardise features with a parameter-free BatchNorm. Defaults to True.
        dropout (float): Dropout before the FC layer. Defaults to 0.
        loss_cls (dict): Loss config. Defaults to ``CrossEntropyLoss``.
        average_clips (str): How ``predict`` averages clip scores. Defaults to ``'prob'``.
        init_cfg (dict or list[dict]): Defaults to a Normal(std=0.01) FC layer, like ``GCNHead``.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 feat_norm: bool = True,
                 dropout: float = 0.,
                 loss_cls: Dict = dict(type='CrossEntropyLoss'),
                 average_clips: str = 'prob',
                 init_cfg: Optional[Union[Dict, List[Dict]]] = dict(
                     type='Normal', layer='Linear', std=0.01),
                 **kwargs) -> None:
        super().__init__(num_classes, in_channels, loss_cls=loss_cls,
                         average_clips=average_clips, init_cfg=init_cfg, **kwargs)
        self.feat_norm = nn.BatchNorm1d(in_channels, affine=False) if feat_norm else nn.Identity()
        self.dropout = nn.Dropout(p=dropout) if dropout > 0 else nn.Identity()
        self.fc = nn.Linear(in_channels, num_classes)

    def forward(self, x: torch.Tensor, **kwargs) -> torch.Tensor:
        """``(N, M, C, T, V)`` or ``(N, C)`` features -> ``(N, num_classes)`` logits."""
        x = skeleton_global_pool(x)
        if x.shape[1] != self.in_channels:
            raise ValueError(f'MGLinearProbeHead built for in_channels={self.in_channels}, got '
                             f'features with {x.shape[1]} channels')
        return self.fc(self.dropout(self.feat_norm(x)))


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='LinearProbeHead', module=MGLinearProbeHead)
