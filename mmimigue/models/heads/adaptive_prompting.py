"""Adaptive prompting (Li, Xing, Liu, eq. 1-2): class text attends to the clip's visual tokens."""
import torch
import torch.nn as nn
from mmaction.registry import MODELS
from mmengine.model import BaseModule


@MODELS.register_module()
class MGAdaptivePrompting(BaseModule):
    """Context-aware prompts from visual context.

    With text embeddings ``t_bar`` (queries) and visual tokens ``v_bar`` (keys and values), all
    in the joint D-dimensional space::

        att   = t_bar + MHA(Q = t_bar W_q, K = v_bar W_k, V = v_bar W_v)     (eq. 1)
        t_hat = t_bar + lambda * (att + FNN(att))                          (eq. 2)

    ``MHA`` is multi-head scaled dot-product attention (softmax(Q K^T / sqrt(d_k)) V per head,
    heads concatenated and mixed by an output projection, as in Vaswani et al.); ``FNN`` is
    ``Linear(D, ffn_ratio * D) -> GELU -> Linear(ffn_ratio * D, D)``; ``lambda`` is one
    learnable scalar. The paper leaves lambda's start value open: it starts at
    ``lambda_init = 0.1`` so the prompted text starts close to the plain class text.

    Args:
        embed_dims (int): D. Defaults to 256.
        num_heads (int): Attention heads. Defaults to 8.
        ffn_ratio (int): Hidden size of the FNN as a multiple of D. Defaults to 4.
        lambda_init (float): Start value of lambda. Defaults to 0.1.
        dropout (float): Dropout on the attention weights and in the FNN. Defaults to 0.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self, embed_dims: int = 256, num_heads: int = 8, ffn_ratio: int = 4,
                 lambda_init: float = 0.1, dropout: float = 0.0, init_cfg: dict = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if embed_dims % num_heads:
            raise ValueError(f'embed_dims={embed_dims} is not divisible by num_heads={num_heads}')
        self.embed_dims = embed_dims
        self.num_heads = num_heads
        self.attn = nn.MultiheadAttention(embed_dims, num_heads, dropout=dropout, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(embed_dims, ffn_ratio * embed_dims), nn.GELU(),
                                 nn.Dropout(dropout), nn.Linear(ffn_ratio * embed_dims, embed_dims))
        self.lambda_init = float(lambda_init)
        self.lambda_ = nn.Parameter(torch.tensor(self.lambda_init))

    def forward(self, text: torch.Tensor, visual: torch.Tensor) -> torch.Tensor:
        """Prompt the text with each sample's visual context.

        Args:
            text (torch.Tensor): ``t_bar``, shape ``(Q, D)`` (shared by every sample) or
                ``(N, Q, D)`` (per sample).
            visual (torch.Tensor): ``v_bar`` tokens, shape ``(N, L, D)``.

        Returns:
            torch.Tensor: ``t_hat``, shape ``(N, Q, D)``.
        """
        if visual.dim() != 3 or visual.shape[-1] != self.embed_dims:
            raise ValueError(f'visual tokens must be (N, L, {self.embed_dims}), got {tuple(visual.shape)}')
        if text.dim() == 2:
            text = text.unsqueeze(0).expand(visual.shape[0], -1, -1)
        ctx, _ = self.attn(text, visual, visual, need_weights=False)
        att = text + ctx
        return text + self.lambda_ * (att + self.ffn(att))

    def extra_repr(self) -> str:
        return f'embed_dims={self.embed_dims}, num_heads={self.num_heads}, lambda_init={self.lambda_init}'


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='AdaptivePrompting', module=MGAdaptivePrompting)
