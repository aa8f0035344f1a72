"""Confusion matrix and per-class accuracy of a test run, as one PNG (long-tail aware).

Reads the scores that ``tools/test.py CONFIG CKPT --dump results.pkl`` writes (one record per clip
with ``frame_dir`` / ``pred_score`` / ``gt_label``, see :mod:`mmimigue.evaluation.score_dump`;
read without running code) and draws

- left: the row-normalised confusion matrix (rows: ground truth, columns: prediction),
- right: per-class accuracy bars with each class's number of test clips,

with classes ordered by their number of test clips (``--order frequency``, the default, puts the
head classes first and the tail last) or by label id (``--order label``). Top-1 and mean class
accuracy are printed and written in the title; ``--csv`` also writes the per-class numbers.

Examples::

    python tools/test.py configs/imigue/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py \
        work_dirs/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d/epoch_110.pth --dump results.pkl
    python tools/analysis/confusion.py results.pkl --out confusion.png
    python tools/analysis/confusion.py smg_results.pkl --dataset smg --out smg_confusion.png
"""
import argparse
import sys
from typing import Dict, List, Optional

import numpy as np


def class_names_for(dataset: str, class_names: Optional[str]) -> List[str]:
    """Class names from a text file (one per line) or the packaged protocol."""
    if class_names:
        with open(class_names) as f:
            return [ln.strip() for ln in f if ln.strip()]
    from mmimigue.protocol import imigue_class_names, smg_class_names
    return imigue_class_names() if dataset == 'imigue' else smg_class_names()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Confusion matrix + per-class accuracy PNG')
    parser.add_argument('results', help='pickle from tools/test.py --dump')
    parser.add_argument('--out', default='confusion.png', help='output PNG')
    parser.add_argument('--dataset', default='imigue', choices=['imigue', 'smg'],
                        help='class names from the packaged protocol (32 iMiGUE / 17 SMG)')
    parser.add_argument('--class-names', help='text file with one class name per line '
                        '(overrides --dataset)')
    parser.add_argument('--order', default='frequency', choices=['frequency', 'label'])
    parser.add_argument('--title', default='', help='figure title prefix (e.g. the model)')
    parser.add_argument('--csv', help='also write per-class support / accuracy as CSV')
    return parser.parse_args(argv)


def main(argv=None) -> Dict[str, float]:
    args = parse_args(argv)
    from mmimigue.evaluation.confusion import confusion_matrix, load_predictions, per_class_accuracy, summary
    from mmimigue.fileio import atomic_write
    from mmimigue.visualization.confusion import plot
    names = class_names_for(args.dataset, args.class_names)
    gt, pred, scores = load_predictions(args.results)
    num_classes = len(names)
    if scores is not None and scores.shape[1] != num_classes:
        raise ValueError(f'{args.results}: scores have {scores.shape[1]} classes but '
                         f'{num_classes} class names were given; pass the matching --dataset '
                         'or --class-names')
    cm = confusion_matrix(gt, pred, num_classes)
    plot(cm, names, args.out, args.order, args.title)
    stats = summary(cm)
    if args.csv:
        acc = per_class_accuracy(cm)
        lines = ['label,name,support,correct,accuracy\n']
        for i, name in enumerate(names):
            lines.append(f'{i},"{name}",{cm[i].sum()},{cm[i, i]},'
                         f'{"" if np.isnan(acc[i]) else f"{acc[i]:.4f}"}\n')
        atomic_write(args.csv, ''.join(lines))
    print(f"top-1 {100 * stats['top1']:.2f}% | mean class accuracy "
          f"{100 * stats['mean_class']:.2f}% | {stats['num_clips']} clips, "
          f"{stats['num_classes_present']}/{num_classes} classes present | wrote {args.out}")
    return stats


if __name__ == '__main__':
    try:
        main()
    except (ValueError, FileNotFoundError) as e:
        sys.exit(f'confusion: {e}')
