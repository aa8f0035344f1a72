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

    python tools/test.py configs/imigue/gecn.py work_dirs/gecn/epoch_110.pth --dump results.pkl
    python tools/analysis/confusion.py results.pkl --out confusion.png
    python tools/analysis/confusion.py smg_results.pkl --dataset smg --out smg_confusion.png
"""
import argparse
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from mmimigue.fileio import atomic_output, atomic_write


def _scalar(value) -> int:
    return int(np.asarray(value).reshape(-1)[0])


def load_predictions(path: str) -> Tuple[np.ndarray, np.ndarray, Optional[np.ndarray]]:
    """Ground truth, predicted labels and scores (``None`` if absent) from a dumped pickle."""
    from mmimigue.evaluation import load_score_dump
    results = load_score_dump(path)
    gt, pred, scores = [], [], []
    for i, r in enumerate(results):
        if not isinstance(r, dict) or 'gt_label' not in r:
            raise ValueError(f'{path}: entry {i} has no gt_label; is this a tools/test.py --dump '
                             'file of a recognizer?')
        gt.append(_scalar(r['gt_label']))
        score = r.get('pred_score')
        if score is not None:
            scores.append(np.asarray(score, dtype=np.float64).reshape(-1))
        if r.get('pred_label') is not None:
            pred.append(_scalar(r['pred_label']))
        elif score is not None:
            pred.append(int(scores[-1].argmax()))
        else:
            raise ValueError(f'{path}: entry {i} has neither pred_label nor pred_score')
    score_arr = np.stack(scores) if len(scores) == len(results) else None
    return np.asarray(gt), np.asarray(pred), score_arr


def confusion_matrix(gt: np.ndarray, pred: np.ndarray, num_classes: int) -> np.ndarray:
    """Counts ``C[i, j]`` of clips of class i predicted as j."""
    if gt.size and (gt.max() >= num_classes or pred.max() >= num_classes or
                    min(gt.min(), pred.min()) < 0):
        raise ValueError(f'labels must lie in [0, {num_classes}); got gt {gt.min()}..{gt.max()}, '
                         f'pred {pred.min()}..{pred.max()}: pass the matching --dataset or '
                         '--class-names')
    flat = np.bincount(gt * num_classes + pred, minlength=num_classes * num_classes)
    return flat.reshape(num_classes, num_classes)


def per_class_accuracy(cm: np.ndarray) -> np.ndarray:
    """Recall of each class; NaN for classes without test clips."""
    support = cm.sum(1)
    with np.errstate(invalid='ignore', divide='ignore'):
        return np.where(support > 0, np.diag(cm) / np.maximum(support, 1), np.nan)


def summary(cm: np.ndarray) -> Dict[str, float]:
    """Top-1 and mean class accuracy (over classes with test clips)."""
    acc = per_class_accuracy(cm)
    return dict(top1=float(np.trace(cm) / max(cm.sum(), 1)), mean_class=float(np.nanmean(acc)),
                num_clips=int(cm.sum()), num_classes_present=int((cm.sum(1) > 0).sum()))


def class_order(cm: np.ndarray, order: str) -> np.ndarray:
    """Class indices for display: by test support (descending, ties by id) or by id."""
    if order == 'label':
        return np.arange(cm.shape[0])
    if order == 'frequency':
        return np.lexsort((np.arange(cm.shape[0]), -cm.sum(1)))
    raise ValueError(f"order must be 'frequency' or 'label', got {order!r}")


def class_names_for(dataset: str, class_names: Optional[str]) -> List[str]:
    """Class names from a text file (one per line) or the packaged protocol."""
    if class_names:
        with open(class_names) as f:
            return [ln.strip() for ln in f if ln.strip()]
    from mmimigue.apis import protocol_class_names
    if dataset not in ('imigue', 'smg'):
        raise ValueError(f"dataset must be 'imigue' or 'smg', got {dataset!r}")
    return protocol_class_names(0, dataset)


def plot(cm: np.ndarray, names: Sequence[str], out: str, order: str = 'frequency',
         title: str = '') -> None:
    """Write the two-panel figure (confusion matrix, per-class accuracy) to ``out``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    idx = class_order(cm, order)
    sub = cm[np.ix_(idx, idx)]
    support = sub.sum(1)
    norm = sub / np.maximum(support, 1)[:, None]
    acc = per_class_accuracy(cm)[idx]
    labels = [f'{i}: {names[i]}' for i in idx]
    n = len(idx)
    size = max(6., 0.32 * n + 3)
    fig, (ax_cm, ax_bar) = plt.subplots(
        1, 2, figsize=(size * 1.6, size), gridspec_kw=dict(width_ratios=[1.25, 0.75]))
    im = ax_cm.imshow(norm, cmap='Blues', vmin=0, vmax=1)
    ax_cm.set_xticks(range(n))
    ax_cm.set_yticks(range(n))
    ax_cm.set_xticklabels([str(i) for i in idx], fontsize=7)
    ax_cm.set_yticklabels(labels, fontsize=7)
    ax_cm.set_xlabel('predicted class')
    ax_cm.set_ylabel('ground truth (ordered by number of test clips)' if order == 'frequency'
                     else 'ground truth')
    ax_cm.set_title('confusion matrix (row-normalised)')
    if n <= 40:
        for i, j in zip(*np.nonzero(sub)):
            ax_cm.text(j, i, str(sub[i, j]), ha='center', va='center', fontsize=5,
                       color='white' if norm[i, j] > 0.5 else 'black')
    fig.colorbar(im, ax=ax_cm, fraction=0.046, pad=0.04)
    y = np.arange(n)
    ax_bar.barh(y, np.nan_to_num(acc), color=['tab:grey' if s == 0 else 'tab:blue'
                                              for s in support])
    ax_bar.set_yticks(y)
    ax_bar.set_yticklabels([f'{i} (n={s})' for i, s in zip(idx, support)], fontsize=7)
    ax_bar.invert_yaxis()
    ax_bar.set_xlim(0, 1)
    ax_bar.set_xlabel('per-class accuracy (recall)')
    stats = summary(cm)
    ax_bar.axvline(stats['mean_class'], color='tab:red', ls='--', lw=1,
                   label=f"mean class acc {100 * stats['mean_class']:.1f}%")
    ax_bar.legend(loc='lower right', fontsize=7)
    ax_bar.set_title('per-class accuracy (grey: no test clips)')
    fig.suptitle(f"{title + ': ' if title else ''}top-1 {100 * stats['top1']:.2f}%, mean class "
                 f"accuracy {100 * stats['mean_class']:.2f}% over {stats['num_clips']} clips")
    fig.tight_layout()
    with atomic_output(out) as tmp:
        fig.savefig(tmp, dpi=150)
    plt.close(fig)


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
    main()
