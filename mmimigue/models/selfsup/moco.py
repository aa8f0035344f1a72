"""MoCo for skeletons: query / key encoders, a negative queue, InfoNCE (dual-stream sec. 4.2.2)."""
from typing import Dict, List, Optional, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.dist import all_gather, get_world_size
from mmengine.model import ExponentialMovingAverage

from ..mode_dispatch_model import ModeDispatchModel
from ..necks.skeleton_pool import skeleton_global_pool


def info_nce_loss(q: torch.Tensor, k: torch.Tensor, negatives: torch.Tensor,
                  temperature: float) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """InfoNCE of eq. 16-17 with one positive key per query and a shared negative set.

    ``L_i = -log( exp(q_i.k_i / T) / (exp(q_i.k_i / T) + sum_j exp(q_i.n_j / T)) )``, averaged over
    the batch. Inputs are expected to be L2-normalised, so the dot products are the cosine
    similarities of eq. 14-15.

    Args:
        q (torch.Tensor): ``(N, D)`` normalised queries.
        k (torch.Tensor): ``(N, D)`` normalised positive keys (row ``i`` pairs with query ``i``).
        negatives (torch.Tensor): ``(K, D)`` normalised negative keys (the queue).
        temperature (float): ``T`` of eq. 16.

    Returns:
        tuple: ``(loss, l_pos, l_neg)``: the scalar loss, ``(N,)`` positive and ``(N, K)`` negative
        similarities (before dividing by ``T``).
    """
    l_pos = (q * k).sum(dim=1)
    l_neg = q @ negatives.t()
    logits = torch.cat([l_pos[:, None], l_neg], dim=1) / temperature
    target = torch.zeros(q.shape[0], dtype=torch.long, device=q.device)
    return F.cross_entropy(logits, target), l_pos, l_neg


@MODELS.register_module()
class MGSkeletonMoCo(ModeDispatchModel):
    """MoCo (v1 queue + momentum key encoder, v2-style MLP projection) for skeleton clips.

    Any registered skeleton backbone works (mmaction2's ``STGCN`` / ``AAGCN``, :class:`MGBiGRU`,
    ...), followed by a projection neck (:class:`MGProjectionMLP`, eq. 12) into a ``feat_dim``
    embedding. Training inputs hold two augmented views per clip, ``(N, 2, M, T, V, C)`` as packed
    by ``MGMultiView(num_views=2)`` + ``PackActionInputs``: view 0 is the query, view 1 the key.

    One training step:

    1. ``q = normalize(neck(backbone(view0)))``.
    2. Momentum update of the key encoder (eq. 13), then
       ``k = normalize(key_neck(key_backbone(view1)))`` without gradients.
    3. InfoNCE (eq. 16) of ``q`` against ``k`` (positive) and the queue (negatives), temperature
       ``T``.
    4. The keys of *all* processes are gathered (``mmengine.dist.all_gather``) and enqueued,
       replacing the oldest ones (FIFO). Every process therefore holds the same queue.

    The queue is initialised with random unit vectors (as in MoCo); ``queue_fill`` in the log says
    how much of it holds real keys. The global batch (per-process batch x world size) must divide
    ``queue_len`` and stay constant (use ``drop_last=True``); otherwise a clear error is raised.
    The key encoder's BatchNorm statistics evolve on their own (only parameters are
    momentum-updated, as in MoCo); no shuffle-BN is applied (the paper does not use it).

    Logged values: ``loss_nce`` (InfoNCE), ``pos_sim`` (mean cosine similarity of positive pairs),
    ``neg_sim`` (mean cosine similarity to the queue), ``contrast_acc`` (how often the positive
    beats all negatives) and ``queue_fill`` (fraction of the queue filled with real keys).

    ``mode='tensor'`` returns pooled query-backbone features ``(N, C)`` (clips averaged), the
    features used by linear evaluation and :class:`MGKNNEvalHook`.

    Args:
        backbone (dict): Backbone config (input ``(N, M, T, V, C)``).
        neck (dict): Projection neck config, output ``(N, feat_dim)``.
        queue_len (int): Number of negative keys ``K``. Defaults to 512 (paper, iMiGUE).
        feat_dim (int): Embedding size. Defaults to 128 (paper).
        key_momentum (float): ``m`` in ``key <- m * key + (1 - m) * query`` (eq. 13), in (0, 1).
            Defaults to 0.999 (the key encoder moves 0.1 % of the way to the query encoder per
            step). The key encoder is mmengine's ``ExponentialMovingAverage`` of the query
            encoder with ``momentum = 1 - m`` (mmengine's convention).
        temperature (float): ``T`` of eq. 16. Defaults to 0.07 (paper).
        data_preprocessor (dict, optional): Defaults to ``ActionDataPreprocessor``.
        init_cfg (dict or list[dict], optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 backbone: Dict,
                 neck: Dict,
                 queue_len: int = 512,
                 feat_dim: int = 128,
                 key_momentum: float = 0.999,
                 temperature: float = 0.07,
                 data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if not 0. < key_momentum < 1.:
            raise ValueError(f'MGSkeletonMoCo: key_momentum must be in (0, 1), got {key_momentum}')
        if queue_len < 1 or temperature <= 0:
            raise ValueError(f'MGSkeletonMoCo: queue_len ({queue_len}) must be >= 1 and temperature '
                             f'({temperature}) > 0')
        self.queue_len = queue_len
        self.feat_dim = feat_dim
        self.key_momentum = key_momentum
        self.temperature = temperature

        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck)
        # eq. 13 is an exponential moving average of the query encoder: mmengine's own
        self.key_encoder = ExponentialMovingAverage(self._query_encoder(),
                                                    momentum=1. - key_momentum)
        self.key_encoder.steps.fill_(1)  # already a copy: every update averages (no re-copy)
        for p in self._key_params():
            p.requires_grad = False
        self._register_load_state_dict_pre_hook(self._rename_earlier_key_encoder)

        self.register_buffer('queue', F.normalize(torch.randn(queue_len, feat_dim), dim=1))
        self.register_buffer('queue_ptr', torch.zeros((), dtype=torch.long))
        self.register_buffer('queue_count', torch.zeros((), dtype=torch.long))

    # ----------------------------------------------------------------- encoders
    def _query_encoder(self) -> nn.ModuleDict:
        """The query backbone and neck under the names the key encoder uses (not registered)."""
        return nn.ModuleDict(dict(backbone=self.backbone, neck=self.neck))

    @property
    def key_backbone(self) -> nn.Module:
        return self.key_encoder.module.backbone

    @property
    def key_neck(self) -> nn.Module:
        return self.key_encoder.module.neck

    def _query_params(self) -> List[nn.Parameter]:
        return list(self.backbone.parameters()) + list(self.neck.parameters())

    def _key_params(self) -> List[nn.Parameter]:
        return list(self.key_backbone.parameters()) + list(self.key_neck.parameters())

    @staticmethod
    def _rename_earlier_key_encoder(state_dict, prefix, *args) -> None:
        """Checkpoints written before the key encoder was mmengine's EMA hold ``key_backbone.*``
        / ``key_neck.*``: load them under the new names (an averaging, not copying, encoder)."""
        for old, new in (('key_backbone.', 'key_encoder.module.backbone.'),
                         ('key_neck.', 'key_encoder.module.neck.')):
            for key in [k for k in state_dict if k.startswith(prefix + old)]:
                state_dict[prefix + new + key[len(prefix + old):]] = state_dict.pop(key)
        if any(k.startswith(prefix + 'key_encoder.module.') for k in state_dict):
            state_dict.setdefault(prefix + 'key_encoder.steps', torch.tensor(1))

    def init_weights(self) -> None:
        """Initialise the query encoder, then start the key encoder as an exact copy."""
        super().init_weights()
        with torch.no_grad():
            for pk, pq in zip(self._key_params(), self._query_params()):
                pk.copy_(pq)
            for bk, bq in zip(self.key_backbone.buffers(), self.backbone.buffers()):
                bk.copy_(bq)

    @torch.no_grad()
    def momentum_update(self) -> None:
        """Eq. 13: ``key <- key_momentum * key + (1 - key_momentum) * query``, every parameter
        (mmengine's ``ExponentialMovingAverage.update_parameters``; buffers are not averaged)."""
        self.key_encoder.update_parameters(self._query_encoder())

    def encode_query(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, M, T, V, C)`` -> L2-normalised ``(N, feat_dim)`` query embeddings."""
        return F.normalize(self.neck(self.backbone(x)).float(), dim=1)

    @torch.no_grad()
    def encode_key(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, M, T, V, C)`` -> L2-normalised ``(N, feat_dim)`` key embeddings (no gradient)."""
        return F.normalize(self.key_neck(self.key_backbone(x)).float(), dim=1)

    # -------------------------------------------------------------------- queue
    @torch.no_grad()
    def _gather_keys(self, keys: torch.Tensor) -> torch.Tensor:
        """Concatenate the keys of all processes (rank order), so every rank enqueues the same."""
        if get_world_size() == 1:
            return keys
        return torch.cat(all_gather(keys.contiguous()), dim=0)

    @torch.no_grad()
    def enqueue(self, keys: torch.Tensor) -> None:
        """Gather ``keys`` from all processes and write them over the oldest queue entries.

        Raises:
            ValueError: if the global batch does not divide ``queue_len``, or changed size so that
                the pointer is no longer aligned (e.g. a smaller last batch without ``drop_last``).
        """
        local = keys.shape[0]
        keys = self._gather_keys(keys)
        batch = keys.shape[0]
        world = get_world_size()
        if self.queue_len % batch != 0:
            raise ValueError(
                f'{type(self).__name__}: queue_len={self.queue_len} is not a multiple of the '
                f'global batch size {batch} ({local} per process x {world} process(es)). Set '
                f'queue_len to a multiple of {batch} (e.g. model.queue_len='
                f'{max(batch, self.queue_len // batch * batch)}) or change '
                'train_dataloader.batch_size / the number of processes, and keep '
                'drop_last=True so every batch has the same size.')
        ptr = int(self.queue_ptr)
        if ptr % batch != 0:
            raise ValueError(
                f'{type(self).__name__}: the global batch size changed to {batch} while the '
                f'queue pointer is at {ptr}; MoCo needs a constant batch: set '
                'train_dataloader.drop_last=True (and resume with the same batch size and number '
                'of processes).')
        self.queue[ptr:ptr + batch] = keys.to(self.queue.dtype)
        self.queue_ptr.fill_((ptr + batch) % self.queue_len)
        self.queue_count.add_(batch)

    # ------------------------------------------------------------------ forward
    def extract_feat(self, inputs: torch.Tensor) -> torch.Tensor:
        """Pooled query-backbone features ``(N, C)`` of ``(N, [num_clips,] M, T, V, C)`` inputs."""
        if inputs.dim() == 6:
            n, nc = inputs.shape[:2]
            feats = skeleton_global_pool(self.backbone(inputs.flatten(0, 1)))
            return feats.view(n, nc, -1).mean(dim=1)
        return skeleton_global_pool(self.backbone(inputs))

    def loss(self, inputs: torch.Tensor, data_samples=None) -> Dict[str, torch.Tensor]:
        """One MoCo step on ``(N, 2, M, T, V, C)`` two-view inputs; enqueues the keys."""
        if inputs.dim() != 6 or inputs.shape[1] < 2:
            raise ValueError(
                f'{type(self).__name__} trains on two augmented views shaped (N, 2, M, T, V, C), '
                f'got {tuple(inputs.shape)}: wrap the augmentations in the training pipeline with '
                "dict(type='MGMultiView', transforms=[...], num_views=2) before PackActionInputs")
        q = self.encode_query(inputs[:, 0])
        self.momentum_update()
        k = self.encode_key(inputs[:, 1])
        loss, l_pos, l_neg = info_nce_loss(q, k, self.queue.clone().detach(), self.temperature)
        with torch.no_grad():
            contrast_acc = (l_pos[:, None] > l_neg).all(dim=1).float().mean()
            fill = self.queue_count.clamp(max=self.queue_len).float() / self.queue_len
        self.enqueue(k)
        return dict(
            loss_nce=loss,
            pos_sim=l_pos.detach().mean(),
            neg_sim=l_neg.detach().mean(),
            contrast_acc=contrast_acc,
            queue_fill=fill)


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='SkeletonMoCo', module=MGSkeletonMoCo)
