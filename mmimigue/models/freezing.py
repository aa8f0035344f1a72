"""The one freezing mechanism of mmimigue's models.

A module lists what is frozen (:meth:`FreezeMixin.frozen_modules`: no gradients, kept in eval
mode so BatchNorm statistics and dropout stay put; :meth:`FreezeMixin.frozen_parameters`: no
gradients only, for parameters that share a module with trainable ones, like the layers of one
``nn.GRU``); the mixin applies it at construction and after every ``train()``, and
``norm_eval=True`` keeps every BatchNorm in eval mode while the rest trains. Parameter names
never change, so checkpoints load across frozen and unfrozen models.
"""
from typing import List

import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm


class FreezeMixin:
    """Mix in before an ``nn.Module`` class; call :meth:`apply_freezing` at the end of
    ``__init__``."""

    norm_eval: bool = False

    def frozen_modules(self) -> List[nn.Module]:
        """Submodules frozen whole (no gradients, eval mode)."""
        return []

    def frozen_parameters(self) -> List[nn.Parameter]:
        """Further parameters without gradients (their module keeps its mode)."""
        return []

    def apply_freezing(self) -> None:
        """Turn gradients off for what is frozen and put frozen modules in eval mode."""
        for m in self.frozen_modules():
            m.eval()
            for p in m.parameters():
                p.requires_grad_(False)
        for p in self.frozen_parameters():
            p.requires_grad_(False)

    def train(self, mode: bool = True):
        """Set train mode, keeping frozen modules (and BN when ``norm_eval``) in eval mode."""
        super().train(mode)
        self.apply_freezing()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self
