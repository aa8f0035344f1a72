"""Video-level emotion metric: accuracy, F1 and a per-video prediction file."""
import csv
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log

from ..fileio import atomic_output


def binary_f1(pred: np.ndarray, gt: np.ndarray, positive: int) -> float:
    """F1 of class ``positive``: ``2 TP / (2 TP + FP + FN)`` (0 when undefined)."""
    tp = np.sum((pred == positive) & (gt == positive))
    fp = np.sum((pred == positive) & (gt != positive))
    fn = np.sum((pred != positive) & (gt == positive))
    denom = 2 * tp + fp + fn
    return float(2 * tp / denom) if denom else 0.0


@METRICS.register_module()
class MGEmotionMetric(BaseMetric):
    """Win / lose classification of videos.

    Reports ``accuracy``, ``f1`` (positive class = win, label 1), ``macro_f1`` (mean F1 of
    win and lose) and ``num_videos``; optionally writes one row per video
    (``video_id, gt, pred, prob_win, num_clips``) to ``out_file`` (``.csv`` or ``.json``).

    Args:
        out_file (str, optional): Per-video prediction file. Not written when None.
        positive_label (int): Label of the positive (win) class. Defaults to 1.
        collect_device (str): Device for cross-rank collection. Defaults to ``'cpu'``.
        prefix (str, optional): Metric name prefix. Defaults to ``'emotion'``.
    """

    default_prefix: Optional[str] = 'emotion'

    def __init__(self,
                 out_file: Optional[str] = None,
                 positive_label: int = 1,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.out_file = out_file
        self.positive_label = positive_label

    def process(self, data_batch: Any, data_samples: Sequence[Dict]) -> None:
        """Keep each video's id, ground truth and scores."""
        for sample in data_samples:
            score = np.asarray(sample['pred_score'].detach().cpu(), dtype=np.float64)
            self.results.append(dict(
                video_id=sample.get('video_id', ''),
                num_clips=int(sample.get('num_clips', -1)),
                gt=int(sample['gt_label'].reshape(-1)[0]),
                pred=int(np.argmax(score)),
                score=score))

    def compute_metrics(self, results: List[Dict]) -> Dict[str, float]:
        """Accuracy, F1 (win), macro F1 and the per-video file."""
        gt = np.array([r['gt'] for r in results])
        pred = np.array([r['pred'] for r in results])
        labels = sorted(set(gt.tolist()) | set(pred.tolist()) | {0, 1})
        metrics = dict(
            accuracy=float(np.mean(gt == pred)) if len(gt) else 0.0,
            f1=binary_f1(pred, gt, self.positive_label),
            macro_f1=float(np.mean([binary_f1(pred, gt, c) for c in labels])),
            num_videos=float(len(gt)))
        if self.out_file:
            self._dump(results)
        return metrics

    def _dump(self, results: List[Dict]) -> None:
        rows = []
        for r in sorted(results, key=lambda r: str(r['video_id'])):
            score = r['score']
            prob = np.exp(score - score.max()) / np.exp(score - score.max()).sum() \
                if (score.min() < 0 or abs(score.sum() - 1) > 1e-4) else score
            rows.append(dict(video_id=r['video_id'], gt=r['gt'], pred=r['pred'],
                             prob_win=round(float(prob[self.positive_label]), 6),
                             num_clips=r['num_clips']))
        with atomic_output(self.out_file) as tmp:
            if self.out_file.endswith('.json'):
                import json
                with open(tmp, 'w') as f:
                    json.dump(rows, f, indent=1)
            else:
                with open(tmp, 'w', newline='') as f:
                    writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ['video_id'])
                    writer.writeheader()
                    writer.writerows(rows)
        print_log(f'MGEmotionMetric: wrote {len(rows)} per-video predictions to {self.out_file}',
                  logger='current')


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
METRICS.register_module(name='EmotionMetric', module=MGEmotionMetric)
