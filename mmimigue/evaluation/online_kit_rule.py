"""The organisers' online F1: the rule of the SMG online start kit, reproduced with its quirks.

Source: repository ``mikecheninoulu/SMG``, ``online recognition/SMG/THDutils.py``, function
``tester_SMG`` (``threshold_alpha = 0.3`` in ``main.py``); the SMG paper's online baselines
(AED-BiLSTM 0.203 on SMG, 0.171 on iMiGUE) are scored with it. Read line by line it does:

- for every ground-truth MG ``(label, b_g, e_g)`` of a video, go through the video's predictions
  in order; the first one of the same label whose overlap ratio
  ``alpha = (min(e_p, e_g) - max(b_p, b_g)) / (max(e_p, e_g) - min(b_p, b_g))`` exceeds the
  threshold (strictly) counts the MG as correct, and the search stops;
- the prediction is *not* consumed (the kit calls ``numpy.delete`` and discards the result), so
  one prediction can make several MGs correct, and precision, hence F1, can exceed 1;
- over all videos: recall = correct / #MGs, precision = correct / #predictions,
  F1 = 2PR / (P + R + 1e-7).

Because predictions are never consumed, whether an MG is correct does not depend on the order of
the predictions: it is correct when *any* prediction of its class has ``alpha`` above the
threshold; the code below counts exactly that. ``alpha`` is in frame-number differences (not
frame counts): a prediction equal to the MG has alpha 1, one sharing only a boundary frame has
alpha 0. Where the kit would divide by zero (a one-frame prediction on a one-frame MG at the
same frame; no predictions or no MGs at all) the MG is not correct and the ratio is 0: the kit
would stop with an error.
"""
from typing import Dict, Sequence

import numpy as np

KIT_ALPHA = 0.3  # main.py's threshold_alpha


def kit_overlap(pred: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """(N, M) overlap ratio ``alpha`` of predictions ``pred`` (N, 2) and MGs ``gt`` (M, 2),
    ``start, end`` frame numbers; NaN where the kit would divide by zero."""
    p = np.asarray(pred, np.float64).reshape(-1, 2)[:, None]
    g = np.asarray(gt, np.float64).reshape(-1, 2)[None]
    inner = np.minimum(p[..., 1], g[..., 1]) - np.maximum(p[..., 0], g[..., 0])
    outer = np.maximum(p[..., 1], g[..., 1]) - np.minimum(p[..., 0], g[..., 0])
    with np.errstate(divide='ignore', invalid='ignore'):
        return np.where(outer > 0, inner / np.where(outer > 0, outer, 1), np.nan)


def kit_correct(preds: Sequence, gts: Sequence, alpha: float = KIT_ALPHA) -> np.ndarray:
    """(M,) bool: which MGs of one video the kit counts as correct. ``preds`` rows start with
    ``start, end, label`` (a score after them is ignored: the kit has none); ``gts`` rows are
    ``start, end, label``."""
    g = np.asarray(gts, np.float64).reshape(-1, 3)
    p = np.asarray([q[:3] for q in preds], np.float64).reshape(-1, 3)
    if not len(g) or not len(p):
        return np.zeros(len(g), bool)
    ratio = kit_overlap(p[:, :2], g[:, :2])
    hit = (p[:, None, 2] == g[None, :, 2]) & (np.nan_to_num(ratio, nan=-np.inf) > alpha)
    return hit.any(0)


def kit_f1(preds: Dict[str, Sequence], gts: Dict[str, Sequence],
           alpha: float = KIT_ALPHA) -> Dict[str, float]:
    """The kit's pooled scores over the videos of ``gts`` (a video's predictions from
    ``preds``, none if absent).

    Returns:
        dict: ``f1``, ``precision``, ``recall`` (0 where the kit would divide by zero),
        ``correct``, ``num_gt``, ``num_pred``, ``alpha``.
    """
    unknown = set(preds) - set(gts)
    if unknown:
        raise ValueError(f'predictions for videos without ground truth: {sorted(unknown)[:5]}')
    correct = num_gt = num_pred = 0
    for vid, gt in gts.items():
        pred = preds.get(vid, [])
        correct += int(kit_correct(pred, gt, alpha).sum())
        num_gt += len(gt)
        num_pred += len(pred)
    recall = correct / num_gt if num_gt else 0.0
    precision = correct / num_pred if num_pred else 0.0
    f1 = 2 * recall * precision / (recall + precision + 1e-7)
    return dict(f1=f1, precision=precision, recall=recall, correct=correct, num_gt=num_gt,
                num_pred=num_pred, alpha=float(alpha))
