"""mmaction2's GCN backbones (AAGCN, STGCN) plus ``frozen_stages`` / ``norm_eval``.

The classes subclass mmaction2's backbones without changing their modules, so their state dicts
are key-for-key identical to ``AAGCN`` / ``STGCN``: a checkpoint pretrained with the stock backbone
loads into the freezable one (and back).
"""
from typing import List

import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm

from mmaction.models.backbones import AAGCN, STGCN
from mmaction.registry import MODELS


class StageFreezeMixin:
    """Adds ``frozen_stages`` / ``norm_eval`` to a GCN backbone with ``data_bn`` and ``gcn`` blocks.

    Stage 0 is the input ``data_bn``; stage ``k >= 1`` is ``gcn[k - 1]``. ``frozen_stages=k``
    freezes stages ``0 .. k`` (``requires_grad=False`` and eval mode, so BN statistics stay put);
    ``-1`` freezes nothing and any ``k >= len(gcn)`` freezes the whole backbone.
    ``norm_eval=True`` keeps every BatchNorm in eval mode while the model trains.
    """

    frozen_stages: int
    norm_eval: bool

    def _stages(self) -> List[nn.Module]:
        return [self.data_bn] + list(self.gcn)

    def _freeze_stages(self) -> None:
        if self.frozen_stages < 0:
            return
        for m in self._stages()[:self.frozen_stages + 1]:
            m.eval()
            for p in m.parameters():
                p.requires_grad = False

    def train(self, mode: bool = True):
        """Set train mode, keeping frozen stages (and BN when ``norm_eval``) in eval mode."""
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self


@MODELS.register_module()
class FreezableAAGCN(StageFreezeMixin, AAGCN):
    """mmaction2's ``AAGCN`` (2s-AGCN / MS-AAGCN) plus ``frozen_stages`` and ``norm_eval``.

    Args:
        frozen_stages (int): ``-1`` none, ``0`` data_bn, ``k`` data_bn and the first ``k`` GCN
            blocks; ``k >= number of blocks`` freezes everything. Defaults to -1.
        norm_eval (bool): Keep BatchNorm layers in eval mode during training. Defaults to False.
        **kwargs: Every argument of ``mmaction.models.AAGCN`` (``graph_cfg``, ``in_channels`` ...).
    """

    def __init__(self, *args, frozen_stages: int = -1, norm_eval: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self._freeze_stages()


@MODELS.register_module()
class FreezableSTGCN(StageFreezeMixin, STGCN):
    """mmaction2's ``STGCN`` (ST-GCN / STGCN++) plus ``frozen_stages`` and ``norm_eval``.

    Args:
        frozen_stages (int): ``-1`` none, ``0`` data_bn, ``k`` data_bn and the first ``k`` GCN
            blocks; ``k >= number of blocks`` freezes everything. Defaults to -1.
        norm_eval (bool): Keep BatchNorm layers in eval mode during training. Defaults to False.
        **kwargs: Every argument of ``mmaction.models.STGCN``.
    """

    def __init__(self, *args, frozen_stages: int = -1, norm_eval: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self._freeze_stages()
