"""Clip scores and probabilities of a recognizer, and the pooled feature before its head."""
import copy
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch

from ..evaluation.fusion import to_probability  # noqa: F401  (part of this module's API)


def view_mean_score(sample) -> np.ndarray:
    """A data sample's class scores averaged over its test views, float32 (K,)."""
    score = sample.pred_score.detach().float().cpu().numpy()
    return score.reshape(-1, score.shape[-1]).mean(0)


def clip_scores(model: torch.nn.Module, pipeline_cfg: List[Dict], clips: Sequence[Dict],
                batch_size: int = 16) -> np.ndarray:
    """Class scores (N, K) of in-memory clips run through a test pipeline (views averaged).

    Args:
        model: A recognizer in eval mode.
        pipeline_cfg (list[dict]): Test pipeline without file-loading steps.
        clips (Sequence[dict]): Clips of the annotation schema (``keypoint`` etc.).
        batch_size (int): Clips per forward pass.
    """
    from mmengine.dataset import Compose, pseudo_collate
    pipeline = Compose(pipeline_cfg)
    out = []
    with torch.no_grad():
        for i in range(0, len(clips), batch_size):
            batch = pseudo_collate([pipeline(copy.deepcopy(c)) for c in clips[i:i + batch_size]])
            out += [view_mean_score(s) for s in model.test_step(batch)]
    return np.stack(out) if out else np.zeros((0, 0), np.float32)


def feature_source(model: torch.nn.Module, name: str = 'auto') -> Tuple[torch.nn.Module, bool]:
    """``(module, use_output)`` for :class:`FeatureCatcher`: with ``'auto'``, a visual-text head
    gives its visual embedding (the output of ``visual_proj`` on the pooled clip, the ``v``
    its similarities use); any other model the input of its head's last linear layer
    (:func:`find_feature_layer`)."""
    head = getattr(model, 'cls_head', None)
    if name == 'auto' and isinstance(getattr(head, 'visual_proj', None), torch.nn.Module):
        return head.visual_proj, True
    return find_feature_layer(model, name), False


def find_feature_layer(model: torch.nn.Module, name: str = 'auto') -> torch.nn.Module:
    """The module whose input is the pooled clip feature.

    ``'auto'`` picks ``cls_head.fc_cls`` / ``cls_head.fc`` when they are linear layers, else the
    last ``nn.Linear`` inside ``cls_head``.

    Raises:
        ValueError: if ``name`` is not a module of the model or no linear layer is found.
    """
    modules = dict(model.named_modules())
    if name != 'auto':
        if name not in modules:
            raise ValueError(f'--feature-layer {name!r} is not a module of the model; some '
                             f'choices: {[n for n in modules if n.startswith("cls_head")][:10]}')
        return modules[name]
    head = getattr(model, 'cls_head', None)
    if head is None:
        raise ValueError('the model has no cls_head; pass --feature-layer MODULE_NAME')
    for attr in ('fc_cls', 'fc'):
        if isinstance(getattr(head, attr, None), torch.nn.Linear):
            return getattr(head, attr)
    linears = [m for m in head.modules() if isinstance(m, torch.nn.Linear)]
    if not linears:
        raise ValueError('no nn.Linear in cls_head; pass --feature-layer MODULE_NAME')
    return linears[-1]


class FeatureCatcher:
    """Records the (flattened) input of a module, or with ``use_output`` its 2-D outputs (the
    visual-text heads call their projection on the pooled clip and on each token; the pooled
    call is the 2-D one)."""

    def __init__(self, module: torch.nn.Module, use_output: bool = False) -> None:
        self.batches: List[torch.Tensor] = []
        self.handle = (module.register_forward_hook(self._out_hook) if use_output else
                       module.register_forward_pre_hook(self._hook))

    def _hook(self, module: torch.nn.Module, args: tuple) -> None:
        x = args[0]
        self.batches.append(x.detach().flatten(1).float().cpu())

    def _out_hook(self, module: torch.nn.Module, args: tuple, out: torch.Tensor) -> None:
        if out.dim() == 2:
            self.batches.append(out.detach().float().cpu())

    def pop(self, num_samples: int) -> np.ndarray:
        """Features of the last ``num_samples`` samples, averaged over views / segments."""
        if not self.batches:
            raise RuntimeError('the feature layer was not called; pass --feature-layer')
        feats = torch.cat(self.batches)
        self.batches = []
        if feats.shape[0] % num_samples:
            raise RuntimeError(f'feature batch {feats.shape[0]} is not a multiple of the '
                               f'{num_samples} samples; pass --feature-layer')
        return feats.view(num_samples, -1, feats.shape[-1]).mean(1).numpy()
