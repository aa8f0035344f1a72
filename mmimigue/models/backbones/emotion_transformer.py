"""Transformer aggregator with a [class] token over a video's clip-level MG results."""
import math
from typing import Optional

import torch
import torch.nn as nn
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from mmengine.model.weight_init import trunc_normal_

from .emotion_sequence_input import check_sequence_input


def sinusoidal_positions(length: int, dims: int) -> torch.Tensor:
    """Fixed sine / cosine positional encodings (Vaswani et al.), shape (length, dims)."""
    pos = torch.arange(length, dtype=torch.float32)[:, None]
    freq = torch.exp(torch.arange(0, dims, 2, dtype=torch.float32) * (-math.log(10000.0) / dims))
    enc = torch.zeros(length, dims)
    enc[:, 0::2] = torch.sin(pos * freq)
    enc[:, 1::2] = torch.cos(pos * freq[:dims // 2])
    return enc


@MODELS.register_module()
class MGEmotionTransformer(BaseModule):
    """Transformer encoder over clip-level MG predictions, read out at a [class] token.

    Following the visual-text MG paper (Eq. 5): the clip predictions are embedded
    (``E_{t_i}``), a trainable [class] token is prepended, positional encodings are added,
    ``T = [t_class, E_{t_1}, ..., E_{t_n}] + e_pos``, and the encoder output at the [class]
    position summarises the video for the emotion head.

    ``input_type='label'``: integer inputs (predicted / ground-truth MG labels, the paper's
    "textual predictions") go through a label embedding; ``input_type='vector'``: float inputs
    (probability vectors, scores, features) go through a linear projection. Padded clips are
    excluded from attention by a key padding mask, so they do not change the [class] output.

    Args:
        in_channels (int): Number of MG classes for label inputs, or input vector size.
            Defaults to 32.
        input_type (str): ``'label'`` or ``'vector'``. Defaults to ``'label'``.
        embed_dims (int): Model width. Defaults to 256.
        num_layers (int): Encoder layers. Defaults to 2.
        num_heads (int): Attention heads. Defaults to 4.
        feedforward_channels (int): FFN hidden size. Defaults to 512.
        dropout (float): Dropout in attention / FFN / after the embedding. Defaults to 0.1.
        pos_encoding (str): ``'sinusoidal'`` (any length) or ``'learned'`` (up to
            ``max_len`` clips). Defaults to ``'sinusoidal'``.
        max_len (int): Longest sequence (clips + [class]) for learned encodings; sinusoidal
            tables grow on demand. Defaults to 1024.
        init_cfg (dict, optional): mmengine init config.
    """

    def __init__(self,
                 in_channels: int = 32,
                 input_type: str = 'label',
                 embed_dims: int = 256,
                 num_layers: int = 2,
                 num_heads: int = 4,
                 feedforward_channels: int = 512,
                 dropout: float = 0.1,
                 pos_encoding: str = 'sinusoidal',
                 max_len: int = 1024,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if pos_encoding not in ('sinusoidal', 'learned'):
            raise ValueError("pos_encoding must be 'sinusoidal' or 'learned', "
                             f'got {pos_encoding!r}')
        if input_type not in ('label', 'vector'):
            raise ValueError(f"input_type must be 'label' or 'vector', got {input_type!r}")
        self.in_channels = in_channels
        self.input_type = input_type
        self.embed_dims = embed_dims
        self.pos_encoding = pos_encoding
        self.max_len = max_len
        self.out_channels = embed_dims
        if input_type == 'label':
            self.clip_embed = nn.Embedding(in_channels, embed_dims)
        else:
            self.clip_embed = nn.Linear(in_channels, embed_dims)
        self.cls_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        if pos_encoding == 'learned':
            self.pos_embed = nn.Parameter(torch.zeros(1, max_len, embed_dims))
        else:
            self.register_buffer('pos_table', sinusoidal_positions(max_len, embed_dims)[None],
                                 persistent=False)
        self.drop = nn.Dropout(dropout)
        layer = nn.TransformerEncoderLayer(embed_dims, num_heads, feedforward_channels,
                                           dropout=dropout, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, norm=nn.LayerNorm(embed_dims),
                                             enable_nested_tensor=False)

    def init_weights(self) -> None:
        """Truncated-normal [class] token and learned positions, as in ViT."""
        super().init_weights()
        trunc_normal_(self.cls_token, std=0.02)
        if self.pos_encoding == 'learned':
            trunc_normal_(self.pos_embed, std=0.02)

    def _positions(self, length: int, device: torch.device) -> torch.Tensor:
        if self.pos_encoding == 'learned':
            if length > self.max_len:
                raise ValueError(f'MGEmotionTransformer: {length - 1} clips exceed max_len - 1 = '
                                 f'{self.max_len - 1}; raise max_len or use sinusoidal encoding')
            return self.pos_embed[:, :length]
        if length > self.pos_table.shape[1]:
            self.pos_table = sinusoidal_positions(length, self.embed_dims)[None].to(device)
        return self.pos_table[:, :length]

    def embed(self, seq: torch.Tensor) -> torch.Tensor:
        """Clip embeddings ``E_t``: (B, L) labels or (B, L, C) vectors -> (B, L, embed_dims)."""
        if torch.is_floating_point(seq) != (self.input_type == 'vector'):
            raise ValueError(
                f'MGEmotionTransformer(input_type={self.input_type!r}) got a {seq.dtype} sequence; '
                "use input_type='label' for pred_label / gt_label and 'vector' for prob / score "
                '/ feature modalities')
        return self.clip_embed(seq.clamp(min=0) if self.input_type == 'label' else seq)

    def forward(self, seq: torch.Tensor, mask: Optional[torch.Tensor] = None) -> torch.Tensor:
        """Encode and read out the [class] token.

        Args:
            seq: (B, L) integer labels or (B, L, in_channels) vectors.
            mask: (B, L) bool, True on real clips (a prefix of each row); all True if None.

        Returns:
            Tensor: (B, embed_dims), the encoder output at the [class] position.
        """
        mask, _ = check_sequence_input(seq, mask, self.in_channels, type(self).__name__)
        x = self.embed(seq)
        cls = self.cls_token.expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1)
        x = self.drop(x + self._positions(x.shape[1], x.device))
        keep = torch.cat([mask.new_ones(mask.shape[0], 1), mask], dim=1)
        x = self.encoder(x, src_key_padding_mask=~keep)
        return x[:, 0]


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='EmotionTransformer', module=MGEmotionTransformer)
