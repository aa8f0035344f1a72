"""K-nearest-neighbour classification of frozen features (the U-S-VAE / P&C evaluation protocol).

A memory bank of features and labels (training split) classifies query features (test split).
Model-agnostic: :func:`extract_features` only needs ``model(inputs, data_samples, mode='tensor')``
to return ``(N, D)`` features or a dict of them (one per stream).
"""
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from mmaction.evaluation import mean_class_accuracy, top_k_accuracy
from mmengine.dist import collect_results
from mmengine.model import is_model_wrapper

from ..engine.progress import Heartbeat, loader_length

_DISTANCES = ('cosine', 'euclidean')
_WEIGHTINGS = ('uniform', 'softmax')
Features = Union[torch.Tensor, Dict[str, torch.Tensor]]


def knn_classify(bank_feats: torch.Tensor,
                 bank_labels: torch.Tensor,
                 query_feats: torch.Tensor,
                 k: int = 1,
                 distance: str = 'cosine',
                 weighting: str = 'uniform',
                 temperature: float = 0.07,
                 num_classes: Optional[int] = None,
                 chunk_size: int = 2048) -> torch.Tensor:
    """Class scores of ``query_feats`` from their ``k`` nearest bank features.

    ``distance='cosine'`` ranks by cosine similarity (features L2-normalised), ``'euclidean'`` by
    L2 distance. ``weighting='uniform'`` gives each neighbour one vote (ties go to the class with
    the nearer neighbours: vote ``r`` of ``k`` weighs ``1 + 1e-6 * (k - r) / k``); ``'softmax'``
    weighs neighbours by ``softmax(s / temperature)`` over the ``k`` neighbours, with ``s`` the
    cosine similarity or the negative distance. Scores of a query sum to 1.

    Args:
        bank_feats (torch.Tensor): ``(Nb, D)`` memory-bank features.
        bank_labels (torch.Tensor): ``(Nb,)`` integer labels.
        query_feats (torch.Tensor): ``(Nq, D)`` features to classify.
        k (int): Neighbours (clamped to the bank size). Defaults to 1.
        distance (str): ``'cosine'`` or ``'euclidean'``. Defaults to ``'cosine'``.
        weighting (str): ``'uniform'`` or ``'softmax'``. Defaults to ``'uniform'``.
        temperature (float): Softmax temperature for ``weighting='softmax'``. Defaults to 0.07.
        num_classes (int, optional): Score width; defaults to ``max(label) + 1``.
        chunk_size (int): Queries per similarity block (bounds memory). Defaults to 2048.

    Returns:
        torch.Tensor: ``(Nq, num_classes)`` float scores.
    """
    if distance not in _DISTANCES:
        raise ValueError(f'knn_classify: distance must be one of {_DISTANCES}, got {distance!r}')
    if weighting not in _WEIGHTINGS:
        raise ValueError(f'knn_classify: weighting must be one of {_WEIGHTINGS}, got {weighting!r}')
    if (bank_feats.dim() != 2 or query_feats.dim() != 2
            or bank_feats.shape[1] != query_feats.shape[1]):
        raise ValueError('knn_classify: expected (Nb, D) bank and (Nq, D) query features, got '
                         f'{tuple(bank_feats.shape)} and {tuple(query_feats.shape)}')
    if bank_feats.shape[0] == 0 or bank_feats.shape[0] != bank_labels.shape[0]:
        raise ValueError(f'knn_classify: the bank needs >= 1 feature and one label per feature, '
                         f'got {bank_feats.shape[0]} features and {bank_labels.shape[0]} labels')
    bank = bank_feats.float()
    query = query_feats.float()
    labels = bank_labels.long().view(-1)
    num_classes = int(num_classes or int(labels.max()) + 1)
    k = max(1, min(int(k), bank.shape[0]))
    if distance == 'cosine':
        bank = F.normalize(bank, dim=1)
        query = F.normalize(query, dim=1)
    rank_bonus = 1. + 1e-6 * torch.arange(k, 0, -1, dtype=torch.float32) / k
    out = []
    for start in range(0, query.shape[0], chunk_size):
        q = query[start:start + chunk_size]
        sim = q @ bank.t() if distance == 'cosine' else -torch.cdist(q, bank)
        top_sim, top_idx = sim.topk(k, dim=1)  # sorted, nearest first
        if weighting == 'uniform':
            weights = rank_bonus.expand_as(top_sim) / rank_bonus.sum()
        else:
            weights = F.softmax(top_sim / temperature, dim=1)
        scores = torch.zeros(q.shape[0], num_classes)
        scores.scatter_add_(1, labels[top_idx], weights)
        out.append(scores)
    return torch.cat(out, dim=0)


def knn_accuracy(bank_feats: torch.Tensor, bank_labels: torch.Tensor, query_feats: torch.Tensor,
                 query_labels: torch.Tensor, **kwargs) -> Dict[str, float]:
    """Top-1 and mean-class accuracy of :func:`knn_classify` on labelled queries.

    Args:
        bank_feats, bank_labels, query_feats: as in :func:`knn_classify`.
        query_labels (torch.Tensor): ``(Nq,)`` ground truth.
        **kwargs: forwarded to :func:`knn_classify` (``k``, ``distance`` ...).

    Returns:
        dict: ``top1`` and ``mean1`` (mean class accuracy), as fractions.
    """
    num_classes = int(max(int(bank_labels.max()), int(query_labels.max())) + 1)
    kwargs.setdefault('num_classes', num_classes)
    scores = knn_classify(bank_feats, bank_labels, query_feats, **kwargs).numpy()
    labels = query_labels.long().view(-1).numpy()
    top1 = top_k_accuracy(list(scores), list(labels), (1, ))[0]
    return dict(top1=float(top1), mean1=float(mean_class_accuracy(list(scores), list(labels))))


@torch.no_grad()
def extract_features(model: torch.nn.Module, dataloader) -> Tuple[Features, torch.Tensor]:
    """Run ``model(..., mode='tensor')`` over a dataloader; collect features and labels.

    Works in distributed runs: every rank encodes its shard of a ``DefaultSampler`` dataloader
    and rank 0 receives all samples in dataset order (other ranks get ``(None, None)``).

    Args:
        model (nn.Module): A mmengine model (wrapped or not) whose ``mode='tensor'`` forward returns
            ``(N, D)`` features or a dict ``{name: (N, D)}``.
        dataloader: A built dataloader yielding ``dict(inputs=..., data_samples=...)`` with
            ``gt_label`` in the data samples.

    Returns:
        tuple: features (tensor or dict of tensors, ``(len(dataset), D)``) and ``(len(dataset),)``
        labels on rank 0.
    """
    if is_model_wrapper(model):
        model = model.module
    was_training = model.training
    model.eval()
    part = []
    beat = Heartbeat('KNN features: batches', loader_length(dataloader))
    try:
        for step, data in enumerate(dataloader, 1):
            data = model.data_preprocessor(data, False)
            feats = model(data['inputs'], data['data_samples'], mode='tensor')
            labels = [int(s.gt_label.view(-1)[0]) for s in data['data_samples']]
            if isinstance(feats, dict):
                cpu = {n: f.detach().float().cpu() for n, f in feats.items()}
                part += [({n: f[i] for n, f in cpu.items()}, labels[i]) for i in range(len(labels))]
            else:
                cpu = feats.detach().float().cpu()
                if cpu.dim() != 2:
                    raise ValueError(f'{type(model).__name__}(mode="tensor") returned features '
                                     f'{tuple(cpu.shape)}; KNN needs (N, D) or a dict of them')
                part += [(cpu[i], labels[i]) for i in range(len(labels))]
            beat.step(step)
    finally:
        model.train(was_training)
    results = collect_results(part, len(dataloader.dataset), device='cpu')
    if results is None:
        return None, None
    labels = torch.tensor([r[1] for r in results], dtype=torch.long)
    if isinstance(results[0][0], dict):
        feats = {n: torch.stack([r[0][n] for r in results]) for n in results[0][0]}
    else:
        feats = torch.stack([r[0] for r in results])
    return feats, labels


def evaluate_knn(bank: Tuple[Features, torch.Tensor],
                 query: Tuple[Features, torch.Tensor],
                 ks: Sequence[int] = (1, ),
                 **kwargs) -> Dict[str, float]:
    """KNN accuracies for every feature set and every ``k``.

    Args:
        bank (tuple): ``(features, labels)`` of the memory bank (features: tensor or dict).
        query (tuple): ``(features, labels)`` to classify, same feature names.
        ks (sequence[int]): Neighbour counts to report. Defaults to ``(1,)``.
        **kwargs: forwarded to :func:`knn_classify` (``distance``, ``weighting`` ...).

    Returns:
        dict: ``{'[<name>_]k<k>_top1': .., '[<name>_]k<k>_mean1': ..}``.
    """
    bank_feats, bank_labels = bank
    query_feats, query_labels = query
    named = isinstance(bank_feats, dict)
    if not named:
        bank_feats, query_feats = {'': bank_feats}, {'': query_feats}
    metrics = {}
    for name in bank_feats:
        for k in ks:
            acc = knn_accuracy(bank_feats[name], bank_labels, query_feats[name], query_labels,
                               k=k, **kwargs)
            for key, value in acc.items():
                metrics[f'{name + "_" if named else ""}k{k}_{key}'] = value
    return metrics


__all__ = ['knn_classify', 'knn_accuracy', 'extract_features', 'evaluate_knn']


def classwise_nn_scores(bank, bank_labels, query, num_classes: int, distance: str):
    """Per class, the similarity of a query to its nearest bank sample of that class.

    Ranking classes by it gives KNN top-k: its top-1 equals 1-nearest-neighbour classification.
    """
    if distance == 'cosine':
        sim = F.normalize(query.float(), dim=1) @ F.normalize(bank.float(), dim=1).t()
    else:
        sim = -torch.cdist(query.float(), bank.float())
    scores = torch.full((query.shape[0], num_classes), float('-inf'))
    index = bank_labels.long().view(1, -1).expand_as(sim)
    return scores.scatter_reduce(1, index, sim, reduce='amax')
