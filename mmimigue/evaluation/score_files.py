"""Score dumps: per-clip scores of a test run keyed by clip id, read and written without torch.

One plain record per clip (written by :class:`~mmimigue.evaluation.MGScoreDump` through
``tools/test.py --dump``)::

    dict(frame_dir='0187_0', pred_score=np.float32 (K,), gt_label=int,
         stream_scores={'rgb': np.float32 (K,), 'pose': ...})   # multi-stream models only

(``gt_label`` is -1 where the clip has none, e.g. a challenge test set). Dumps are read with the
data-only unpickler, so a crafted file cannot run code, and matched clip by clip on
``frame_dir``.
"""
import os.path as osp
import pickle
from typing import Dict, List, Optional, Sequence

import numpy as np

from ..datasets.formats.errors import ConversionError
from ..datasets.formats.safe_pickle import load_data_pickle
from ..fileio import atomic_write


def load_score_dump(path: str) -> List[Dict]:
    """Records of a score dump, read without running code (see the module docstring).

    Raises:
        FileNotFoundError / ValueError: a missing file, or one that is not a score dump (an
        mmengine ``DumpResults`` pickle is named as such, with the command that writes one).
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} does not exist; write it with '
                                '`python tools/test.py CONFIG CKPT --dump {path}`')
    advice = ('It is not a score dump of tools/test.py --dump (an mmengine DumpResults pickle '
              'holds tensors and no clip ids); write one with `python tools/test.py CONFIG CKPT '
              f'--dump {osp.basename(path)}`.')
    try:
        records = load_data_pickle(path, advice)
    except ConversionError as e:
        raise ValueError(str(e)) from None
    if (not isinstance(records, list) or not records or
            not all(isinstance(r, dict) and 'pred_score' in r for r in records)):
        raise ValueError(f'{path}: expected a non-empty list of per-clip records with '
                         '"pred_score" (tools/test.py --dump)')
    return records


def write_score_dump(path: str, records: Sequence[Dict]) -> None:
    """Write score records (see the module docstring) atomically."""
    atomic_write(path, pickle.dumps(list(records), protocol=pickle.HIGHEST_PROTOCOL))


class ScoreStream:
    """One stream of a dump: ``ids`` (N,), ``scores`` (N, K) float64, ``labels`` (N,) (-1 where
    unknown), a ``name`` and the ``path`` it came from."""

    def __init__(self, name: str, ids: List[str], scores: np.ndarray, labels: np.ndarray,
                 path: str = '') -> None:
        self.name, self.ids, self.scores, self.labels, self.path = name, ids, scores, labels, path

    def reorder(self, order: np.ndarray) -> 'ScoreStream':
        return ScoreStream(self.name, [self.ids[i] for i in order], self.scores[order],
                           self.labels[order], self.path)


def dump_streams(records: Sequence[Dict]) -> List[str]:
    """Names of the per-stream scores a dump holds besides ``pred_score`` (e.g. rgb, pose)."""
    names = [set(r.get('stream_scores', {})) for r in records]
    return sorted(set.intersection(*names)) if names else []


def load_stream(path: str, name: Optional[str] = None, key: Optional[str] = None
                ) -> ScoreStream:
    """One stream of a score dump: ``pred_score`` or, with ``key``, the named per-stream score of
    a multi-stream dump (``rgb`` / ``pose`` of RGBPoseConv3D).

    Raises:
        ValueError: a clip without id or listed twice, an unknown ``key``, score vectors of
            different lengths, or non-finite scores; each names the file and a clip.
    """
    records = load_score_dump(path)
    ids = [r.get('frame_dir') for r in records]
    if any(i is None for i in ids):
        raise ValueError(f'{path}: {sum(i is None for i in ids)} clips have no frame_dir, so the '
                         'streams cannot be matched; re-dump with `python tools/test.py CONFIG '
                         'CKPT --dump FILE` (it adds frame_dir to the test pipeline)')
    seen, dups = set(), []
    for i in ids:
        if i in seen:
            dups.append(i)
        seen.add(i)
    if dups:
        raise ValueError(f'{path}: clips listed more than once ({len(dups)}, e.g. {dups[:3]}); '
                         'a dump must hold each clip once')
    if key is not None:
        available = dump_streams(records)
        if key not in available:
            raise ValueError(f'{path} has no stream {key!r}; it holds '
                             f'{available or "only pred_score"} (name a stream as FILE:STREAM)')
        vectors = [r['stream_scores'][key] for r in records]
    else:
        vectors = [r['pred_score'] for r in records]
    sizes = {np.asarray(v).size for v in vectors}
    if len(sizes) != 1:
        raise ValueError(f'{path}: clips have different numbers of class scores {sorted(sizes)}')
    scores = np.stack([np.asarray(v, np.float64).reshape(-1) for v in vectors])
    bad = ~np.isfinite(scores).all(1)
    if bad.any():
        raise ValueError(f'{path}: {int(bad.sum())} clips have non-finite scores (e.g. '
                         f'{ids[int(np.flatnonzero(bad)[0])]}); the model diverged or the file '
                         'is damaged: test a finite checkpoint again')
    labels = np.array([int(r.get('gt_label', -1)) for r in records])
    stem = osp.splitext(osp.basename(path))[0]
    return ScoreStream(name or (f'{stem}:{key}' if key else stem), ids, scores, labels, path)


def align(streams: Sequence[ScoreStream]) -> List[ScoreStream]:
    """Re-order every stream to the first one's clip order; refuse different clip sets, class
    counts or labels (naming both files and example clips)."""
    ref = streams[0]
    index = {cid: i for i, cid in enumerate(ref.ids)}
    out = [ref]
    for s in streams[1:]:
        if set(s.ids) != set(index):
            missing = [c for c in ref.ids if c not in set(s.ids)]
            extra = [c for c in s.ids if c not in index]
            raise ValueError(
                f'{s.path} covers other clips than {ref.path}: {len(missing)} of its clips are '
                f'missing (e.g. {missing[:3]}) and {len(extra)} are extra (e.g. {extra[:3]}). '
                'Dump every stream on the same split and annotation file.')
        if s.scores.shape[1] != ref.scores.shape[1]:
            raise ValueError(f'{s.path} has {s.scores.shape[1]} classes, {ref.path} has '
                             f'{ref.scores.shape[1]}: they are models of different datasets')
        s = s.reorder(np.argsort([index[c] for c in s.ids]))
        known = (s.labels >= 0) & (ref.labels >= 0)
        if (s.labels[known] != ref.labels[known]).any():
            bad = [ref.ids[i] for i in np.flatnonzero(known & (s.labels != ref.labels))[:3]]
            raise ValueError(f'{s.path} and {ref.path} give different labels to the same clips '
                             f'(e.g. {bad}); they were dumped from different annotations')
        out.append(s)
    return out


def split_stream_spec(spec: str):
    """``'FILE'`` -> ``(FILE, None)``; ``'FILE:STREAM'`` (one stream of a multi-stream dump,
    e.g. ``rgbpose.pkl:rgb``) -> ``(FILE, STREAM)``."""
    path, sep, key = spec.rpartition(':')
    if sep and path and key and '/' not in key and '\\' not in key and not osp.isfile(spec):
        return path, key
    return spec, None


def load_stream_spec(spec: str, name: Optional[str] = None) -> ScoreStream:
    """:func:`load_stream` of ``FILE`` or ``FILE:STREAM``."""
    path, key = split_stream_spec(spec)
    return load_stream(path, name, key)
