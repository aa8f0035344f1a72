"""Confusion matrices and per-class accuracy of a test run (numpy only)."""
from typing import Dict, Optional, Tuple

import numpy as np

from .score_files import load_score_dump


def _scalar(value) -> int:
    return int(np.asarray(value).reshape(-1)[0])


def load_predictions(path: str) -> Tuple[np.ndarray, np.ndarray, Optional[np.ndarray]]:
    """Ground truth, predicted labels and scores (``None`` if absent) from a dumped pickle."""
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
