"""Score fusion: class probabilities of several models (streams) summed with weights, weights
searched on validation scores, and accuracy as mmaction2's ``AccMetric`` computes it (numpy only,
so scorers run without torch; a test pins equality with mmaction2's functions)."""
import itertools
from typing import Dict, Optional, Sequence, Tuple

import numpy as np

from .score_files import ScoreStream, align, load_stream_spec


def to_probability(scores: np.ndarray) -> np.ndarray:
    """Rows (or one vector) that already form a distribution are kept, others go through softmax.

    Heads differ in what they return (mmaction2's average over test views of softmax scores,
    raw logits, similarities); downstream code wants probabilities either way.
    """
    scores = np.asarray(scores, np.float64)
    rows = scores.reshape(-1, scores.shape[-1])
    is_dist = (rows.min(-1) >= 0) & (np.abs(rows.sum(-1) - 1) < 1e-3)
    e = np.exp(rows - rows.max(-1, keepdims=True))
    soft = e / e.sum(-1, keepdims=True)
    return np.where(is_dist[:, None], rows, soft).astype(np.float32).reshape(scores.shape)


def normalise(scores: np.ndarray, how: str) -> np.ndarray:
    """``'prob'``: :func:`to_probability`; ``'none'``: the raw scores."""
    if how not in ('prob', 'none'):
        raise ValueError(f"normalise: how must be 'prob' or 'none', got {how!r}")
    return scores if how == 'none' else to_probability(scores).astype(np.float64)


def check_weights(weights: Sequence[float]) -> np.ndarray:
    """Weights as an array; non-finite or negative weights are refused (a NaN weight would make
    every fused score NaN and every submitted label 0)."""
    w = np.asarray(weights, np.float64)
    if not np.isfinite(w).all() or (w < 0).any():
        raise ValueError(f'fusion weights must be finite and >= 0, got {w.tolist()}')
    if not w.any():
        raise ValueError('fusion weights are all 0: no stream would count')
    return w


def fuse(score_list: Sequence[np.ndarray], weights: Sequence[float]) -> np.ndarray:
    """``sum_i w_i * scores_i``."""
    w = check_weights(weights)
    return sum(wi * s for wi, s in zip(w, score_list))


def top_k_accuracy(scores: np.ndarray, labels: np.ndarray, k: int) -> float:
    """Share of clips whose label is among the ``k`` highest scores (mmaction2's rule: argsort,
    so ties go to the higher class index)."""
    top = np.argsort(scores, axis=1)[:, -k:]
    return float((top == np.asarray(labels)[:, None]).any(1).mean())


def mean_class_accuracy(scores: np.ndarray, labels: np.ndarray) -> float:
    """mmaction2's mean class accuracy: the mean recall over the classes that occur as label or
    prediction (a predicted class without test clips counts as 0)."""
    pred = np.argmax(scores, axis=1)
    labels = np.asarray(labels)
    classes = np.unique(np.concatenate([pred, labels]))
    recall = [((labels == c) & (pred == c)).sum() / (labels == c).sum() if (labels == c).any()
              else 0.0 for c in classes]
    return float(np.mean(recall))


def accuracies(scores: np.ndarray, labels: np.ndarray) -> Optional[Dict[str, float]]:
    """top-1 / top-5 / mean class accuracy (None when any clip has no label)."""
    if len(labels) == 0 or (np.asarray(labels) < 0).any():
        return None
    return dict(top1=top_k_accuracy(scores, labels, 1),
                top5=top_k_accuracy(scores, labels, min(5, scores.shape[1])),
                mean_class=mean_class_accuracy(scores, labels))


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
    if (np.asarray(labels) < 0).any():
        raise ValueError('--search needs validation dumps with labels (gt_label >= 0)')
    best, best_key, best_acc = None, None, None
    for w in simplex_grid(len(score_list), step):
        if not w.any():
            continue
        acc = accuracies(fuse(score_list, w), labels)
        key = (round(acc['top1'], 12), round(acc['mean_class'], 12))
        if best_key is None or key > best_key:
            best, best_key, best_acc = w, key, acc
    return best, best_acc


def fuse_dumps(dumps: Sequence[str], names: Optional[Sequence[Optional[str]]] = None,
               weights: Optional[Sequence[float]] = None, val: Optional[Sequence[str]] = None,
               grid_step: float = 0.1, normalize: str = 'prob') -> Dict:
    """Fuse score dumps (``FILE`` or ``FILE:STREAM`` each) clip by clip.

    Args:
        dumps: One dump per stream (test or validation clips to fuse).
        names: Stream names for reports (default: the file stems).
        weights: One weight per stream (default 1 each); with ``val`` they are searched.
        val: Validation dumps of the same streams: the weights with the best top-1 on them
            (:func:`search_weights` over a ``grid_step`` simplex grid) are used.
        grid_step (float): Weight grid step of the search.
        normalize (str): ``'prob'`` (fuse probabilities) or ``'none'`` (raw scores).

    Returns:
        dict: ``streams`` (the aligned :class:`ScoreStream` list), ``fused`` (a ScoreStream),
        ``weights``, ``search`` (None or ``weights`` / ``val`` accuracy / ``num_clips``),
        ``accuracy`` (per stream name, and ``'fused'``; None without labels).
    """
    names = list(names) if names else [None] * len(dumps)
    streams = align([load_stream_spec(p, n) for p, n in zip(dumps, names)])
    probs = [normalise(s.scores, normalize) for s in streams]
    labels = streams[0].labels
    search = None
    if val is not None:
        vals = align([load_stream_spec(p, n) for p, n in zip(val, names)])
        if vals[0].scores.shape[1] != streams[0].scores.shape[1]:
            raise ValueError(f'the validation dumps score {vals[0].scores.shape[1]} classes, the '
                             f'fused dumps {streams[0].scores.shape[1]}: dump both with the '
                             'same models')
        w, val_acc = search_weights([normalise(s.scores, normalize) for s in vals],
                                    vals[0].labels, grid_step)
        search = dict(weights=w.tolist(), val=val_acc, num_clips=len(vals[0].ids))
    else:
        w = check_weights(weights if weights is not None else [1.0] * len(streams))
    fused = ScoreStream('fused', streams[0].ids, fuse(probs, w), labels)
    accuracy: Dict[str, Optional[Dict[str, float]]] = {
        s.name: accuracies(p, labels) for s, p in zip(streams, probs)}
    accuracy['fused'] = accuracies(fused.scores, labels)
    return dict(streams=streams, fused=fused, weights=[float(x) for x in w], search=search,
                accuracy=accuracy)

