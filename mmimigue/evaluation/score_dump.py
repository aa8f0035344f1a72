"""Per-clip scores of a test run, keyed by clip id: the input of score fusion and submissions.

mmengine's ``DumpResults`` pickles whole data samples (torch tensors, no clip id), so two dumps
can only be matched by position, and reading one means running a general unpickler. This metric
writes one plain record per clip::

    dict(frame_dir='0187_0', pred_score=np.float32 array (num_classes,), gt_label=int)

(``gt_label`` is -1 where the clip has none, e.g. a challenge test set). A multi-stream model
whose ``pred_score`` is a dict (mmaction2's RGBPoseConv3D: ``rgb`` and ``pose``) also gets
``stream_scores`` with each stream's scores, and ``pred_score`` is their equal-weight mean
(``fuse_scores.py`` reads one stream as ``FILE:rgb``). So
:func:`~mmimigue.evaluation.score_files.load_score_dump` reads it with the data-only unpickler and
``tools/analysis/fuse_scores.py`` matches streams clip by clip. ``tools/test.py --dump`` uses it
and adds ``frame_dir`` to the test pipeline's packed meta keys.
"""
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric

from .score_files import load_score_dump, write_score_dump  # noqa: F401  (load: re-export)

#: Meta keys that name a clip, in order of preference (clip datasets, then video-level ones).
ID_KEYS = ('frame_dir', 'video_id')


def _scalar_label(label) -> int:
    if label is None:
        return -1
    arr = np.asarray(label.cpu() if hasattr(label, 'cpu') else label).reshape(-1)
    return int(arr[0]) if arr.size == 1 else -1  # soft / multi labels: no single label


def _vector(score) -> np.ndarray:
    score = score.detach().cpu().numpy() if hasattr(score, 'detach') else score
    return np.asarray(score, np.float32).reshape(-1)


@METRICS.register_module()
class MGScoreDump(BaseMetric):
    """Write each clip's id, class scores and label to ``out_file_path`` (a ``.pkl``).

    Args:
        out_file_path (str): Output pickle; written atomically (a temporary file, then a rename).
        collect_device (str): Passed to :class:`mmengine.evaluator.BaseMetric`.
    """

    default_prefix = 'dump'

    def __init__(self, out_file_path: str, collect_device: str = 'cpu') -> None:
        super().__init__(collect_device=collect_device)
        if not out_file_path.endswith(('.pkl', '.pickle')):
            raise ValueError(f'the score dump must be a .pkl or .pickle file, got {out_file_path}')
        self.out_file_path = out_file_path

    def process(self, data_batch, data_samples: Sequence[Dict]) -> None:
        for sample in data_samples:
            clip_id = next((sample[k] for k in ID_KEYS if sample.get(k) is not None), None)
            score = sample['pred_score']
            record = dict(frame_dir=None if clip_id is None else str(clip_id),
                          gt_label=_scalar_label(sample.get('gt_label')))
            if isinstance(score, dict):  # a multi-stream model (RGBPoseConv3D: rgb, pose)
                streams = {str(k): _vector(v) for k, v in score.items()}
                record['stream_scores'] = streams
                # the fused score: the streams' equal-weight mean (mmaction2's RGBPose_1:1
                # ranking, MM-Gesture's rgb 0.5 + pose 0.5)
                record['pred_score'] = np.mean(list(streams.values()), axis=0).astype(np.float32)
            else:
                record['pred_score'] = _vector(score)
            self.results.append(record)

    def compute_metrics(self, results: List[Dict]) -> Dict:
        write_score_dump(self.out_file_path, results)
        return {}


def add_meta_key(pipeline: Optional[list], key: str = 'frame_dir') -> int:
    """Add ``key`` to the meta keys of every ``PackActionInputs`` step of ``pipeline`` (in place);
    returns how many steps were changed."""
    import inspect

    from mmaction.datasets.transforms import PackActionInputs
    default_meta = inspect.signature(PackActionInputs).parameters['meta_keys'].default
    changed = 0
    for step in pipeline or []:
        if isinstance(step, dict) and step.get('type') in ('PackActionInputs',
                                                          'mmaction.PackActionInputs'):
            keys = tuple(step.get('meta_keys', default_meta))
            if key not in keys:
                step['meta_keys'] = keys + (key, )
            changed += 1
    return changed
