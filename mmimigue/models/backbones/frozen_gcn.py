"""mmaction2's GCN backbones (AAGCN, STGCN) plus ``frozen_stages`` / ``norm_eval``.

The classes subclass mmaction2's backbones without changing their modules, so their state dicts
are key-for-key identical to ``AAGCN`` / ``STGCN``: a checkpoint pretrained with the stock backbone
loads into the freezable one (and back).
"""
from typing import List

import torch.nn as nn
from mmaction.models.backbones import AAGCN, STGCN
from mmaction.registry import MODELS

from ..freezing import FreezeMixin


class StageFreezeMixin(FreezeMixin):
    """Adds ``frozen_stages`` / ``norm_eval`` to a GCN backbone with ``data_bn`` and ``gcn`` blocks.

    Stage 0 is the input ``data_bn``; stage ``k >= 1`` is ``gcn[k - 1]``. ``frozen_stages=k``
    freezes stages ``0 .. k`` (``requires_grad=False`` and eval mode, so BN statistics stay put);
    ``-1`` freezes nothing and any ``k >= len(gcn)`` freezes the whole backbone.
    ``norm_eval=True`` keeps every BatchNorm in eval mode while the model trains.

    Args:
        frozen_stages (int): ``-1`` none, ``0`` data_bn, ``k`` data_bn and the first ``k`` GCN
            blocks; ``k >= number of blocks`` freezes everything. Defaults to -1.
        norm_eval (bool): Keep BatchNorm layers in eval mode during training. Defaults to False.
        **kwargs: Every argument of the mmaction2 backbone (``graph_cfg``, ``in_channels`` ...).
    """

    def __init__(self, *args, frozen_stages: int = -1, norm_eval: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.apply_freezing()

    def frozen_modules(self) -> List[nn.Module]:
        return ([self.data_bn] + list(self.gcn))[:self.frozen_stages + 1]


@MODELS.register_module()
class MGFreezableAAGCN(StageFreezeMixin, AAGCN):
    """mmaction2's ``AAGCN`` (2s-AGCN / MS-AAGCN) plus ``frozen_stages`` and ``norm_eval``
    (arguments: :class:`StageFreezeMixin`)."""


@MODELS.register_module()
class MGFreezableSTGCN(StageFreezeMixin, STGCN):
    """mmaction2's ``STGCN`` (ST-GCN / STGCN++) plus ``frozen_stages`` and ``norm_eval``
    (arguments: :class:`StageFreezeMixin`)."""


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='FreezableAAGCN', module=MGFreezableAAGCN)
MODELS.register_module(name='FreezableSTGCN', module=MGFreezableSTGCN)
