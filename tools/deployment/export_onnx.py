"""Export a trained skeleton model to ONNX, checked against onnxruntime before it is written.

Usage::

    python tools/deployment/export_onnx.py CONFIG_OR_WORK_DIR [CHECKPOINT] --out model.onnx
        [--check-data ANN_OR_STREAMS.pkl] [--check-samples 8] [--cfg-options k=v ...]

Clip recognizers (ST-GCN, 2s-AGCN, STGCN++, GE-CN, the visual-text skeleton recognizer, the
dual-stream linear model) take one test clip ``skeleton`` (N, M, T, V, C) as the config's test
pipeline makes it and give class probabilities ``probs`` (N, K). The causal stream detector
(``configs/*/online_causal-gru_*``) takes frames in body units with its recurrent state as
inputs and outputs (``units``, ``last``, ``h`` -> ``probs``, ``starts``, ``last_out``,
``h_out``), so a live loop carries it (``mmimigue.deployment.onnx_live.OnnxLiveDetector``, no
torch). Class names, layout and kind are in the model's metadata.

onnxruntime is compared with torch on random inputs and, with ``--check-data``, on real clips
through the config's test pipeline (or real streams); the largest difference and the top-1
agreement are printed, and a model beyond the tolerance (5e-4 on probabilities) is not written.
Needs ``pip install -e .[deploy]`` (onnx, onnxruntime).
"""
import argparse
import sys


def parse_args(argv=None):
    from mmengine.config import DictAction
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config', help='a config, or a training work dir (its config and best '
                   'checkpoint)')
    p.add_argument('checkpoint', nargs='?', help='the weights (not needed with a work dir)')
    p.add_argument('--out', required=True, help='the .onnx file to write')
    p.add_argument('--check-data', help='real inputs for the parity check: the config\'s '
                   'annotation file (clip models) or a streams pickle (the causal detector)')
    p.add_argument('--check-samples', type=int, default=8, help='clips / streams checked')
    p.add_argument('--cfg-options', nargs='+', action=DictAction, default={})
    return p.parse_args(argv)


def real_clips(cfg, ann_file: str, n: int):
    """``n`` test clips (1, M, T, V, C) each through the config's test pipeline."""
    import numpy as np
    from mmaction.registry import DATASETS
    ds_cfg = cfg.test_dataloader.dataset.copy()
    ds_cfg.ann_file = ann_file
    dataset = DATASETS.build(ds_cfg)
    picks = np.linspace(0, len(dataset) - 1, min(n, len(dataset))).astype(int)
    clips = [dataset[int(i)]['inputs'].numpy()[:1] for i in picks]  # the first test clip
    return [np.concatenate(clips)]


def real_streams(streams_file: str, n: int, max_frames: int = 3000):
    """The first ``n`` streams of a streams pickle (at most ``max_frames`` frames each)."""
    from mmimigue.datasets.stream_sources import stored_streams
    out = []
    for item in stored_streams(streams_file, None, None):
        out.append(item.frames[:max_frames])
        if len(out) == n:
            break
    return out


def num_classes_of(model) -> int:
    """The MG classes of a stream detector, a clip recognizer or the dual-stream model."""
    heads = getattr(model, 'cls_heads', None)
    for obj in (model, getattr(model, 'cls_head', None),
                next(iter(heads.values())) if heads else None):
        if getattr(obj, 'num_classes', None):
            return int(obj.num_classes)
    raise ValueError(f'{type(model).__name__}: cannot tell its number of classes')


def main(argv=None) -> dict:
    args = parse_args(argv)
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError:
        sys.exit('export_onnx: onnx and onnxruntime are needed: pip install -e ".[deploy]"')
    from mmimigue.apis import class_names_from_config, init_recognizer, resolve_work_dir
    from mmimigue.deployment.onnx_export import ExportParityError, export_onnx, model_kind
    from mmimigue.fileio import OutputError, OutputPlan
    from mmimigue.registration import register_all_modules
    register_all_modules()
    try:
        config, checkpoint = resolve_work_dir(args.config, args.checkpoint)
        OutputPlan([config, checkpoint, args.check_data]).add(args.out, '--out')
        model = init_recognizer(config, checkpoint, cfg_options=args.cfg_options)
        kind = model_kind(model)
    except (FileNotFoundError, OutputError, TypeError) as e:
        sys.exit(f'export_onnx: {e}')
    names = class_names_from_config(model.cfg, num_classes_of(model))
    real = []
    if args.check_data:
        real = (real_streams(args.check_data, args.check_samples) if kind == 'causal' else
                real_clips(model.cfg, args.check_data, args.check_samples))
    try:
        result = export_onnx(model, args.out, names, cfg=model.cfg, real_inputs=real)
    except ExportParityError as e:
        sys.exit(f'export_onnx: {e}')
    for c in result['checks']:
        print(f"[export_onnx] {c['case']}: max |torch - onnxruntime| {c['max_abs_diff']:.2e}, "
              f"top-1 agreement {c['top1_agreement']:.3f}")
    print(f"[export_onnx] {kind} model -> {args.out} (max abs diff {result['max_abs_diff']:.2e}, "
          f"top-1 agreement {result['top1_agreement']:.3f})")
    return result


if __name__ == '__main__':
    main()
