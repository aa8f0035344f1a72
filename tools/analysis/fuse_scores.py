"""Fuse the per-clip scores of several models (streams) and write MiGA challenge submissions.

Each input is a ``tools/test.py CONFIG CKPT --dump x.pkl`` file (one record per clip with
``frame_dir``, ``pred_score``, ``gt_label``; :mod:`mmimigue.evaluation.score_files`); a dump of a
multi-stream model (RGBPoseConv3D) also holds each stream's scores, named as ``FILE:rgb`` /
``FILE:pose``. Dumps are matched clip by clip on ``frame_dir``: another order is re-ordered to
the first dump's, and dumps over different clip sets are refused, with examples, instead of being
fused row by row. The library parts live in :mod:`mmimigue.evaluation.fusion` and
:mod:`mmimigue.evaluation.submissions`; this script parses arguments and prints.

The fused score of a clip is ``sum_i w_i * p_i``, with ``p_i`` stream i's class probabilities
(``--normalize prob``: scores that already form a distribution are kept, others go through a
softmax; ``--normalize none`` sums raw scores as mmaction2's ``report_accuracy.py`` does).
Weights come from ``--weights`` (default: equal), or from ``--search``: every weight vector on a
grid of the simplex (``--grid-step``) is tried on the *validation* dumps given with ``--val``
(same streams, same order) and the best top-1 (then mean class accuracy) is applied to the test
dumps. Choosing weights on the test dumps themselves would report an optimistic number.

Printed: each stream's and the fused top-1 / top-5 / mean class accuracy (where labels exist).
Written on request:

- ``--out fused.pkl``: the fused scores as a score dump (for ``tools/analysis/confusion.py``);
- ``--submission-2023 FILE.csv``: MiGA 2023 track 1, one ``id,label`` line per clip, no header;
  ``--submission-2023 Submission.zip``: the same csv as ``Submission.csv`` inside a zip, the file
  the 2023 organisers' baseline and winner submitted;
- ``--submission-2024 FILE.zip``: MiGA 2024+ track 1, a zip holding ``submission.csv`` (or
  ``--submission-member NAME``, e.g. the 2025 winner's ``prediction.csv``) with the header
  ``Id,Target`` and one ``id,label`` line per clip.

Labels are 0-based class indices (the converted label order, the challenges' order); ids are
the clips' ``frame_dir`` (the challenge packages' sample names, e.g. ``0187_0``), or with
``--index-ids`` the clip's 0-based position in the first dump (the package order, since the test
run keeps the dataset order).

Examples::

    python tools/analysis/fuse_scores.py joint.pkl bone.pkl --weights 0.4 0.6
    python tools/analysis/fuse_scores.py j.pkl b.pkl p.pkl --search --val j_val.pkl b_val.pkl \\
        p_val.pkl --names joint bone posec3d --submission-2024 submission.zip
"""
import argparse
import re
import sys
from typing import Dict, Optional

import numpy as np


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('dumps', nargs='+', help='score dumps of tools/test.py --dump, one per stream '
                   '(FILE:STREAM for one stream of a multi-stream dump)')
    p.add_argument('--names', nargs='+', help='stream names for the table (default: file stems)')
    p.add_argument('--weights', nargs='+', type=float, help='one weight per stream (default 1 '
                   'each); summed as given, not renormalised')
    p.add_argument('--search', action='store_true',
                   help='choose the weights on --val dumps by a grid search (best top-1)')
    p.add_argument('--val', nargs='+', help='validation dumps of the same streams, same order')
    p.add_argument('--grid-step', type=float, default=0.1, help='weight grid step (default 0.1)')
    p.add_argument('--normalize', choices=['prob', 'none'], default='prob',
                   help='prob: fuse class probabilities (default); none: raw scores')
    p.add_argument('--out', help='write the fused scores as a score dump (.pkl)')
    p.add_argument('--submission-2023', help='MiGA 2023 track 1: a csv (id,label; no header), '
                   'or a .zip holding it as Submission.csv')
    p.add_argument('--submission-2024', help='MiGA 2024+ track 1 zip (Id,Target csv inside)')
    p.add_argument('--submission-member', default='submission.csv',
                   help='the csv name inside the 2024+ zip (default submission.csv)')
    p.add_argument('--index-ids', action='store_true', help='ids are 0-based positions in the '
                   'first dump instead of frame_dir')
    args = p.parse_args(argv)
    n = len(args.dumps)
    for opt in ('names', 'weights', 'val'):
        value = getattr(args, opt)
        if value is not None and len(value) != n:
            p.error(f'--{opt} takes one value per dump ({n}), got {len(value)}')
    if not re.fullmatch(r'[A-Za-z0-9_.-]+\.csv', args.submission_member):
        p.error(f'--submission-member must be a plain csv file name, got '
                f'{args.submission_member!r}')
    if args.search and (args.val is None or args.weights is not None):
        p.error('--search needs --val (validation dumps of the same streams) and no --weights')
    return args


def _fmt(acc: Optional[Dict[str, float]]) -> str:
    if acc is None:
        return '     -        -        -'
    return f"{acc['top1']:8.4f} {acc['top5']:8.4f} {acc['mean_class']:8.4f}"


def main(argv=None) -> Dict:
    args = parse_args(argv)
    from mmimigue.evaluation.fusion import fuse_dumps
    from mmimigue.evaluation.score_files import split_stream_spec, write_score_dump
    from mmimigue.evaluation.submissions import submission_rows, write_submission_2023, write_submission_2024
    from mmimigue.fileio import OutputPlan
    plan = OutputPlan(inputs=[split_stream_spec(d)[0] for d in args.dumps + (args.val or [])])
    for out, what in ((args.out, '--out'), (args.submission_2023, '--submission-2023'),
                      (args.submission_2024, '--submission-2024')):
        if out:
            plan.add(out, what)
    res = fuse_dumps(args.dumps, args.names, args.weights, args.val if args.search else None,
                     args.grid_step, args.normalize)
    streams, fused, acc = res['streams'], res['fused'], res['accuracy']
    width = max(len(s.name) for s in streams + [fused]) + 2
    print(f"{'stream':<{width}}  weight     top1     top5  mean_cls   ({len(fused.ids)} clips)")
    for s, w in zip(streams, res['weights']):
        print(f'{s.name:<{width}}  {w:6.3f} {_fmt(acc[s.name])}')
    print(f"{'fused':<{width}}  {'':6} {_fmt(acc['fused'])}")
    if res['search']:
        print(f"weights chosen on {res['search']['num_clips']} validation clips "
              f"(top-1 {res['search']['val']['top1']:.4f}, grid step {args.grid_step})")
    if acc['fused'] is None:
        print('no accuracy: some clips have no label (a challenge test set)')
    if args.submission_2023 or args.submission_2024:
        rows = submission_rows(fused.ids, fused.scores, args.index_ids)
    if args.out:
        write_score_dump(args.out, [dict(frame_dir=c, pred_score=s.astype(np.float32),
                                         gt_label=int(y))
                                    for c, s, y in zip(fused.ids, fused.scores, fused.labels)])
        print(f'fused scores -> {args.out}')
    if args.submission_2023:
        write_submission_2023(args.submission_2023, rows)
        print(f'MiGA 2023 submission ({len(rows)} rows) -> {args.submission_2023}')
    if args.submission_2024:
        write_submission_2024(args.submission_2024, rows, args.submission_member)
        print(f'MiGA 2024+ submission ({len(rows)} rows) -> {args.submission_2024}')
    return res


if __name__ == '__main__':
    try:
        main()
    except (ValueError, FileNotFoundError) as e:
        sys.exit(f'fuse_scores: {e}')
