"""GE-CN backbone: Graph-Encoding Convolutional Network for micro-gestures.

Shah, Chen, Zhao, "Representation Learning for Topology-adaptive Micro-gesture Recognition and
Analysis", MiGA@IJCAI 2023 (``shared/papers/gecn_topology_adaptive_mg_recognition.txt``).

The backbone holds the paper's embedding module (eq. 1) and its stack of encoding modules
(self-attention graph convolution S-GC, eq. 3-5, then multi-scale temporal convolution MS-TC,
each followed by normalisation). Global pooling, the reparameterisation step and the linear
classifier live in :class:`mmimigue.models.heads.MGGECNHead` (backbones expose features, heads own
classification). Input and output follow mmaction2's GCN backbones, so ``RecognizerGCN`` drives
it unchanged: ``(N, M, T, V, C)`` in, ``(N, M, C', T', V)`` out.
"""
import math
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmaction.models.utils import Graph
from mmaction.registry import MODELS
from mmengine.model import BaseModule


def _topology_init(A: torch.Tensor, num_heads: int) -> torch.Tensor:
    """Initial shared topology, one ``V x V`` matrix per head.

    With as many heads as graph partitions (mmaction2's ``'spatial'`` mode gives 3: self,
    inward, outward, the paper's default M = 3), head m starts from partition m; otherwise every
    head starts from the sum of the partitions (the normalised adjacency with self loops).
    """
    if A.shape[0] == num_heads:
        return A.clone()
    return A.sum(0, keepdim=True).repeat(num_heads, 1, 1)


class SelfAttentionGraphConv(BaseModule):
    """Self-attention graph convolution (S-GC), GE-CN eq. 3-5.

    For every frame t and head m, the attention map
    ``S_m(psi_t) = softmax(psi_t W_K,m (psi_t W_Q,m)^T / sqrt(D'))`` (rows sum to 1) is multiplied
    element-wise by a learnable topology ``A_m`` shared over time, and the joint features are
    updated by ``sum_m (A_m * S_m) psi_t W_m``, then batch-normalised, added to a residual and
    passed through ReLU.

    Args:
        in_channels (int): Input feature channels.
        out_channels (int): Output feature channels.
        A (torch.Tensor): Initial shared topology ``(num_heads, V, V)``.
        qk_channels (int): Query/key dimension D' of each head.
        residual (bool): Add a (projected) residual. Defaults to True.
    """

    def __init__(self, in_channels: int, out_channels: int, A: torch.Tensor, qk_channels: int,
                 residual: bool = True) -> None:
        super().__init__()
        self.num_heads, self.num_nodes = A.shape[0], A.shape[1]
        self.out_channels = out_channels
        self.qk_channels = qk_channels
        self.query = nn.Conv2d(in_channels, self.num_heads * qk_channels, 1)
        self.key = nn.Conv2d(in_channels, self.num_heads * qk_channels, 1)
        self.value = nn.Conv2d(in_channels, self.num_heads * out_channels, 1)
        self.topology = nn.Parameter(A.clone().float())
        self.bn = nn.BatchNorm2d(out_channels)
        if not residual:
            self.down = None
        elif in_channels == out_channels:
            self.down = nn.Identity()
        else:
            self.down = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1),
                                      nn.BatchNorm2d(out_channels))
        self.act = nn.ReLU(inplace=True)

    def attention(self, x: torch.Tensor) -> torch.Tensor:
        """Self-attention maps S (eq. 3).

        Args:
            x (torch.Tensor): Features ``(N, C, T, V)``.

        Returns:
            torch.Tensor: ``(N, heads, T, V, V)``; ``S[..., u, v]`` weights joint v's message
            to joint u, and each row sums to 1.
        """
        n, _, t, v = x.shape
        q = self.query(x).view(n, self.num_heads, self.qk_channels, t, v)
        k = self.key(x).view(n, self.num_heads, self.qk_channels, t, v)
        logits = torch.einsum('nhdtu,nhdtv->nhtuv', k, q) / math.sqrt(self.qk_channels)
        return logits.softmax(dim=-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, C_in, T, V)`` -> ``(N, C_out, T, V)`` (eq. 4-5)."""
        n, _, t, v = x.shape
        if v != self.num_nodes:
            raise ValueError(f'S-GC built for {self.num_nodes} joints got {v}; set graph_cfg '
                             f'layout to the layout of the data')
        adj = self.attention(x) * self.topology[None, :, None]  # (N, H, T, V, V)
        val = self.value(x).view(n, self.num_heads, self.out_channels, t, v)
        out = self.bn(torch.einsum('nhtuv,nhctv->nctu', adj, val))
        if self.down is not None:
            out = out + self.down(x)
        return self.act(out)


class MultiScaleTemporalConv(BaseModule):
    """Multi-scale temporal convolution (MS-TC): parallel branches with different kernel sizes.

    Each branch is ``1x1 conv -> BN -> ReLU -> (k x 1) temporal conv -> BN``; the branches split
    the output channels and are concatenated.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (summed over branches).
        kernel_sizes (Sequence[int]): Temporal kernel size of each branch (odd).
            Defaults to ``(3, 5, 7)``.
        stride (int): Temporal stride. Defaults to 1.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 kernel_sizes: Sequence[int] = (3, 5, 7), stride: int = 1) -> None:
        super().__init__()
        if any(k % 2 == 0 for k in kernel_sizes):
            raise ValueError(f'MS-TC kernel sizes must be odd, got {tuple(kernel_sizes)}')
        n = len(kernel_sizes)
        widths = [out_channels // n] * n
        widths[0] += out_channels - sum(widths)
        self.branches = nn.ModuleList(
            nn.Sequential(
                nn.Conv2d(in_channels, w, 1), nn.BatchNorm2d(w), nn.ReLU(inplace=True),
                nn.Conv2d(w, w, (k, 1), stride=(stride, 1), padding=((k - 1) // 2, 0)),
                nn.BatchNorm2d(w)) for k, w in zip(kernel_sizes, widths))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, C_in, T, V)`` -> ``(N, C_out, ceil(T / stride), V)``."""
        return torch.cat([branch(x) for branch in self.branches], dim=1)


class GECNBlock(BaseModule):
    """One encoding module: S-GC then MS-TC, with a block residual and ReLU."""

    def __init__(self, in_channels: int, out_channels: int, A: torch.Tensor, qk_channels: int,
                 kernel_sizes: Sequence[int], stride: int = 1, residual: bool = True,
                 dropout: float = 0.) -> None:
        super().__init__()
        self.gcn = SelfAttentionGraphConv(in_channels, out_channels, A, qk_channels)
        self.tcn = MultiScaleTemporalConv(out_channels, out_channels, kernel_sizes, stride)
        self.drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        if not residual:
            self.residual = None
        elif in_channels == out_channels and stride == 1:
            self.residual = nn.Identity()
        else:
            self.residual = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=(stride, 1)),
                nn.BatchNorm2d(out_channels))
        self.act = nn.ReLU(inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.drop(self.tcn(self.gcn(x)))
        if self.residual is not None:
            out = out + self.residual(x)
        return self.act(out)


@MODELS.register_module()
class MGGECN(BaseModule):
    """Graph-Encoding Convolutional Network backbone (GE-CN).

    Embedding (eq. 1): ``psi_t = Lin(X_t) + PE`` with a learnable positional embedding
    ``PE in R^{V x D0}``; then ``num_stages`` encoding modules (:class:`GECNBlock`), doubling the
    channels at ``inflate_stages`` and halving time at ``down_stages`` (mmaction2's STGCN
    convention; the defaults give 64-64-64-64-128-128-128-256-256-256 channels, the InfoGCN
    backbone the paper builds on). Works for any layout mmaction2's ``Graph`` accepts, including
    ``'imigue22'`` (iMiGUE, 22 joints) and ``'ntu25'`` (SMG, 25 joints).

    Args:
        graph_cfg (dict): Graph config, e.g. ``dict(layout='imigue22', mode='spatial')``; the
            graph initialises the shared topology (see :func:`_topology_init`).
        in_channels (int): Channels per joint (3 for 2D keypoints + score, 3 for 3D).
            Defaults to 3.
        base_channels (int): Embedding size D0. Defaults to 64.
        num_heads (int): Attention heads M. Defaults to 3.
        qk_ratio (float): Query/key size D' per head as a fraction of the block's input channels.
            Defaults to 0.25.
        num_stages (int): Number of encoding modules. Defaults to 10.
        inflate_stages (Sequence[int]): 1-based stages that double the channels.
            Defaults to ``(5, 8)``.
        down_stages (Sequence[int]): 1-based stages with temporal stride 2. Defaults to ``(5, 8)``.
        temporal_kernel_sizes (Sequence[int]): MS-TC kernel sizes. Defaults to ``(3, 5, 7)``.
        data_bn_type (str): ``'VC'``, ``'MVC'`` or ``'none'`` input batch norm, as in mmaction2's
            STGCN. Defaults to ``'VC'``.
        num_person (int): Persons M for ``data_bn_type='MVC'``. Defaults to 1.
        dropout (float): Dropout after each MS-TC. Defaults to 0.
        init_cfg (dict or list[dict], optional): Initialisation config.
    """

    def __init__(self,
                 graph_cfg: Dict,
                 in_channels: int = 3,
                 base_channels: int = 64,
                 num_heads: int = 3,
                 qk_ratio: float = 0.25,
                 num_stages: int = 10,
                 inflate_stages: Sequence[int] = (5, 8),
                 down_stages: Sequence[int] = (5, 8),
                 temporal_kernel_sizes: Sequence[int] = (3, 5, 7),
                 data_bn_type: str = 'VC',
                 num_person: int = 1,
                 dropout: float = 0.,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.graph = Graph(**graph_cfg)
        A = torch.tensor(self.graph.A, dtype=torch.float32)
        self.num_nodes = A.shape[-1]
        self.in_channels = in_channels
        self.data_bn_type = data_bn_type
        if data_bn_type == 'MVC':
            self.data_bn = nn.BatchNorm1d(num_person * in_channels * self.num_nodes)
        elif data_bn_type == 'VC':
            self.data_bn = nn.BatchNorm1d(in_channels * self.num_nodes)
        elif data_bn_type == 'none':
            self.data_bn = nn.Identity()
        else:
            raise ValueError(f"data_bn_type must be 'VC', 'MVC' or 'none', got {data_bn_type!r}")
        self.embed = nn.Linear(in_channels, base_channels)
        self.pos_embed = nn.Parameter(torch.zeros(self.num_nodes, base_channels))
        nn.init.trunc_normal_(self.pos_embed, std=0.02)

        topology = _topology_init(A, num_heads)
        blocks, channels = [], base_channels
        for stage in range(1, num_stages + 1):
            out_channels = channels * 2 if stage in inflate_stages else channels
            qk = max(1, int(round(channels * qk_ratio)))
            blocks.append(GECNBlock(channels, out_channels, topology, qk, temporal_kernel_sizes,
                                    stride=2 if stage in down_stages else 1, dropout=dropout))
            channels = out_channels
        self.blocks = nn.ModuleList(blocks)
        self.out_channels = channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode skeleton sequences.

        Args:
            x (torch.Tensor): ``(N, M, T, V, C)`` keypoints.

        Returns:
            torch.Tensor: ``(N, M, C_out, T_out, V)`` features.
        """
        if x.dim() != 5:
            raise ValueError(f'MGGECN expects (N, M, T, V, C) input, got shape {tuple(x.shape)}')
        n, m, t, v, c = x.shape
        if v != self.num_nodes or c != self.in_channels:
            raise ValueError(
                f'MGGECN built for {self.num_nodes} joints x {self.in_channels} channels got '
                f'{v} x {c}; match graph_cfg.layout and in_channels to the data pipeline')
        x = x.permute(0, 1, 3, 4, 2).contiguous()  # N, M, V, C, T
        if self.data_bn_type == 'MVC':
            x = self.data_bn(x.view(n, m * v * c, t))
        else:
            x = self.data_bn(x.view(n * m, v * c, t))
        x = x.view(n * m, v, c, t).permute(0, 3, 1, 2)  # NM, T, V, C
        x = self.embed(x) + self.pos_embed  # eq. 1
        x = x.permute(0, 3, 1, 2).contiguous()  # NM, D0, T, V
        for block in self.blocks:
            x = block(x)
        return x.reshape((n, m) + x.shape[1:])


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='GECN', module=MGGECN)
