"""Linear evaluation / inference of several skeleton streams fused by the sum of softmax scores."""
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.logging import print_log
from mmengine.runner.checkpoint import CheckpointLoader

from ..mode_dispatch_model import ModeDispatchModel
from ..necks.skeleton_pool import skeleton_global_pool

# The streams were called joint / sequence before they took the paper's names; checkpoints
# saved then still load into spatial / temporal streams.
LEGACY_STREAM_NAMES = {'spatial': 'joint', 'temporal': 'sequence'}


def _stream_state(state: Dict[str, torch.Tensor], name: str,
                  path: str) -> Tuple[str, Dict[str, torch.Tensor]]:
    """Pick the query-backbone weights of stream ``name`` out of a checkpoint's state dict.

    Recognised layouts, tried in order: ``streams.<name>.backbone.*`` (:class:`MGDualStreamMoCo`),
    ``backbones.<name>.*`` (:class:`MGDualStreamRecognizer`), both also under the stream's legacy
    name (``joint`` / ``sequence``), and ``backbone.*`` (single-stream
    :class:`MGSkeletonMoCo` or any mmaction2 recognizer). Projection necks, key encoders and queues
    are left out on purpose (the paper drops the projection head for linear evaluation).
    Returns the matched prefix and the weights with the prefix stripped.
    """
    names = (name, ) + ((LEGACY_STREAM_NAMES[name], ) if name in LEGACY_STREAM_NAMES else ())
    prefixes = [p for n in names for p in (f'streams.{n}.backbone.', f'backbones.{n}.')]
    for prefix in prefixes + ['backbone.']:
        sub = {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}
        if sub:
            return prefix, sub
    tops = sorted({'.'.join(k.split('.')[:2]) for k in state})[:20]
    raise KeyError(
        f'{path}: no backbone weights for stream "{name}": expected keys starting with '
        f'"streams.{name}.backbone.", "backbones.{name}." or "backbone."; the checkpoint has '
        f'{tops}. Name the linear streams like the pretraining streams, or pass '
        f'pretrained=dict({name}=PATH) with a checkpoint that holds this stream.')


@MODELS.register_module()
class MGDualStreamRecognizer(ModeDispatchModel):
    """Per-stream backbone + classification head; prediction fuses the streams' softmax scores.

    The "Temporal-Spatial-Balanced Dual-Stream Fusion" of the dual-stream paper (sec. 4.2.4): each
    stream (e.g. the GCN ``spatial`` stream and the MGBiGRU ``temporal`` stream) has its own classifier,
    the softmax scores are computed per stream and summed (``fusion_weights`` scale them, default
    1 each). For linear evaluation the backbones are configured frozen (``frozen_stages`` covering
    every stage and ``norm_eval=True``) and the heads are linear (mmaction2's ``GCNHead``).

    Training sums the per-stream cross-entropy losses (logged as ``<name>_loss_cls``). Prediction
    sets ``pred_score`` to a dict ``{<name>: softmax, ..., 'fused': sum}`` (clip scores averaged as
    softmax probabilities), which mmaction2's ``AccMetric`` reports as ``acc/<name>_top1``,
    ``acc/fused_top1`` etc.; ``pred_label`` is the fused argmax. ``mode='tensor'`` returns pooled
    backbone features per stream, for :class:`MGKNNEvalHook`.

    Args:
        streams (dict[str, dict]): Stream name -> ``dict(backbone=..., cls_head=...)``.
        pretrained (str | dict[str, str], optional): Pretraining checkpoint for every stream, or
            a dict stream name -> checkpoint (other streams keep their random initialisation). The
            query-backbone weights are loaded in :meth:`init_weights`; missing or unexpected keys
            raise an error naming them. Defaults to None (random initialisation).
        fusion_weights (dict[str, float], optional): Weight of each stream's softmax in the fused
            score. Defaults to 1 each (the paper's plain sum).
        data_preprocessor (dict, optional): Defaults to ``ActionDataPreprocessor``.
        init_cfg (dict or list[dict], optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 streams: Dict[str, Dict],
                 pretrained: Optional[Union[str, Dict[str, str]]] = None,
                 fusion_weights: Optional[Dict[str, float]] = None,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if not streams:
            raise ValueError('MGDualStreamRecognizer needs at least one stream in `streams`')
        if 'fused' in streams:
            raise ValueError('MGDualStreamRecognizer: "fused" is reserved for the fused score')
        backbones, heads = {}, {}
        for name, cfg in streams.items():
            if 'backbone' not in cfg or 'cls_head' not in cfg:
                raise ValueError(f'MGDualStreamRecognizer: stream "{name}" needs both backbone and '
                                 f'cls_head, got keys {sorted(cfg)}')
            backbones[name] = MODELS.build(cfg['backbone'])
            heads[name] = MODELS.build(cfg['cls_head'])
        self.backbones = nn.ModuleDict(backbones)
        self.cls_heads = nn.ModuleDict(heads)
        fusion_weights = dict(fusion_weights or {})
        unknown = set(fusion_weights) - set(streams)
        if unknown:
            raise ValueError(f'MGDualStreamRecognizer: fusion_weights names unknown streams '
                             f'{sorted(unknown)}; streams are {list(streams)}')
        self.fusion_weights = {n: float(fusion_weights.get(n, 1.)) for n in streams}
        if isinstance(pretrained, dict):
            unknown = set(pretrained) - set(streams)
            if unknown:
                raise ValueError(f'MGDualStreamRecognizer: pretrained names unknown streams '
                                 f'{sorted(unknown)}; streams are {list(streams)}')
        self.pretrained = pretrained

    # ------------------------------------------------------------------ weights
    def init_weights(self) -> None:
        """Initialise every module, then load the pretrained backbones (if any)."""
        super().init_weights()
        if self.pretrained:
            self.load_pretrained(self.pretrained)

    def load_pretrained(self, pretrained: Union[str, Dict[str, str]]) -> None:
        """Load query-backbone weights from pretraining checkpoints, refusing partial matches.

        Raises:
            KeyError: the checkpoint has no weights for a stream.
            RuntimeError: the stream's weights miss keys, have extra keys or other shapes.
        """
        if isinstance(pretrained, dict):
            paths = pretrained
        else:
            paths = {n: pretrained for n in self.backbones}
        for name, path in paths.items():
            ckpt = CheckpointLoader.load_checkpoint(path, map_location='cpu')
            state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else ckpt
            state = {k[7:] if k.startswith('module.') else k: v for k, v in state.items()}
            prefix, sub = _stream_state(state, name, path)
            backbone = self.backbones[name]
            own = backbone.state_dict()
            missing = sorted(set(own) - set(sub))
            unexpected = sorted(set(sub) - set(own))
            shapes = sorted(k for k in set(own) & set(sub) if own[k].shape != sub[k].shape)
            if missing or unexpected or shapes:
                mismatch = [(k, tuple(sub[k].shape), tuple(own[k].shape)) for k in shapes[:8]]
                raise RuntimeError(
                    f'{path}: weights under "{prefix}" do not fit the "{name}" backbone '
                    f'({type(backbone).__name__}): missing {missing[:8]}'
                    f'{"..." if len(missing) > 8 else ""}, unexpected {unexpected[:8]}'
                    f'{"..." if len(unexpected) > 8 else ""}, shape mismatch {mismatch}. '
                    'Build the linear backbone with the same settings as in pretraining.')
            backbone.load_state_dict(sub, strict=True)
            print_log(f'MGDualStreamRecognizer: stream "{name}" loaded {len(sub)} tensors from '
                      f'{path} ("{prefix}*")', logger='current')
        random = [n for n in self.backbones if n not in paths]
        if random:
            print_log(f'MGDualStreamRecognizer: streams {random} keep their random initialisation',
                      logger='current')

    # ------------------------------------------------------------------ forward
    @staticmethod
    def _flatten_clips(inputs: torch.Tensor):
        if inputs.dim() == 6:
            n, nc = inputs.shape[:2]
            return inputs.flatten(0, 1), n, nc
        if inputs.dim() == 5:
            return inputs, inputs.shape[0], 1
        raise ValueError('MGDualStreamRecognizer expects skeletons shaped (N, num_clips, M, T, V, C) '
                         f'or (N, M, T, V, C), got {tuple(inputs.shape)}')

    def extract_feat(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Backbone features of every stream for ``(N * num_clips, ...)`` inputs."""
        x, _, _ = self._flatten_clips(inputs)
        return {name: backbone(x) for name, backbone in self.backbones.items()}

    def loss(self, inputs: torch.Tensor, data_samples: list) -> Dict[str, torch.Tensor]:
        """Sum of the per-stream classification losses (every value prefixed by the stream)."""
        losses = {}
        for name, feats in self.extract_feat(inputs).items():
            for key, value in self.cls_heads[name].loss(feats, data_samples).items():
                losses[f'{name}_{key}'] = value
        return losses

    def stream_scores(self, inputs: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Per-stream softmax scores ``(N, num_classes)`` (clips averaged) and weighted sum."""
        _, n, nc = self._flatten_clips(inputs)
        scores = {}
        for name, feats in self.extract_feat(inputs).items():
            logits = self.cls_heads[name](feats)
            scores[name] = F.softmax(logits.float(), dim=1).view(n, nc, -1).mean(dim=1)
        scores['fused'] = sum(self.fusion_weights[name] * scores[name] for name in self.backbones)
        return scores

    def predict(self, inputs: torch.Tensor, data_samples: list) -> list:
        """Attach ``pred_score = {stream: softmax, 'fused': sum}`` and the fused ``pred_label``."""
        scores = self.stream_scores(inputs)
        labels = scores['fused'].argmax(dim=1, keepdim=True)
        for i, sample in enumerate(data_samples):
            sample.set_pred_score({name: s[i].detach() for name, s in scores.items()})
            sample.set_pred_label(labels[i])
        return data_samples

    def forward_tensor(self, inputs: torch.Tensor, data_samples: Optional[list] = None,
                       **kwargs) -> Dict[str, torch.Tensor]:
        """Pooled features of every stream, averaged over the clips of a sample."""
        _, n, nc = self._flatten_clips(inputs)
        return {name: skeleton_global_pool(f).view(n, nc, -1).mean(dim=1)
                for name, f in self.extract_feat(inputs).items()}


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='DualStreamRecognizer', module=MGDualStreamRecognizer)
