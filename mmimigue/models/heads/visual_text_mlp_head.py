"""Stage 2 of the visual-text MG recognizer: a two-layer MLP on the frozen aligned encoder."""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS
from mmaction.utils import SampleList

from ..freezing import FreezeMixin
from .projection_fnn import ProjectionFNN
from .visual_tokens import visual_tokens


@MODELS.register_module()
class MGVisualTextMLPHead(FreezeMixin, BaseHead):
    """Two-layer MLP classifier trained with cross-entropy on the aligned visual embedding.

    ``visual_proj`` has the name and shape of :class:`MGVisualTextHead`'s, so ``load_from`` a
    stage-1 checkpoint fills it (and the backbone); it is frozen by default, and with
    ``VisualTextRecognizer*(freeze_backbone=True)`` the whole aligned visual encoder is frozen,
    as in the paper. The MLP is ``Linear(D, hidden) -> ReLU -> Dropout -> Linear(hidden, C)``
    on the (by default L2-normalised) ``v_bar``.

    Args:
        num_classes (int): Number of classes.
        in_channels (int): Channels of the backbone output.
        embed_dims (int): D of stage 1. Defaults to 256.
        visual_format (str): Backbone output layout (as in :class:`MGVisualTextHead`).
        hidden_channels (int): MLP hidden size. Defaults to 256.
        dropout (float): MLP dropout. Defaults to 0.5.
        freeze_projection (bool): Keep ``visual_proj`` fixed. Defaults to True.
        normalize (bool): L2-normalise ``v_bar`` (the space stage 1 aligned). Defaults to True.
        loss_cls (dict): Defaults to cross-entropy.
        average_clips (str): Defaults to ``'prob'``.
        topk (tuple[int]): Defaults to ``(1, 5)``.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self,
                 num_classes: int,
                 in_channels: int,
                 embed_dims: int = 256,
                 visual_format: str = 'gcn',
                 hidden_channels: int = 256,
                 dropout: float = 0.5,
                 freeze_projection: bool = True,
                 normalize: bool = True,
                 loss_cls: dict = dict(type='CrossEntropyLoss'),
                 average_clips: Optional[str] = 'prob',
                 topk: Tuple[int, ...] = (1, 5),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(num_classes, in_channels, loss_cls=loss_cls, topk=topk,
                         average_clips=average_clips, init_cfg=init_cfg)
        self.visual_format = visual_format
        self.normalize = normalize
        self.freeze_projection = freeze_projection
        self.visual_proj = ProjectionFNN(in_channels, embed_dims)
        self.mlp = nn.Sequential(nn.Linear(embed_dims, hidden_channels), nn.ReLU(inplace=True),
                                 nn.Dropout(dropout), nn.Linear(hidden_channels, num_classes))
        self.apply_freezing()

    def frozen_modules(self) -> List[nn.Module]:
        return [self.visual_proj] if self.freeze_projection else []

    def forward(self, x: torch.Tensor, num_segs: Optional[int] = None,
                num_samples: Optional[int] = None, **kwargs) -> torch.Tensor:
        """Class logits, shape (N, num_classes)."""
        if num_samples is None:
            rows = (x[-1] if isinstance(x, (tuple, list)) else x).shape[0]
            num_samples = rows // num_segs if num_segs else rows
        tokens = visual_tokens(x, self.visual_format, num_samples)
        visual = self.visual_proj(tokens.mean(dim=1))
        if self.normalize:
            visual = F.normalize(visual, dim=-1)
        return self.mlp(visual)

    def loss(self, feats: torch.Tensor, data_samples: SampleList, **kwargs) -> Dict:
        """Cross-entropy (and top-k accuracies) through mmaction2's ``loss_by_feat``."""
        return self.loss_by_feat(self(feats, num_samples=len(data_samples)), data_samples)

    def predict(self, feats: torch.Tensor, data_samples: SampleList, **kwargs) -> SampleList:
        return self.predict_by_feat(self(feats, num_samples=len(data_samples)), data_samples)


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='VisualTextMLPHead', module=MGVisualTextMLPHead)
