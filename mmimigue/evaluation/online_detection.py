"""Online MG recognition scores: the strict segment F1 at a temporal IoU, the organisers' kit F1
(:mod:`.online_kit_rule`, the rule of the SMG paper's online baselines) and mAP at several tIoU
(temporal action detection's measure, for comparison).

A segment is ``(start, end, label)`` (frames, both inclusive) for ground truth and
``(start, end, label, score)`` for predictions. The strict matching rule (docs/online.md):

- the temporal IoU of two segments is ``|A n B| / |A u B|`` counted in frames;
- predictions are taken from the highest score down; each takes the not yet matched ground-truth
  segment *of its own class* in the same video with the largest tIoU, and is a true positive if
  that tIoU is at least ``iou_thr``; otherwise (a wrong class, too little overlap, or a second
  prediction of an already matched segment) it is a false positive;
- ground-truth segments left unmatched are false negatives;
- precision = TP / (TP + FP), recall = TP / (TP + FN), F1 = 2PR / (P + R), counted over all
  videos together (0 where a denominator is 0).
"""
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmaction.evaluation.functional.accuracy import average_precision_at_temporal_iou, pairwise_temporal_iou
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric

from .online_kit_rule import KIT_ALPHA, kit_f1

Segment = Tuple[int, int, int]
Scored = Tuple[int, int, int, float]


def _continuous(frames: np.ndarray) -> np.ndarray:
    """Inclusive frame ranges (N, 2) -> the ``[start, end + 1)`` intervals mmaction2 measures."""
    out = np.asarray(frames, np.float64).reshape(-1, 2).copy()
    out[:, 1] += 1
    return out


def segment_iou(pred: np.ndarray, gt: np.ndarray) -> np.ndarray:
    """(N, M) temporal IoU of inclusive frame ranges ``pred`` (N, 2) and ``gt`` (M, 2)
    (mmaction2's ``pairwise_temporal_iou`` on ``[start, end + 1)``)."""
    pred, gt = _continuous(pred), _continuous(gt)
    if not len(pred) or not len(gt):
        return np.zeros((len(pred), len(gt)))
    return pairwise_temporal_iou(pred, gt).T.astype(np.float64)


def match_video(preds: Sequence[Scored], gts: Sequence[Segment], iou_thr: float
                ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Greedy one-to-one matching in one video (see the module docstring).

    Returns:
        ``(is_tp (N,) bool, scores (N,), labels (N,))`` in descending score order, and the
        number of matched ground-truth segments is ``is_tp.sum()``.
    """
    if not len(preds):
        return np.zeros(0, bool), np.zeros(0), np.zeros(0, int)
    p = np.asarray([q[:3] for q in preds], np.int64)
    scores = np.asarray([q[3] for q in preds], np.float64)
    order = np.argsort(-scores, kind='stable')
    p, scores = p[order], scores[order]
    is_tp = np.zeros(len(p), bool)
    if len(gts):
        g = np.asarray(gts, np.int64).reshape(-1, 3)
        iou = segment_iou(p[:, :2], g[:, :2])
        iou[p[:, None, 2] != g[None, :, 2]] = -1  # another class never matches
        taken = np.zeros(len(g), bool)
        for i in range(len(p)):
            cand = np.where(taken, -1, iou[i])
            j = int(cand.argmax())
            if cand[j] >= iou_thr:
                taken[j] = is_tp[i] = True
    return is_tp, scores, p[:, 2]


def online_f1(preds: Dict[str, Sequence[Scored]], gts: Dict[str, Sequence[Segment]],
              iou_thr: float = 0.5, num_classes: Optional[int] = None) -> Dict:
    """F1 / precision / recall over all videos of ``gts`` (videos without predictions count
    their segments as misses), with per-class TP / FP / FN counts."""
    tp = fp = fn = 0
    per_class: Dict[int, List[int]] = {}
    for vid, gt in gts.items():
        is_tp, _, labels = match_video(preds.get(vid, []), gt, iou_thr)
        n_tp = int(is_tp.sum())
        tp, fp, fn = tp + n_tp, fp + int((~is_tp).sum()), fn + len(gt) - n_tp
        for c in set(int(s[2]) for s in gt) | set(labels.tolist()):
            counts = per_class.setdefault(c, [0, 0, 0])
            counts[0] += int((is_tp & (labels == c)).sum())
            counts[1] += int((~is_tp & (labels == c)).sum())
            counts[2] += sum(1 for s in gt if s[2] == c) - int((is_tp & (labels == c)).sum())
    unknown = set(preds) - set(gts)
    if unknown:
        raise ValueError(f'predictions for videos without ground truth: {sorted(unknown)[:5]}')
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return dict(f1=f1, precision=precision, recall=recall, tp=tp, fp=fp, fn=fn,
                per_class={c: dict(tp=v[0], fp=v[1], fn=v[2]) for c, v in sorted(per_class.items())})


def average_precision(preds: Dict[str, Sequence[Scored]], gts: Dict[str, Sequence[Segment]],
                      label: int, iou_thr: float) -> float:
    """AP of one class at ``iou_thr``: mmaction2's ``average_precision_at_temporal_iou``
    (ActivityNet style: predictions by score, each matched to the best unmatched ground truth,
    interpolated precision-recall) on ``[start, end + 1)`` intervals; NaN without ground truth
    of that class."""
    gt = {vid: _continuous([s[:2] for s in segs if s[2] == label])
          for vid, segs in gts.items()}
    if not sum(len(g) for g in gt.values()):
        return float('nan')
    pred = [[vid, label, a, b + 1, score] for vid, segs in preds.items()
            for a, b, c, score in segs if c == label]
    if not pred:
        return 0.0
    return float(average_precision_at_temporal_iou(gt, pred, np.array([iou_thr]))[0])


def mean_average_precision(preds, gts, iou_thr: float) -> float:
    """mAP over the classes present in the ground truth."""
    labels = sorted({int(s[2]) for gt in gts.values() for s in gt})
    aps = [average_precision(preds, gts, c, iou_thr) for c in labels]
    return float(np.mean(aps)) if aps else 0.0


def online_report(preds: Dict[str, Sequence[Scored]], gts: Dict[str, Sequence[Segment]],
                  iou_thr: float, names: Sequence[str], kit_alpha: float = KIT_ALPHA
                  ) -> Tuple[Dict, List[str]]:
    """Scores of the videos with ground truth, as a dict (strict ``f1``, ``precision``,
    ``recall``, ``tp`` / ``fp`` / ``fn``; ``kit`` (the organisers' rule at ``kit_alpha``);
    ``mAP`` at 0.3 / 0.5 / 0.7, ``per_class``) and as printable lines (a per-class TP / FP / FN
    table, the mAP line, the kit line and ``F1: x``)."""
    preds = {v: preds.get(v, []) for v in gts}
    f1 = online_f1(preds, gts, iou_thr)
    kit = kit_f1(preds, gts, kit_alpha)
    scores = dict(iou=iou_thr, **{k: f1[k] for k in ('f1', 'precision', 'recall', 'tp', 'fp',
                                                     'fn')},
                  kit=kit,
                  mAP={str(t): mean_average_precision(preds, gts, t) for t in (0.3, 0.5, 0.7)},
                  per_class={names[c]: v for c, v in f1['per_class'].items()})
    lines = ['class                                   TP    FP    FN']
    lines += [f'{names[c][:38]:<38} {v["tp"]:5d} {v["fp"]:5d} {v["fn"]:5d}'
              for c, v in f1['per_class'].items()]
    lines.append(f"mAP@0.3/0.5/0.7: {' / '.join(f'{m:.3f}' for m in scores['mAP'].values())}")
    lines.append(f"kit F1: {kit['f1']:.4f} (precision {kit['precision']:.4f}, recall "
                 f"{kit['recall']:.4f}, alpha > {kit_alpha}, the organisers' rule)")
    lines.append(f"F1: {f1['f1']:.4f} (precision {f1['precision']:.4f}, recall "
                 f"{f1['recall']:.4f}, tIoU {iou_thr}, {len(gts)} videos)")
    return scores, lines


@METRICS.register_module()
class MGOnlineDetectionMetric(BaseMetric):
    """The strict F1 at ``iou_thr`` (``online/f1``), the organisers' kit F1 at ``kit_alpha``
    (``online/f1_kit``, :mod:`.online_kit_rule`) and mAP at ``map_thrs`` for data samples
    holding ``pred_segments`` ((N, 4): start, end, label, score) and ``gt_segments`` ((M, 3))
    of one stream each, keyed by ``video_id``.

    Args:
        iou_thr (float): tIoU of a true positive for the strict F1. Defaults to 0.5.
        kit_alpha (float): overlap ratio the kit rule must exceed. Defaults to 0.3 (the kit's).
        map_thrs (Sequence[float]): tIoU thresholds of the mAP columns.
            Defaults to (0.3, 0.5, 0.7).
    """

    default_prefix = 'online'

    def __init__(self, iou_thr: float = 0.5, map_thrs: Sequence[float] = (0.3, 0.5, 0.7),
                 kit_alpha: float = KIT_ALPHA, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.iou_thr, self.map_thrs = float(iou_thr), tuple(map_thrs)
        self.kit_alpha = float(kit_alpha)

    def process(self, data_batch, data_samples: Sequence[Dict]) -> None:
        for s in data_samples:
            pred = np.asarray(s['pred_segments'], np.float64).reshape(-1, 4)
            gt = np.asarray(s['gt_segments'], np.int64).reshape(-1, 3)
            self.results.append(dict(
                video_id=str(s['video_id']),
                pred=[(int(a), int(b), int(c), float(d)) for a, b, c, d in pred],
                gt=[tuple(int(v) for v in row) for row in gt]))

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        preds = {r['video_id']: r['pred'] for r in results}
        gts = {r['video_id']: r['gt'] for r in results}
        scores = online_f1(preds, gts, self.iou_thr)
        kit = kit_f1(preds, gts, self.kit_alpha)
        out = dict(f1=scores['f1'], precision=scores['precision'], recall=scores['recall'],
                   f1_kit=kit['f1'], precision_kit=kit['precision'], recall_kit=kit['recall'])
        for thr in self.map_thrs:
            out[f'mAP@{thr:g}'] = mean_average_precision(preds, gts, thr)
        return out
