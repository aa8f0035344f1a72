"""Find and name every MG in whole interview streams (online MG recognition).

The streams come from a converted streams pickle (``--streams STREAMS.pkl [--split xsub_test]``,
whose layout must be the model's) or straight from the release (``--skeleton-root`` with
``--ann labels.csv`` or ``--videos``: each video's OpenPose JSON is read whole and the model's
joints taken from it). Each stream goes through :func:`mmimigue.apis.stream_detection` (an online
model's overlapping windows, or a clip recognizer slid over it); the segments
``(start, end, class, score)`` of every video are written to ``--out`` (JSON, atomically). Where
the streams have MG intervals, the segment F1 at tIoU ``--iou`` (docs/online.md), mAP and
per-class TP / FP / FN are printed. Memory follows the longest stream, not the number of windows.

``--live`` (a causal model, ``configs/*/online_causal-gru_*``): every stream is fed to
:class:`mmimigue.apis.MGLiveDetector` one frame at a time, as a live source would; each MG is
printed when it is emitted, with its latency (frames from the MG's end to its report); the run
ends with ``live: N frames, X frames/s, latency p50 A max B frames, F1 kit K strict S`` and, with
``--offline-config/--offline-checkpoint``, the offline model's F1 on the same streams. An
exported causal detector (``tools/deployment/export_onnx.py``, a ``.onnx`` file in place of the
config) runs on onnxruntime and numpy only: the same events, torch imported only to score them.

Example::

    python tools/online_detect.py configs/imigue/online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d.py \\
        work_dirs/online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d/best_online_f1_epoch_30.pth \\
        --streams data/imigue/imigue_streams.pkl --split xsub_test --out det.json
    python tools/online_detect.py configs/imigue/online_causal-gru_1xb32-w128-30e_imigue-xsub-stream-2d.py \
        work_dirs/online_causal-gru_1xb32-w128-30e_imigue-xsub-stream-2d \
        --streams data/imigue/imigue_streams.pkl --split xsub_test --out live.json --live
"""
import argparse
import json
import os.path as osp
import sys
import time
from collections import Counter


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='online MG recognition over whole streams')
    p.add_argument('config', help='an online config (configs/*/online_*.py) or a clip model, '
                   'a training work dir (its saved config and best checkpoint), or with --live '
                   'an exported causal detector (.onnx: onnxruntime, no torch)')
    p.add_argument('checkpoint', nargs='?', help='the weights (not needed with a work dir)')
    p.add_argument('--streams', help='a converted streams pickle (convert.py --streams)')
    p.add_argument('--split', help='with --streams: the split to run (default: every stream)')
    p.add_argument('--skeleton-root', help='release OpenPose JSON folders per video')
    p.add_argument('--ann', help="with --skeleton-root: labels.csv (the videos to run and, "
                   "where present, their MGs)")
    p.add_argument('--videos', nargs='+', help='video ids to run (default: every video)')
    p.add_argument('--out', required=True, help='segments JSON')
    p.add_argument('--fps', type=float, default=25.0, help='for the times in the JSON')
    p.add_argument('--iou', type=float, default=0.5, help='tIoU of a true positive')
    p.add_argument('--window', type=int, default=64, help='window of a clip model')
    p.add_argument('--stride', type=int, default=16, help='window step of a clip model')
    p.add_argument('--device', default='cpu')
    p.add_argument('--live', action='store_true',
                   help='feed the frames one at a time to a causal model, print MGs as emitted')
    p.add_argument('--offline-config', help='with --live: an offline model (config or work '
                   'dir) to compare F1 with')
    p.add_argument('--offline-checkpoint', help='with a --offline-config file: its checkpoint')
    p.add_argument('--quiet-events', action='store_true', help='with --live: no line per MG')
    args = p.parse_args(argv)
    if args.offline_checkpoint and not args.offline_config:
        p.error('--offline-checkpoint goes with --offline-config')
    if args.config.endswith('.onnx') and not args.live:
        p.error('an exported .onnx model runs with --live (it is the causal detector)')
    if args.offline_config and not args.live:
        p.error('--offline-config compares with --live; run the offline model without --live')
    if bool(args.streams) == bool(args.skeleton_root):
        p.error('give --streams STREAMS.pkl or --skeleton-root DIR (with --ann or --videos)')
    if args.skeleton_root and not args.ann and not args.videos:
        p.error('with --skeleton-root give --ann labels.csv or --videos')
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    from mmimigue.apis import (
        CheckpointMismatchError,
        class_names_from_config,
        detect_stream,
        init_recognizer,
        resolve_work_dir,
    )
    from mmimigue.datasets.formats import ConversionError
    from mmimigue.datasets.stream_sources import release_streams, stored_streams
    from mmimigue.datasets.stream_store import stream_store_for
    from mmimigue.fileio import OutputError, OutputPlan, atomic_write
    inputs = [args.config, args.checkpoint, args.ann, args.streams,
              args.streams and stream_store_for(args.streams)]
    try:
        OutputPlan(inputs).add(args.out, '--out')
    except OutputError as e:
        sys.exit(f'online_detect: {e}')
    if args.config.endswith('.onnx'):  # an exported causal detector: onnxruntime, no torch
        model, make_live, names = None, *onnx_live(args.config)
    else:
        from mmimigue.registration import register_all_modules
        register_all_modules()
        from mmimigue.engine.threads import fit_threads
        fit_threads('online_detect')
        try:
            args.config, args.checkpoint = resolve_work_dir(args.config, args.checkpoint)
            model = init_recognizer(args.config, args.checkpoint, args.device)
        except (FileNotFoundError, CheckpointMismatchError) as e:
            sys.exit(f'online_detect: {e}')
    try:
        if args.offline_config:
            args.offline_config, args.offline_checkpoint = resolve_work_dir(
                args.offline_config, args.offline_checkpoint)
    except FileNotFoundError as e:
        sys.exit(f'online_detect: {e}')
    counts = Counter()
    try:
        source = (stored_streams(args.streams, args.split, args.videos) if args.streams else
                  release_streams(args.skeleton_root, args.ann, args.videos, counts))
    except (ConversionError, FileNotFoundError, KeyError, ValueError) as e:
        sys.exit(f'online_detect: {e}')
    if model is not None:
        make_live, names = None, None
        if args.live:
            if not hasattr(model, 'stream_step'):
                sys.exit(f'online_detect: --live needs a causal stream model (configs/*/online_'
                         f'causal-gru_*); {args.config} builds {type(model).__name__}')
            from mmimigue.apis import MGLiveDetector
            names = class_names_from_config(model.cfg, model.num_classes)

            def make_live(layout):
                return MGLiveDetector(model, layout, names)
    results, gts, frames_done, t0 = {}, {}, 0, time.time()
    live_events, live_time = {}, 0.0
    for i, item in enumerate(source):
        try:
            if args.live:
                events, seconds = run_live(make_live(item.layout), item, args.quiet_events)
                live_events[item.video_id], live_time = events, live_time + seconds
                results[item.video_id] = [(e['start'], e['end'], e['label'], e['score'])
                                          for e in events]
                out = dict(segments=results[item.video_id])
            else:
                out = detect_stream(model, item.frames, item.layout, args.window, args.stride,
                                    name=item.video_id)
        except ValueError as e:
            sys.exit(f'online_detect: {item.video_id}: {e}')
        names = names or class_names_from_config(model.cfg, out['frame_probs'].shape[1] - 1)
        results[item.video_id] = out['segments']
        if item.segments is not None:
            gts[item.video_id] = [tuple(int(x) for x in g) for g in item.segments]
        frames_done += len(item.frames)
        print(f'[online_detect] {i + 1}/{len(source)} {item.video_id}: {len(item.frames)} '
              f'frames, {len(out["segments"])} MG segments ({time.time() - t0:.0f}s, '
              f'{frames_done / max(time.time() - t0, 1e-9):.0f} frames/s)', flush=True)
    names = names or []
    out = dict(config=osp.abspath(args.config),
               checkpoint=args.checkpoint and osp.abspath(args.checkpoint),
               fps=args.fps, counts={k: int(v) for k, v in counts.items()},
               videos={v: [dict(start_frame=int(a), end_frame=int(b), start_time=a / args.fps,
                                end_time=(b + 1) / args.fps, label=int(c), name=names[c],
                                score=round(float(s), 4)) for a, b, c, s in segs]
                       for v, segs in results.items()})
    if gts:
        from mmimigue.evaluation.online_detection import online_report
        scores, lines = online_report(results, gts, args.iou, names)
        out['scores'] = scores
        print('\n'.join(lines))
    if args.live:
        for vid, events in live_events.items():
            for seg, e in zip(out['videos'][vid], events):
                seg['emitted_at_frame'] = int(e['emitted_at'])
        out['live'] = live_summary(live_events, gts, frames_done, live_time, args.iou,
                                   out.get('scores'))
        if args.offline_config:
            out['live']['offline'] = offline_scores(args, gts, names)
        print(out['live']['line'])
    atomic_write(args.out, json.dumps(out, indent=1))
    print(f'[online_detect] {len(results)} videos, {frames_done} frames in '
          f'{time.time() - t0:.1f}s -> {args.out}')
    return out


def onnx_live(path: str):
    """An exported causal detector: a function (stream layout -> a fresh live detector on
    onnxruntime) and its class names; torch is not imported."""
    from mmimigue.deployment.onnx_live import OnnxLiveDetector
    try:
        names = OnnxLiveDetector(path).class_names
    except (ImportError, ValueError) as e:
        sys.exit(f'online_detect: {path}: {e}')
    return (lambda layout: OnnxLiveDetector(path, layout)), names


def run_live(live, item, quiet: bool):
    """One stream through a live detector, one frame per push; returns the events and the
    seconds spent detecting (reading the stream is not counted)."""
    events, seconds = [], 0.0
    frames = item.frames
    for t in range(len(frames) + 1):
        t0 = time.perf_counter()
        new = live.push(frames[t]) if t < len(frames) else live.flush()
        seconds += time.perf_counter() - t0
        for e in new:
            if not quiet:
                print(f"[live] {item.video_id} frame {e['emitted_at']}: {e['name']} "
                      f"(frames {e['start']}-{e['end']}, score {e['score']:.2f}), latency "
                      f"{e['emitted_at'] - e['end']} frames", flush=True)
        events += new
    return events, seconds


def live_summary(events, gts, frames: int, seconds: float, iou: float, scores) -> dict:
    """The closing line's figures: frames/s of detection, latency of the events (emitted_at -
    end) and after the ground-truth MG's end, both F1s."""
    import numpy as np

    from mmimigue.evaluation.live_latency import latency_after_mg_end
    own = np.asarray([e['emitted_at'] - e['end'] for ev in events.values() for e in ev])
    after_gt = latency_after_mg_end(events, gts, iou) if gts else np.zeros(0)

    def stats(x):
        return dict(p50=float(np.median(x)), max=float(x.max()), n=int(len(x))) if len(x) \
            else dict(p50=None, max=None, n=0)

    res = dict(frames=int(frames), seconds=round(seconds, 3),
               frames_per_s=frames / max(seconds, 1e-9), latency=stats(own),
               latency_after_mg_end=stats(after_gt))
    line = (f"live: {frames} frames, {res['frames_per_s']:.0f} frames/s, latency p50 "
            f"{res['latency']['p50']} max {res['latency']['max']} frames")
    if scores:
        res['f1_kit'], res['f1'] = scores['kit']['f1'], scores['f1']
        line += f", F1 kit {scores['kit']['f1']:.3f} strict {scores['f1']:.3f}"
        line += (f"; found MGs reported p50 {res['latency_after_mg_end']['p50']} max "
                 f"{res['latency_after_mg_end']['max']} frames after their annotated end "
                 f"({res['latency_after_mg_end']['n']} MGs)")
    res['line'] = line
    return res


def offline_scores(args, gts, names) -> dict:
    """The offline model's F1 (kit and strict) on the same streams, printed beside the live."""
    from mmimigue.apis import detect_stream, init_recognizer
    from mmimigue.datasets.stream_sources import release_streams, stored_streams
    from mmimigue.evaluation.online_detection import online_report
    model = init_recognizer(args.offline_config, args.offline_checkpoint, args.device)
    source = (stored_streams(args.streams, args.split, args.videos) if args.streams else
              release_streams(args.skeleton_root, args.ann, args.videos, Counter()))
    preds = {}
    for item in source:
        preds[item.video_id] = detect_stream(model, item.frames, item.layout, args.window,
                                             args.stride, name=item.video_id)['segments']
    scores, _ = online_report(preds, gts, args.iou, names)
    print(f"offline {osp.basename(args.offline_config)}: F1 kit {scores['kit']['f1']:.3f} "
          f"strict {scores['f1']:.3f}")
    return dict(config=osp.abspath(args.offline_config), f1_kit=scores['kit']['f1'],
                f1=scores['f1'])


if __name__ == '__main__':
    main()
