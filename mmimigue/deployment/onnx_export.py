"""ONNX export of the project's skeleton models, checked against onnxruntime before it is written.

Two kinds of graph:

* ``clip``: a clip recognizer (ST-GCN, 2s-AGCN, STGCN++, GE-CN, the visual-text skeleton
  recognizer, the dual-stream linear model): input ``skeleton`` (N, M, T, V, C), the tensor the
  config's test pipeline makes for one clip (``PackActionInputs`` without the clip axis), output
  ``probs`` (N, K) class probabilities (softmax of the class scores; the dual-stream model's
  fused sum). The pipeline's normalisation is numpy (``mmimigue.skeleton``) and stays outside.
* ``causal``: the live detector (:class:`~mmimigue.models.online.MGCausalStreamDetector`), one
  step over ``units`` (1, T, V, D) frames already in body units
  (:func:`mmimigue.skeleton.layout_body_units` on each frame, numpy), with its recurrent state
  as explicit inputs / outputs: ``last`` (1, V, D) the previous frame and ``h`` (L, 1, H) the GRU
  state -> ``probs`` (T, K + 1), ``starts`` (T,), ``last_out``, ``h_out``. A live loop carries
  ``last_out`` / ``h_out`` into the next call (:mod:`mmimigue.deployment.onnx_live`).

Every export runs onnxruntime beside torch on random inputs and on real-shaped inputs (several
lengths); a model whose outputs differ by more than :data:`TOLERANCE` is not written. The class
names, the layout, the kind and (causal) the segmenter settings go into the model's metadata.
"""
import json
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from ..fileio import atomic_output
from ..version import __version__

#: Largest accepted |torch - onnxruntime| of a probability: float32 kernels differ by about
#: 1e-5 on wide recurrent models with peaked outputs; 5e-4 never turns a clear decision.
TOLERANCE = 5e-4
OPSET = 17


class ExportParityError(RuntimeError):
    """onnxruntime's outputs differ from torch's beyond :data:`TOLERANCE`."""


class ClipProbs(nn.Module):
    """(N, M, T, V, C) skeleton clips -> (N, K) class probabilities of a clip recognizer."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, skeleton: torch.Tensor) -> torch.Tensor:
        if hasattr(self.model, 'stream_scores'):  # the dual-stream linear model: fused softmax
            return self.model.stream_scores(skeleton)['fused']
        scores, _ = self.model.extract_feat(skeleton[:, None], stage='head')
        return F.softmax(scores, dim=1)


class CausalStep(nn.Module):
    """One step of a causal stream detector with its state as tensors."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, units, last, h):
        logits, bound, state = self.model._heads(units, dict(last=last, h=h))
        return (logits[0].softmax(-1), bound[0, :, 0].sigmoid(), state['last'], state['h'])


def model_kind(model: nn.Module) -> str:
    """``'causal'`` for a causal stream detector, ``'clip'`` for a clip recognizer; anything
    else is refused with what can be exported."""
    if hasattr(model, 'stream_step'):
        return 'causal'
    if hasattr(model, 'stream_scores') or hasattr(model, 'extract_feat') and \
            hasattr(model, 'cls_head') and model.cls_head is not None:
        return 'clip'
    raise TypeError(f'{type(model).__name__} cannot be exported: skeleton clip recognizers '
                    '(RecognizerGCN and its variants, MGDualStreamRecognizer) and the causal '
                    'stream detector (MGCausalStreamDetector) can')


def clip_input_shape(model: nn.Module, cfg) -> Tuple[int, int, int, int]:
    """(M, T, V, C) of one test clip, read from the config's test pipeline and model."""
    pipeline = (cfg.get('test_dataloader') or cfg.val_dataloader).dataset.pipeline
    frames = next((int(t['clip_len']) for t in pipeline if 'clip_len' in t), 64)
    persons = next((int(t['num_person']) for t in pipeline if t.get('type') == 'FormatGCNInput'
                    and 'num_person' in t), 1)
    backbone = getattr(model, 'backbone', None) or next(iter(model.backbones.values()))
    joints = backbone.graph.num_node if hasattr(backbone, 'graph') else int(
        getattr(backbone, 'num_joints', 22))
    channels = int(getattr(backbone, 'in_channels', 2))
    return persons, frames, joints, channels


def _session(path: str):
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    return ort.InferenceSession(path, opts, providers=['CPUExecutionProvider'])


def _compare(torch_out: Sequence[np.ndarray], ort_out: Sequence[np.ndarray], what: str,
             names: Sequence[str]) -> Dict:
    worst, agree = 0.0, 1.0
    for name, a, b in zip(names, torch_out, ort_out):
        diff = float(np.abs(a - b).max()) if a.size else 0.0
        worst = max(worst, diff)
        if name == 'probs' and a.size:
            agree = min(agree, float((a.argmax(-1) == b.argmax(-1)).mean()))
    return dict(case=what, max_abs_diff=worst, top1_agreement=agree)


def _export(module: nn.Module, args: Tuple, path: str, input_names: List[str],
            output_names: List[str], dynamic_axes: Dict) -> None:
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # the exporter's notes on RNN batch sizes
        torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, dynamo=False)


def _write_metadata(path: str, meta: Dict[str, str]) -> None:
    import onnx
    proto = onnx.load(path)
    for key, value in meta.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(proto, path)


def read_metadata(path: str) -> Dict[str, object]:
    """The metadata an export wrote (JSON values decoded), read without onnx or torch."""
    sess = _session(path)
    raw = sess.get_modelmeta().custom_metadata_map
    return {k: json.loads(v) for k, v in raw.items()}


def export_onnx(model: nn.Module, out_file: str, class_names: Sequence[str],
                cfg=None, seed: int = 0, real_inputs: Optional[List[np.ndarray]] = None
                ) -> Dict:
    """Export ``model`` (eval mode) to ``out_file`` after the onnxruntime parity check.

    Args:
        model: A clip recognizer or a causal stream detector (see the module docstring).
        out_file (str): The ``.onnx`` file, written atomically and only when parity holds.
        class_names (Sequence[str]): Stored in the metadata.
        cfg: The model's config (a clip recognizer's input shape comes from its test pipeline).
        seed (int): Seed of the random check inputs.
        real_inputs (list, optional): Extra check inputs: clips (N, M, T, V, C) for a clip
            recognizer, raw streams (T, V, C) for a causal detector.

    Returns:
        dict: ``kind``, ``checks`` (per case: ``max_abs_diff``, ``top1_agreement``),
        ``max_abs_diff``, ``top1_agreement`` and ``metadata``.

    Raises:
        ExportParityError: onnxruntime differs from torch by more than :data:`TOLERANCE`
            (nothing is written).
    """
    model = model.eval()
    kind = model_kind(model)
    gen = torch.Generator().manual_seed(seed)
    meta = dict(kind=kind, class_names=list(class_names), mmimigue_version=__version__)
    with atomic_output(out_file) as tmp, torch.no_grad():
        if kind == 'clip':
            checks = _export_clip(model, tmp, cfg, gen, real_inputs or [], meta)
        else:
            checks = _export_causal(model, tmp, gen, real_inputs or [], meta)
        worst = max(c['max_abs_diff'] for c in checks)
        agree = min(c['top1_agreement'] for c in checks)
        if worst > TOLERANCE:
            raise ExportParityError(
                f'onnxruntime differs from torch by {worst:.2e} (> {TOLERANCE:.0e}) in '
                f'{[c["case"] for c in checks if c["max_abs_diff"] > TOLERANCE]}; '
                f'{out_file} was not written')
        _write_metadata(tmp, {k: json.dumps(v) for k, v in meta.items()})
    return dict(kind=kind, checks=checks, max_abs_diff=worst, top1_agreement=agree,
                metadata=meta)


def _export_clip(model, path, cfg, gen, real_inputs, meta) -> List[Dict]:
    if cfg is None:
        raise ValueError('a clip recognizer needs its config (for the test clip shape)')
    m, t, v, c = clip_input_shape(model, cfg)
    wrapper = ClipProbs(model).eval()
    example = torch.randn(2, m, t, v, c, generator=gen)
    _export(wrapper, (example,), path, ['skeleton'], ['probs'],
            {'skeleton': {0: 'batch', 2: 'frames'}, 'probs': {0: 'batch'}})
    meta.update(input='skeleton (N, M, T, V, C): one test clip of the config pipeline',
                input_shape=[m, t, v, c], layout=_layout_of(cfg))
    sess = _session(path)
    cases = [('random', torch.randn(4, m, t, v, c, generator=gen))]
    cases += [(f'real {i}', torch.as_tensor(np.asarray(x, np.float32)))
              for i, x in enumerate(real_inputs)]
    checks = []
    for what, x in cases:
        ref = wrapper(x).numpy()
        out = sess.run(['probs'], {'skeleton': x.numpy()})
        checks.append(_compare([ref], out, what, ['probs']))
    return checks


def _layout_of(cfg) -> Optional[str]:
    try:
        from ..apis.sliding_window import skeleton_test_pipeline
        return skeleton_test_pipeline(cfg)[1]
    except Exception:  # a config without a skeleton test pipeline: no layout recorded
        return None


def _export_causal(model, path, gen, real_inputs, meta) -> List[Dict]:
    v, d = model.layout.num_node, model.layout.dims
    layers, hidden = model.gru.num_layers, model.gru.hidden_size
    wrapper = CausalStep(model).eval()
    example = (torch.randn(1, 8, v, d, generator=gen), torch.randn(1, v, d, generator=gen),
               torch.zeros(layers, 1, hidden))
    names_in, names_out = ['units', 'last', 'h'], ['probs', 'starts', 'last_out', 'h_out']
    _export(wrapper, example, path, names_in, names_out,
            {'units': {1: 'frames'}, 'probs': {0: 'frames'}, 'starts': {0: 'frames'}})
    meta.update(input='units (1, T, V, D): frames in body units, each normalised on its own',
                layout=model.layout.name, num_layers=layers, hidden=hidden,
                postprocess=dict(model.postprocess), background=model.background)
    sess = _session(path)
    checks = []
    for what, (units, last, h) in _causal_cases(model, gen, real_inputs, layers, hidden):
        ref = [x.numpy() for x in wrapper(units, last, h)]
        out = sess.run(names_out, dict(units=units.numpy(), last=last.numpy(), h=h.numpy()))
        checks.append(_compare(ref, out, what, names_out))
    return checks


def _causal_cases(model, gen, real_inputs, layers, hidden):
    v, d = model.layout.num_node, model.layout.dims
    for t in (1, 5, 64):  # one live frame, a few, a long chunk; a carried state
        yield (f'random, {t} frame(s)', (torch.randn(1, t, v, d, generator=gen),
                                         torch.randn(1, v, d, generator=gen),
                                         torch.randn(layers, 1, hidden, generator=gen) * 0.5))
    for i, raw in enumerate(real_inputs):
        units = model.body_units(torch.as_tensor(np.asarray(raw, np.float32))[None])
        yield (f'real stream {i}, {units.shape[1]} frames',
               (units, units[:, 0], torch.zeros(layers, 1, hidden)))
