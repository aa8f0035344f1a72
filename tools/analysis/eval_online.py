"""Score online MG detections (``tools/online_detect.py --out DET.json``) against ground truth.

Two rules (docs/online.md):

- ``--protocol kit``: the organisers' rule (SMG online start kit, ``tester_SMG``): an MG is
  correct when some prediction of its class has overlap ratio above ``--iou`` (default 0.3, the
  kit's ``threshold_alpha``); predictions are not consumed, so F1 can exceed 1. The SMG paper's
  online baselines (AED-BiLSTM 0.203 on SMG, 0.171 on iMiGUE) are scored this way.
- ``--protocol strict``: one-to-one matching by score at tIoU ``--iou`` (default 0.5), with the
  per-class TP / FP / FN table and mAP at 0.3 / 0.5 / 0.7.

Ground truth is a release ``labels.csv`` (MG intervals per video, frames as written) or a
converted streams pickle (``--split`` picks its videos; default: the videos of the detections).
Only videos with ground truth are scored; detections of other videos are refused, with names.

Example::

    python tools/analysis/eval_online.py --ann data/smg/smg_streams.pkl --split xsub_test \\
        --pred det.json --protocol kit
"""
import argparse
import json
import sys
from collections import defaultdict


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--ann', required=True, help='labels.csv or a streams pickle (.pkl)')
    p.add_argument('--pred', required=True, help='detections JSON of tools/online_detect.py')
    p.add_argument('--protocol', choices=['kit', 'strict'], default='kit',
                   help="kit: the organisers' rule (default); strict: one-to-one at tIoU")
    p.add_argument('--iou', type=float, help='kit: overlap ratio to exceed (default 0.3); '
                   'strict: tIoU of a true positive (default 0.5)')
    p.add_argument('--split', help='with a streams pickle: the split to score')
    return p.parse_args(argv)


def read_detections(path: str) -> dict:
    """``video_id -> [(start, end, label, score), ...]`` from an online_detect JSON."""
    try:
        with open(path) as f:
            content = json.load(f)
        videos = content['videos']
        out = {str(v): [(int(s['start_frame']), int(s['end_frame']), int(s['label']),
                         float(s.get('score', 1.0))) for s in segs]
               for v, segs in videos.items()}
    except FileNotFoundError:
        raise ValueError(f'{path}: no such file (write it with tools/online_detect.py --out)')
    except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as e:
        raise ValueError(f'{path}: not a detections JSON of tools/online_detect.py ({e!r}); '
                         'it holds {"videos": {id: [{"start_frame", "end_frame", "label", '
                         '"score"}, ...]}}') from None
    for vid, segs in out.items():
        for a, b, c, _ in segs:
            if b < a or a < 0 or c < 0:
                raise ValueError(f'{path}: video {vid}: segment ({a}, {b}, label {c}) is not '
                                 'a detection (end before start or a negative value)')
    return out



def read_ground_truth(path: str, split, videos) -> dict:
    """``video_id -> [(start, end, label), ...]`` from labels.csv or a streams pickle."""
    if path.endswith('.pkl'):
        from mmimigue.datasets.stream_store import StreamsFile
        streams = StreamsFile(path)
        ids = streams.videos(split) if split else [v for v in streams.videos() if v in videos]
        by_id = {s['video_id']: s for s in streams.streams}
        return {v: [tuple(int(x) for x in g) for g in by_id[v]['segments']] for v in ids}
    from mmimigue.datasets.formats.imigue_labels import read_labels_csv
    gts = defaultdict(list)
    for r in read_labels_csv(path):
        gts[r['video_id']].append((r['start_frame'], r['end_frame'], r['label']))
    return {v: sorted(g) for v, g in gts.items() if v in videos}


def main(argv=None) -> dict:
    args = parse_args(argv)
    from mmimigue.datasets.formats import ConversionError
    try:
        preds = read_detections(args.pred)
        gts = read_ground_truth(args.ann, args.split, set(preds))
    except (ConversionError, FileNotFoundError, KeyError, ValueError) as e:
        sys.exit(f'eval_online: {e}')
    unknown = sorted(set(preds) - set(gts))
    if unknown:
        sys.exit(f'eval_online: {args.pred} has detections of {len(unknown)} video(s) without '
                 f'ground truth in {args.ann}{f" ({args.split})" if args.split else ""}, e.g. '
                 f'{unknown[:5]}; score them against the annotation they were run on')
    if not gts:
        sys.exit(f'eval_online: no video of {args.pred} has ground truth in {args.ann}')
    print(f'[eval_online] {len(gts)} videos, {sum(map(len, gts.values()))} MGs, '
          f'{sum(len(preds.get(v, [])) for v in gts)} detections')
    if args.protocol == 'kit':
        from mmimigue.evaluation.online_kit_rule import KIT_ALPHA, kit_f1
        alpha = KIT_ALPHA if args.iou is None else args.iou
        res = kit_f1(preds, gts, alpha)
        print(f"correct MGs: {res['correct']} of {res['num_gt']} (alpha > {alpha}); "
              f"detections: {res['num_pred']}")
    else:
        from mmimigue.evaluation.online_detection import online_report
        res, lines = online_report(preds, gts, 0.5 if args.iou is None else args.iou,
                                   _class_names(preds, gts))
        print('\n'.join(lines[:-2]))
    print(f"precision: {res['precision']:.4f}\nrecall: {res['recall']:.4f}\n"
          f"F1: {res['f1']:.4f}")
    return res


def _class_names(preds, gts) -> list:
    top = max([s[2] for segs in list(preds.values()) + list(gts.values()) for s in segs],
              default=0)
    return [str(c) for c in range(top + 1)]


if __name__ == '__main__':
    main()
