"""Class-name text embeddings: prompts, a text encoder and a cache."""
from typing import List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmaction.registry import MODELS

from ..freezing import FreezeMixin

#: The three handcrafted CLIP-style templates of the paper's ablation (Table I).
HANDCRAFTED_TEMPLATES = ('a photo of {label}', 'a video of {label}', 'an action of {label}')


def resolve_class_names(class_names: Union[str, Sequence[str]]) -> List[str]:
    """``'imigue'`` / ``'smg'`` -> the packaged protocol's class names; a list is kept.

    Raises:
        ValueError: for an unknown dataset name or an empty list.
    """
    if isinstance(class_names, str):
        key = class_names.lower()
        if key == 'imigue':
            from mmimigue.protocol.imigue import imigue_class_names
            return imigue_class_names()
        if key == 'smg':
            from mmimigue.protocol.smg import smg_class_names
            return smg_class_names()
        raise ValueError(f"class_names={class_names!r}: use 'imigue', 'smg' or a list of names")
    names = [str(n) for n in class_names]
    if not names:
        raise ValueError('class_names is empty')
    return names


class ClassTextBank(FreezeMixin, nn.Module):
    """Embeddings of every class name, computed once while the text encoder is frozen.

    With ``templates`` each class name is written into every template (``'{label}'`` marks
    the slot) and the class embedding is the mean over templates (prompt ensembling);
    without templates the bare class name is encoded.

    Caching: a frozen encoder (``trainable=False``) is run once, under ``no_grad``, on the
    first call; later calls return the cached ``(C, E)`` tensor. A trainable encoder is run on
    every call in training mode (its weights change every step) and cached in eval mode; the
    cache is cleared by ``train()`` and after ``load_state_dict``. ``num_encodes`` counts the
    encoder runs.

    Args:
        class_names (str | list[str]): ``'imigue'``, ``'smg'`` or the names in label order.
        text_encoder (dict | nn.Module): Config (or module) of a text encoder mapping
            ``list[str]`` to ``(n, embed_dims)``.
        templates (list[str], optional): Prompt templates containing ``'{label}'``.
        trainable (bool): Fine-tune the text encoder. Defaults to False.
    """

    def __init__(self, class_names: Union[str, Sequence[str]], text_encoder: Union[dict, nn.Module],
                 templates: Optional[Sequence[str]] = None, trainable: bool = False) -> None:
        super().__init__()
        self.class_names = resolve_class_names(class_names)
        self.templates = list(templates) if templates else None
        for t in self.templates or []:
            if '{label}' not in t:
                raise ValueError(f"prompt template {t!r} has no '{{label}}' slot, "
                                 "e.g. 'a video of {label}'")
        if self.templates:
            self.prompts = [t.format(label=n) for n in self.class_names for t in self.templates]
        else:
            self.prompts = list(self.class_names)
        self.encoder = MODELS.build(text_encoder) if isinstance(text_encoder, dict) else text_encoder
        self.embed_dims = int(self.encoder.embed_dims)
        self.trainable = trainable
        self.apply_freezing()
        self._cache: Optional[torch.Tensor] = None
        self.num_encodes = 0
        self.register_load_state_dict_post_hook(lambda module, incompatible: module.clear_cache())

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def clear_cache(self) -> None:
        """Forget the cached embeddings (they are rebuilt on the next call)."""
        self._cache = None

    def frozen_modules(self) -> List[nn.Module]:
        return [] if self.trainable else [self.encoder]  # frozen: no dropout, the cache stays valid

    def train(self, mode: bool = True) -> 'ClassTextBank':
        super().train(mode)
        if self.trainable and mode:
            self.clear_cache()
        return self

    def _encode(self) -> torch.Tensor:
        self.num_encodes += 1
        emb = self.encoder(self.prompts)
        if self.templates:
            emb = emb.reshape(self.num_classes, len(self.templates), -1).mean(dim=1)
        return emb

    def forward(self) -> torch.Tensor:
        """Class embeddings of shape ``(num_classes, embed_dims)``."""
        if self.trainable and self.training and torch.is_grad_enabled():
            self._cache = None
            return self._encode()
        if self._cache is None:
            with torch.no_grad():
                self._cache = self._encode().detach()
        param = next(self.encoder.parameters(), None)
        if param is not None and self._cache.device != param.device:
            self._cache = self._cache.to(param.device)  # the model moved after the cache was built
        return self._cache

    def extra_repr(self) -> str:
        return (f'num_classes={self.num_classes}, templates={self.templates}, '
                f'trainable={self.trainable}')
