"""Spatial + temporal MoCo streams pretrained side by side on the same clips (sec. 4.2.4)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
from mmaction.registry import MODELS

from ..mode_dispatch_model import ModeDispatchModel


@MODELS.register_module()
class MGDualStreamMoCo(ModeDispatchModel):
    """Independent MoCo streams (the paper's GCN ``spatial`` and MGBiGRU ``temporal`` stream) side by side.

    Each stream is a full :class:`MGSkeletonMoCo` (own encoders, projection head, queue and momentum
    encoder); all consume the same two-view skeleton batch ``(N, 2, M, T, V, C)``. The training loss
    is the weighted sum of the streams' InfoNCE losses; every logged value is prefixed by the stream
    name (``spatial_loss_nce``, ``spatial_pos_sim``, ``temporal_queue_fill`` ...).

    Checkpoint keys are ``streams.<name>.backbone.*`` for the query encoders, which is what
    :class:`MGDualStreamRecognizer` loads for linear evaluation.

    Args:
        streams (dict[str, dict]): Stream name -> ``MGSkeletonMoCo`` config (``type`` may be omitted).
        loss_weights (dict[str, float], optional): Per-stream loss weights. Defaults to 1 each.
        data_preprocessor (dict, optional): Defaults to ``ActionDataPreprocessor``.
        init_cfg (dict or list[dict], optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 streams: Dict[str, Dict],
                 loss_weights: Optional[Dict[str, float]] = None,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if not streams:
            raise ValueError('MGDualStreamMoCo needs at least one stream in `streams`')
        built = {}
        for name, cfg in streams.items():
            cfg = dict(cfg)
            cfg.setdefault('type', 'MGSkeletonMoCo')
            built[name] = MODELS.build(cfg)
        self.streams = nn.ModuleDict(built)
        loss_weights = dict(loss_weights or {})
        unknown = set(loss_weights) - set(streams)
        if unknown:
            raise ValueError(f'MGDualStreamMoCo: loss_weights names unknown streams '
                             f'{sorted(unknown)}; streams are {list(streams)}')
        self.loss_weights = {name: float(loss_weights.get(name, 1.)) for name in streams}

    def loss(self, inputs: torch.Tensor, data_samples=None) -> Dict[str, torch.Tensor]:
        """One MoCo step per stream; returns the prefixed logs of every stream."""
        losses = {}
        for name, stream in self.streams.items():
            for key, value in stream.loss(inputs, data_samples).items():
                if 'loss' in key:
                    value = value * self.loss_weights[name]
                losses[f'{name}_{key}'] = value
        return losses

    def extract_feat(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Pooled query-backbone features of every stream: ``{name: (N, C_name)}``."""
        return {name: stream.extract_feat(inputs) for name, stream in self.streams.items()}


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='DualStreamMoCo', module=MGDualStreamMoCo)
