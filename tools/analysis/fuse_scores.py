"""Fuse the per-clip scores of several models (streams) and write MiGA challenge submissions.

Each input is a ``tools/test.py CONFIG CKPT --dump x.pkl`` file (one record per clip with
``frame_dir``, ``pred_score``, ``gt_label``; :mod:`mmimigue.evaluation.score_dump`). Dumps are
matched clip by clip on ``frame_dir``: another order is re-ordered to the first dump's, and dumps
over different clip sets are refused, with examples, instead of being fused row by row.

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
- ``--submission-2024 FILE.zip``: MiGA 2024+ track 1, a zip holding ``submission.csv`` with the
  header ``Id,Target`` and one ``id,label`` line per clip.

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
import io
import itertools
import os.path as osp
import sys
import zipfile
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from mmimigue.fileio import atomic_write

# A fixed timestamp makes the zip's bytes depend on its content only.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SUBMISSION_MEMBER = 'submission.csv'


class Stream:
    """One dump: ids (N,), scores (N, K) float64 and labels (N,) (-1 where unknown)."""

    def __init__(self, name: str, ids: List[str], scores: np.ndarray, labels: np.ndarray):
        self.name, self.ids, self.scores, self.labels = name, ids, scores, labels


def load_stream(path: str, name: Optional[str] = None) -> Stream:
    """Read a score dump; a missing id or a clip listed twice is an error naming the file."""
    from mmimigue.evaluation import load_score_dump
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
    sizes = {np.asarray(r['pred_score']).size for r in records}
    if len(sizes) != 1:
        raise ValueError(f'{path}: clips have different numbers of class scores {sorted(sizes)}')
    scores = np.stack([np.asarray(r['pred_score'], np.float64).reshape(-1) for r in records])
    labels = np.array([int(r.get('gt_label', -1)) for r in records])
    return Stream(name or osp.splitext(osp.basename(path))[0], ids, scores, labels)


def align(streams: Sequence[Stream], paths: Sequence[str]) -> List[Stream]:
    """Re-order every stream to the first one's clip order; refuse different clip sets, class
    counts or labels."""
    ref = streams[0]
    index = {cid: i for i, cid in enumerate(ref.ids)}
    out = [ref]
    for s, path in zip(streams[1:], paths[1:]):
        if set(s.ids) != set(index):
            missing = [c for c in ref.ids if c not in set(s.ids)]
            extra = [c for c in s.ids if c not in index]
            raise ValueError(
                f'{path} covers other clips than {paths[0]}: {len(missing)} of its clips are '
                f'missing (e.g. {missing[:3]}) and {len(extra)} are extra (e.g. {extra[:3]}). '
                'Dump every stream on the same split and annotation file.')
        if s.scores.shape[1] != ref.scores.shape[1]:
            raise ValueError(f'{path} has {s.scores.shape[1]} classes, {paths[0]} has '
                             f'{ref.scores.shape[1]}: they are models of different datasets')
        order = np.argsort([index[c] for c in s.ids])
        s = Stream(s.name, [s.ids[i] for i in order], s.scores[order], s.labels[order])
        known = (s.labels >= 0) & (ref.labels >= 0)
        if (s.labels[known] != ref.labels[known]).any():
            bad = [ref.ids[i] for i in np.flatnonzero(known & (s.labels != ref.labels))[:3]]
            raise ValueError(f'{path} and {paths[0]} give different labels to the same clips '
                             f'(e.g. {bad}); they were dumped from different annotations')
        out.append(s)
    return out


def normalise(scores: np.ndarray, how: str) -> np.ndarray:
    if how == 'none':
        return scores
    from mmimigue.apis import to_probability
    return to_probability(scores).astype(np.float64)


def fuse(score_list: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """``sum_i w_i * scores_i``."""
    return sum(w * s for w, s in zip(weights, score_list))


def accuracies(scores: np.ndarray, labels: np.ndarray) -> Optional[Dict[str, float]]:
    """top-1 / top-5 / mean class accuracy as mmaction2's AccMetric computes them (None when any
    clip has no label)."""
    if len(labels) == 0 or (labels < 0).any():
        return None
    from mmaction.evaluation.functional import mean_class_accuracy, top_k_accuracy
    top1, top5 = top_k_accuracy(scores, labels, (1, min(5, scores.shape[1])))
    return dict(top1=float(top1), top5=float(top5),
                mean_class=float(mean_class_accuracy(scores, labels)))


def simplex_grid(num: int, step: float) -> np.ndarray:
    """Every weight vector of ``num`` non-negative multiples of ``step`` summing to 1."""
    n = int(round(1 / step))
    if n < 1 or abs(n * step - 1) > 1e-9:
        raise ValueError(f'--grid-step must divide 1 (0.1, 0.05, 0.25, ...), got {step}')
    # stars and bars: num - 1 bars among n + num - 1 places give each composition of n once
    if num == 1:
        return np.ones((1, 1))
    bars = np.array(list(itertools.combinations(range(n + num - 1), num - 1)), np.int64)
    edges = np.concatenate([np.full((len(bars), 1), -1), bars,
                            np.full((len(bars), 1), n + num - 1)], 1)
    return (np.diff(edges, axis=1) - 1).astype(np.float64) / n


def search_weights(score_list: Sequence[np.ndarray], labels: np.ndarray, step: float
                   ) -> Tuple[np.ndarray, Dict[str, float]]:
    """The grid weights with the best top-1 on (labelled) validation scores; ties go to the
    better mean class accuracy, then to the first (grid order)."""
    if (labels < 0).any():
        raise ValueError('--search needs validation dumps with labels (gt_label >= 0)')
    best, best_key, best_acc = None, None, None
    for w in simplex_grid(len(score_list), step):
        acc = accuracies(fuse(score_list, w), labels)
        key = (round(acc['top1'], 12), round(acc['mean_class'], 12))
        if best_key is None or key > best_key:
            best, best_key, best_acc = w, key, acc
    return best, best_acc


def submission_rows(ids: Sequence[str], scores: np.ndarray, index_ids: bool
                    ) -> List[Tuple[str, int]]:
    labels = scores.argmax(1)
    names = [str(i) for i in range(len(ids))] if index_ids else list(ids)
    return [(n, int(y)) for n, y in zip(names, labels)]


def write_submission_2023(path: str, rows: Sequence[Tuple[str, int]]) -> None:
    """MiGA 2023 track 1: ``id,label`` lines, no header, ``\\n`` line ends."""
    atomic_write(path, ''.join(f'{i},{y}\n' for i, y in rows))


def write_submission_2024(path: str, rows: Sequence[Tuple[str, int]]) -> None:
    """MiGA 2024+ track 1: ``submission.csv`` (header ``Id,Target``) in a zip."""
    if not path.endswith('.zip'):
        raise ValueError(f'--submission-2024 must be a .zip file, got {path}')
    csv = 'Id,Target\n' + ''.join(f'{i},{y}\n' for i, y in rows)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo(SUBMISSION_MEMBER, date_time=_ZIP_DATE), csv.encode(),
                   compress_type=zipfile.ZIP_DEFLATED)
    atomic_write(path, buf.getvalue())


def write_fused_dump(path: str, stream: Stream) -> None:
    from mmimigue.evaluation import MGScoreDump
    metric = MGScoreDump(path)
    metric.results = [dict(frame_dir=c, pred_score=s.astype(np.float32), gt_label=int(y))
                      for c, s, y in zip(stream.ids, stream.scores, stream.labels)]
    metric.compute_metrics(metric.results)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('dumps', nargs='+', help='score dumps of tools/test.py --dump, one per stream')
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
    p.add_argument('--submission-2023', help='MiGA 2023 track 1 csv (id,label; no header)')
    p.add_argument('--submission-2024', help='MiGA 2024+ track 1 zip (Id,Target csv inside)')
    p.add_argument('--index-ids', action='store_true', help='ids are 0-based positions in the '
                   'first dump instead of frame_dir')
    args = p.parse_args(argv)
    n = len(args.dumps)
    for opt in ('names', 'weights', 'val'):
        value = getattr(args, opt)
        if value is not None and len(value) != n:
            p.error(f'--{opt} takes one value per dump ({n}), got {len(value)}')
    if args.search and (args.val is None or args.weights is not None):
        p.error('--search needs --val (validation dumps of the same streams) and no --weights')
    return args


def _fmt(acc: Optional[Dict[str, float]]) -> str:
    if acc is None:
        return '     -        -        -'
    return f"{acc['top1']:8.4f} {acc['top5']:8.4f} {acc['mean_class']:8.4f}"


def main(argv=None) -> Dict:
    args = parse_args(argv)
    names = args.names or [None] * len(args.dumps)
    streams = align([load_stream(p, n) for p, n in zip(args.dumps, names)], args.dumps)
    probs = [normalise(s.scores, args.normalize) for s in streams]
    labels = streams[0].labels
    search = None
    if args.search:
        val = align([load_stream(p, n) for p, n in zip(args.val, names)], args.val)
        weights, val_acc = search_weights([normalise(s.scores, args.normalize) for s in val],
                                          val[0].labels, args.grid_step)
        search = dict(weights=weights.tolist(), val=val_acc)
    else:
        weights = np.asarray(args.weights if args.weights else [1.0] * len(streams))
    fused = Stream('fused', streams[0].ids, fuse(probs, weights), labels)
    result = dict(num_clips=len(labels), weights=[float(w) for w in weights], search=search,
                  streams={s.name: accuracies(p, labels) for s, p in zip(streams, probs)},
                  fused=accuracies(fused.scores, labels))
    width = max(len(s.name) for s in streams + [fused]) + 2
    print(f"{'stream':<{width}}  weight     top1     top5  mean_cls   ({len(labels)} clips)")
    for s, w in zip(streams, weights):
        print(f'{s.name:<{width}}  {w:6.3f} {_fmt(result["streams"][s.name])}')
    print(f"{'fused':<{width}}  {'':6} {_fmt(result['fused'])}")
    if search:
        print(f"weights chosen on {len(val[0].ids)} validation clips "
              f"(top-1 {search['val']['top1']:.4f}, grid step {args.grid_step})")
    if result['fused'] is None:
        print('no accuracy: some clips have no label (a challenge test set)')
    rows = submission_rows(fused.ids, fused.scores, args.index_ids)
    if args.out:
        write_fused_dump(args.out, fused)
        print(f'fused scores -> {args.out}')
    if args.submission_2023:
        write_submission_2023(args.submission_2023, rows)
        print(f'MiGA 2023 submission ({len(rows)} rows) -> {args.submission_2023}')
    if args.submission_2024:
        write_submission_2024(args.submission_2024, rows)
        print(f'MiGA 2024+ submission ({len(rows)} rows) -> {args.submission_2024}')
    return result


if __name__ == '__main__':
    try:
        main()
    except (ValueError, FileNotFoundError) as e:
        sys.exit(f'fuse_scores: {e}')
