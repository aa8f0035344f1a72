"""A tiny deterministic text encoder that needs no package (for unit tests and ablations)."""
import re
import zlib
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS


@MODELS.register_module()
class MGHashTextEncoder(nn.Module):
    """Bag of hashed words and character n-grams with a seeded embedding table.

    Each text is lower-cased and split into words; the words and the character ``ngram``-grams
    of ``'#word#'`` are hashed with CRC32 into ``num_buckets`` rows of an embedding table drawn
    from ``torch.Generator().manual_seed(seed)``; the text embedding is the mean of its rows.
    Identical inputs give identical outputs across processes and machines, texts that share
    words or word pieces get similar embeddings, and the table is trainable.

    Args:
        embed_dims (int): Output size. Defaults to 64.
        num_buckets (int): Hash table rows. Defaults to 4096.
        ngram (int): Character n-gram length. Defaults to 3.
        seed (int): Seed of the embedding table. Defaults to 0.
        normalize (bool): L2-normalise each embedding. Defaults to True.
    """

    def __init__(self, embed_dims: int = 64, num_buckets: int = 4096, ngram: int = 3,
                 seed: int = 0, normalize: bool = True) -> None:
        super().__init__()
        self.embed_dims = embed_dims
        self.num_buckets = num_buckets
        self.ngram = ngram
        self.seed = seed
        self.normalize = normalize
        self.table = nn.EmbeddingBag(num_buckets, embed_dims, mode='mean')
        self.reset_table()

    def reset_table(self) -> None:
        """Redraw the table from ``seed``."""
        gen = torch.Generator().manual_seed(self.seed)
        with torch.no_grad():
            self.table.weight.copy_(torch.randn(self.num_buckets, self.embed_dims, generator=gen))

    def init_weights(self) -> None:
        """Keep the seeded table (mmengine calls this on children of a BaseModule)."""

    def token_ids(self, text: str) -> List[int]:
        """Hash buckets of a text's words and character n-grams."""
        words = re.findall(r'[a-z0-9]+', text.lower())
        if not words:
            raise ValueError(f'MGHashTextEncoder: text {text!r} has no letters or digits')
        pieces = list(words)
        for w in words:
            padded = f'#{w}#'
            pieces += [padded[i:i + self.ngram] for i in range(max(1, len(padded) - self.ngram + 1))]
        return [zlib.crc32(p.encode('utf-8')) % self.num_buckets for p in pieces]

    def forward(self, texts: List[str]) -> torch.Tensor:
        """Encode texts.

        Args:
            texts (list[str]): ``n`` strings.

        Returns:
            torch.Tensor: Embeddings of shape ``(n, embed_dims)``.
        """
        ids = [self.token_ids(t) for t in texts]
        device = self.table.weight.device
        flat = torch.tensor([i for row in ids for i in row], dtype=torch.long, device=device)
        offsets = torch.tensor([0] + [len(r) for r in ids[:-1]], device=device).cumsum(0)
        emb = self.table(flat, offsets)
        return F.normalize(emb, dim=-1) if self.normalize else emb

    def extra_repr(self) -> str:
        return (f'embed_dims={self.embed_dims}, num_buckets={self.num_buckets}, '
                f'ngram={self.ngram}, seed={self.seed}')


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='HashTextEncoder', module=MGHashTextEncoder)
