"""Hook running KNN evaluation of frozen features during pretraining or linear evaluation."""
import copy
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

from mmaction.registry import HOOKS
from mmengine.dist import broadcast_object_list, is_main_process
from mmengine.hooks import Hook

from .knn import evaluate_knn, extract_features


@HOOKS.register_module()
class MGKNNEvalHook(Hook):
    """KNN accuracy of a model's frozen features: train-split memory bank, test-split queries.

    Works with any model whose ``forward(inputs, data_samples, mode='tensor')`` returns ``(N, D)``
    features or a dict of them per stream (:class:`MGSkeletonMoCo`, :class:`MGDualStreamMoCo`,
    :class:`MGDualStreamRecognizer`, ...). Both dataloaders should use a deterministic (test-style)
    pipeline; they follow the distributed sampler, and rank 0 computes the accuracies.

    Results are logged (``knn/<stream>_k<k>_top1`` and ``_mean1``, fractions), sent to the
    visualizer (so they land in ``vis_data/scalars.json``), appended to
    ``<work_dir>/knn_eval.jsonl`` and kept in :attr:`history`.

    Args:
        bank_dataloader (dict): Dataloader config of the memory bank (training split).
        query_dataloader (dict): Dataloader config of the queries (test split).
        k (int | sequence[int]): Neighbour count(s). Defaults to 1 (nearest neighbour).
        distance (str): ``'cosine'`` or ``'euclidean'``. Defaults to ``'cosine'``.
        weighting (str): ``'uniform'`` votes or ``'softmax'`` similarity weights. Defaults to
            ``'uniform'``.
        temperature (float): Temperature of ``'softmax'`` weighting. Defaults to 0.07.
        interval (int): Evaluate after every ``interval`` training epochs and after the last one;
            0 disables evaluation during training. Defaults to 1.
        eval_before_train (bool): Also evaluate before the first epoch (e.g. the random or the
            freshly loaded encoder). Defaults to False.
        prefix (str): Metric name prefix. Defaults to ``'knn'``.
    """

    priority = 'LOW'

    def __init__(self,
                 bank_dataloader: Dict,
                 query_dataloader: Dict,
                 k: Union[int, Sequence[int]] = 1,
                 distance: str = 'cosine',
                 weighting: str = 'uniform',
                 temperature: float = 0.07,
                 interval: int = 1,
                 eval_before_train: bool = False,
                 prefix: str = 'knn') -> None:
        self.bank_cfg = copy.deepcopy(bank_dataloader)
        self.query_cfg = copy.deepcopy(query_dataloader)
        self.ks = (k, ) if isinstance(k, int) else tuple(k)
        self.knn_kwargs = dict(distance=distance, weighting=weighting, temperature=temperature)
        if distance not in ('cosine', 'euclidean') or weighting not in ('uniform', 'softmax'):
            raise ValueError(f'MGKNNEvalHook: distance must be cosine|euclidean and weighting '
                             f'uniform|softmax, got {distance!r}, {weighting!r}')
        self.interval = interval
        self.eval_before_train = eval_before_train
        self.prefix = prefix
        self.history: List[Dict] = []
        self._loaders = None

    def build_loaders(self, runner):
        if self._loaders is None:
            self._loaders = (runner.build_dataloader(self.bank_cfg, seed=runner.seed),
                             runner.build_dataloader(self.query_cfg, seed=runner.seed))
        return self._loaders

    def evaluate(self, runner, tag: str = 'train', epoch: Optional[int] = None) -> Dict[str, float]:
        """Encode bank and queries with the current model and log the KNN accuracies.

        Args:
            runner: The runner.
            tag (str): Label of the record (``'before_train'``, ``'train'`` ...).
            epoch (int, optional): Completed training epochs; defaults to ``runner.epoch``.
        """
        bank_loader, query_loader = self.build_loaders(runner)
        bank = extract_features(runner.model, bank_loader)
        query = extract_features(runner.model, query_loader)
        metrics = None
        if is_main_process():
            metrics = evaluate_knn(bank, query, ks=self.ks, **self.knn_kwargs)
            metrics = {f'{self.prefix}/{k}': v for k, v in metrics.items()}
        box = [metrics]
        broadcast_object_list(box)
        metrics = box[0]
        epoch = runner.epoch if epoch is None else epoch
        record = dict(epoch=epoch, iter=runner.iter, tag=tag, **metrics)
        self.history.append(record)
        runner.logger.info(f'KNN evaluation ({tag}, after {epoch} epoch(s)): ' +
                           ', '.join(f'{k}: {v:.4f}' for k, v in metrics.items()))
        runner.visualizer.add_scalars(metrics, step=epoch)
        if is_main_process():
            with open(osp.join(runner.work_dir, 'knn_eval.jsonl'), 'a') as f:
                f.write(json.dumps(record) + '\n')
        return metrics

    def before_train(self, runner) -> None:
        if self.eval_before_train:
            self.evaluate(runner, tag='before_train', epoch=0)

    def after_train_epoch(self, runner) -> None:
        if self.interval > 0 and (self.every_n_epochs(runner, self.interval)
                                  or self.is_last_train_epoch(runner)):
            self.evaluate(runner, tag='train', epoch=runner.epoch + 1)  # epoch is 0-based here


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
KNN_HOOK_NAMES = ('MGKNNEvalHook', 'KNNEvalHook')  # how a config may name this hook
HOOKS.register_module(name='KNNEvalHook', module=MGKNNEvalHook)
