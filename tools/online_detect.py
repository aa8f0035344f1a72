"""Find and name every MG in whole interview streams (online MG recognition).

Reads each video's OpenPose JSON stream (``--skeleton-root/<video_id>/``) in chunks, runs an
online model (``configs/*/online_*.py``) over it in overlapping windows, and writes the segments
``(start, end, class, score)`` of every video to ``--out`` (JSON, written atomically). Videos are
those of ``--ann`` (the release's labels.csv) or ``--videos``; where the csv has MG intervals
the segment F1 at tIoU ``--iou`` (docs/online.md), mAP and per-class TP / FP / FN are printed.
Memory follows the longest stream (its frames and (T, K + 1) probabilities), not the number of
windows.

Example::

    python tools/online_detect.py configs/imigue/online_bigru_temporal.py \\
        work_dirs/online_bigru_temporal/best_online_f1_epoch_30.pth \\
        --ann data/imigue/labels.csv --skeleton-root data/imigue/skeleton --out det.json
"""
import argparse
import json
import os.path as osp
import sys
import time
from collections import Counter, defaultdict

import torch


def parse_args(argv=None):
    p = argparse.ArgumentParser(description='online MG recognition over whole streams')
    p.add_argument('config', help='an online config (configs/imigue/online_*.py)')
    p.add_argument('checkpoint')
    p.add_argument('--ann', help="labels.csv: the videos to run and, where present, their MGs")
    p.add_argument('--videos', nargs='+', help='video ids to run (default: every video of --ann)')
    p.add_argument('--skeleton-root', required=True, help='OpenPose JSON folders per video')
    p.add_argument('--out', required=True, help='segments JSON')
    p.add_argument('--layout', default='imigue22', help='joints the model was trained on')
    p.add_argument('--fps', type=float, default=25.0, help='for the times in the JSON')
    p.add_argument('--iou', type=float, default=0.5, help='tIoU of a true positive')
    p.add_argument('--device', default='cpu')
    args = p.parse_args(argv)
    if not args.ann and not args.videos:
        p.error('give --ann labels.csv or --videos')
    return args


def main(argv=None) -> dict:
    args = parse_args(argv)
    import mmimigue  # noqa: F401  (registration)
    from mmimigue.apis import (CheckpointMismatchError, class_names_from_config,
                               init_recognizer)
    from mmimigue.datasets.converters.streams import read_stream, stream_frame_files
    from mmimigue.datasets.formats import ConversionError, read_labels_csv
    from mmimigue.evaluation.online_detection import mean_average_precision, online_f1
    from mmimigue.fileio import atomic_write
    from mmimigue.graphs import layout_indices
    try:
        cfg, model = init_recognizer(args.config, args.checkpoint, args.device)
    except (FileNotFoundError, CheckpointMismatchError) as e:
        sys.exit(f'online_detect: {e}')
    names = class_names_from_config(cfg, model.num_classes)
    gts = defaultdict(list)
    videos = list(args.videos or [])
    if args.ann:
        try:
            rows = read_labels_csv(args.ann)
        except ConversionError as e:
            sys.exit(f'online_detect: {e}')
        for r in rows:
            gts[r['video_id']].append((r['start_frame'], r['end_frame'], r['label']))
        if not videos:
            videos = sorted(gts)
    joints = layout_indices(args.layout)
    counts, results, t0 = Counter(), {}, time.time()
    frames_done = 0
    for i, vid in enumerate(videos):
        frames = stream_frame_files(args.skeleton_root, vid, counts)
        if not frames:
            print(f'[online_detect] {vid}: no OpenPose frames under {args.skeleton_root}; skipped')
            counts['videos_without_skeletons'] += 1
            continue
        stream = read_stream(frames, joints, counts)
        num = len(stream)
        _, segs = model.detect(torch.from_numpy(stream).to(args.device))
        results[vid] = segs
        frames_done += num
        print(f'[online_detect] {i + 1}/{len(videos)} {vid}: {num} frames, {len(segs)} MG '
              f'segments ({time.time() - t0:.0f}s, {frames_done / (time.time() - t0):.0f} '
              'frames/s)', flush=True)
    out = dict(config=osp.abspath(args.config), checkpoint=osp.abspath(args.checkpoint),
               fps=args.fps, counts={k: int(v) for k, v in counts.items()},
               videos={v: [dict(start_frame=int(a), end_frame=int(b), start_time=a / args.fps,
                                end_time=(b + 1) / args.fps, label=int(c), name=names[c],
                                score=round(float(s), 4)) for a, b, c, s in segs]
                       for v, segs in results.items()})
    scored = {v: gts[v] for v in results if v in gts}
    if scored:
        f1 = online_f1(results, scored, args.iou)
        out['scores'] = dict(iou=args.iou, **{k: f1[k] for k in ('f1', 'precision', 'recall',
                                                                  'tp', 'fp', 'fn')},
                             mAP={str(t): mean_average_precision(results, scored, t)
                                  for t in (0.3, 0.5, 0.7)},
                             per_class={names[c]: v for c, v in f1['per_class'].items()})
        print('class                                   TP    FP    FN')
        for c, v in f1['per_class'].items():
            print(f'{names[c][:38]:<38} {v["tp"]:5d} {v["fp"]:5d} {v["fn"]:5d}')
        print(f"mAP@0.3/0.5/0.7: {' / '.join(f'{m:.3f}' for m in out['scores']['mAP'].values())}")
        print(f"F1: {f1['f1']:.4f} (precision {f1['precision']:.4f}, recall {f1['recall']:.4f}, "
              f"tIoU {args.iou}, {len(scored)} videos)")
    atomic_write(args.out, json.dumps(out, indent=1))
    print(f'[online_detect] {len(results)} videos, {frames_done} frames in '
          f'{time.time() - t0:.1f}s -> {args.out}')
    return out


if __name__ == '__main__':
    main()
