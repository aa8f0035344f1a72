"""mmaction2 recognizers that can freeze their backbone (stage 2 of the visual-text recognizer).

Stage 1 (alignment) works with these or with mmaction2's own recognizers: the visual-text
head is an ordinary head. Stage 2 trains :class:`MGVisualTextMLPHead` on the aligned encoder
frozen, which needs the backbone's parameters fixed *and* its BatchNorm statistics kept
(mmaction2's GCN backbones have no ``frozen_stages`` / ``norm_eval``): ``freeze_backbone=True``
does both, and keeps parameter names unchanged so ``load_from`` a stage-1 checkpoint works.
"""
from typing import List

import torch.nn as nn
from mmaction.models.recognizers import Recognizer2D, Recognizer3D, RecognizerGCN
from mmaction.registry import MODELS

from ..freezing import FreezeMixin


class _FreezeBackboneMixin(FreezeMixin):
    """``freeze_backbone=True``: no gradients into the backbone and BatchNorm in eval mode."""

    def _setup_freeze(self, freeze_backbone: bool) -> None:
        self.freeze_backbone = freeze_backbone
        self.apply_freezing()

    def frozen_modules(self) -> List[nn.Module]:
        return [self.backbone] if getattr(self, 'freeze_backbone', False) else []


@MODELS.register_module()
class MGFreezableRecognizerGCN(_FreezeBackboneMixin, RecognizerGCN):
    """mmaction2's ``RecognizerGCN`` with ``freeze_backbone`` (skeleton backbones: STGCN, AAGCN).

    Args:
        freeze_backbone (bool): Freeze the backbone's weights and BatchNorm statistics.
        **kwargs: ``RecognizerGCN`` arguments (``backbone``, ``cls_head``, ...).
    """

    def __init__(self, freeze_backbone: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self._setup_freeze(freeze_backbone)


@MODELS.register_module()
class MGFreezableRecognizer3D(_FreezeBackboneMixin, Recognizer3D):
    """mmaction2's ``Recognizer3D`` with ``freeze_backbone`` (R(2+1)D, I3D, ...)."""

    def __init__(self, freeze_backbone: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self._setup_freeze(freeze_backbone)


@MODELS.register_module()
class MGFreezableRecognizer2D(_FreezeBackboneMixin, Recognizer2D):
    """mmaction2's ``Recognizer2D`` with ``freeze_backbone`` (TSM, TSN)."""

    def __init__(self, freeze_backbone: bool = False, **kwargs) -> None:
        super().__init__(**kwargs)
        self._setup_freeze(freeze_backbone)


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name=['MGVisualTextRecognizerGCN', 'VisualTextRecognizerGCN'],
                        module=MGFreezableRecognizerGCN)
MODELS.register_module(name=['MGVisualTextRecognizer3D', 'VisualTextRecognizer3D'],
                        module=MGFreezableRecognizer3D)
MODELS.register_module(name=['MGVisualTextRecognizer2D', 'VisualTextRecognizer2D'],
                        module=MGFreezableRecognizer2D)
