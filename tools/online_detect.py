"""Find and name every MG in whole interview streams (online MG recognition).

The streams come from a converted streams pickle (``--streams STREAMS.pkl [--split xsub_test]``,
whose layout must be the model's) or straight from the release (``--skeleton-root`` with
``--ann labels.csv`` or ``--videos``: each video's OpenPose JSON is read whole and the model's
joints taken from it). Each stream goes through :func:`mmimigue.apis.stream_detection` (an online
model's overlapping windows, or a clip recognizer slid over it); the segments
``(start, end, class, score)`` of every video are written to ``--out`` (JSON, atomically). Where
the streams have MG intervals, the segment F1 at tIoU ``--iou`` (docs/online.md), mAP and
per-class TP / FP / FN are printed. Memory follows the longest stream, not the number of windows.

Example::

    python tools/online_detect.py configs/imigue/online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d.py \\
        work_dirs/online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d/best_online_f1_epoch_30.pth \\
        --streams data/imigue/imigue_streams.pkl --split xsub_test --out det.json
"""
import argparse
import json
import os.path as osp
import sys
import time
from collections import Counter


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='online MG recognition over whole streams')
    p.add_argument('config', help='an online config (configs/*/online_*.py) or a clip model')
    p.add_argument('checkpoint')
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
    args = p.parse_args(argv)
    if bool(args.streams) == bool(args.skeleton_root):
        p.error('give --streams STREAMS.pkl or --skeleton-root DIR (with --ann or --videos)')
    if args.skeleton_root and not args.ann and not args.videos:
        p.error('with --skeleton-root give --ann labels.csv or --videos')
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    from mmimigue.apis import CheckpointMismatchError, class_names_from_config, detect_stream, init_recognizer
    from mmimigue.datasets.formats import ConversionError
    from mmimigue.datasets.stream_sources import release_streams, stored_streams
    from mmimigue.datasets.stream_store import stream_store_for
    from mmimigue.evaluation.online_detection import online_report
    from mmimigue.fileio import OutputError, OutputPlan, atomic_write
    from mmimigue.registration import register_all_modules
    inputs = [args.config, args.checkpoint, args.ann, args.streams,
              args.streams and stream_store_for(args.streams)]
    try:
        OutputPlan(inputs).add(args.out, '--out')
    except OutputError as e:
        sys.exit(f'online_detect: {e}')
    register_all_modules()
    from mmimigue.engine.threads import fit_threads
    fit_threads('online_detect')
    try:
        model = init_recognizer(args.config, args.checkpoint, args.device)
    except (FileNotFoundError, CheckpointMismatchError) as e:
        sys.exit(f'online_detect: {e}')
    counts = Counter()
    try:
        source = (stored_streams(args.streams, args.split, args.videos) if args.streams else
                  release_streams(args.skeleton_root, args.ann, args.videos, counts))
    except (ConversionError, FileNotFoundError, KeyError, ValueError) as e:
        sys.exit(f'online_detect: {e}')
    results, gts, frames_done, t0 = {}, {}, 0, time.time()
    names = None
    for i, item in enumerate(source):
        try:
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
    out = dict(config=osp.abspath(args.config), checkpoint=osp.abspath(args.checkpoint),
               fps=args.fps, counts={k: int(v) for k, v in counts.items()},
               videos={v: [dict(start_frame=int(a), end_frame=int(b), start_time=a / args.fps,
                                end_time=(b + 1) / args.fps, label=int(c), name=names[c],
                                score=round(float(s), 4)) for a, b, c, s in segs]
                       for v, segs in results.items()})
    if gts:
        scores, lines = online_report(results, gts, args.iou, names)
        out['scores'] = scores
        print('\n'.join(lines))
    atomic_write(args.out, json.dumps(out, indent=1))
    print(f'[online_detect] {len(results)} videos, {frames_done} frames in '
          f'{time.time() - t0:.1f}s -> {args.out}')
    return out


if __name__ == '__main__':
    main()
