"""Video-level emotion recognizer: sequence aggregator (backbone) + classification head."""
from typing import Dict, Tuple, Union

import torch
from mmaction.models.recognizers import BaseRecognizer
from mmaction.registry import MODELS
from mmaction.utils import ConfigType, OptConfigType, OptSampleList


@MODELS.register_module()
class MGRecognizerEmotion(BaseRecognizer):
    """Classifies a video's emotion from the sequence of its clip-level MG results.

    The backbone is a sequence aggregator (:class:`MGEmotionLSTM`, :class:`MGEmotionTransformer`)
    called as ``backbone(seq, mask)`` and returning one vector per video; any mmaction2 head
    that takes (N, C) features (e.g. ``TimeSformerHead``, a dropout + linear layer) classifies
    it, so loss, top-k accuracy and ``pred_score`` / ``pred_label`` come from mmaction2.

    Inputs are ``{'seq': (B, L[, C]), 'mask': (B, L) bool}`` as produced by the
    ``mg_emotion_pad_collate`` function, or a bare (B, L[, C]) tensor (no padding).

    Args:
        backbone (dict): Sequence aggregator config.
        cls_head (dict, optional): Head config.
        neck (dict, optional): Neck config applied to the (B, C) video vector.
        train_cfg (dict, optional): Unused, for mmaction2 compatibility.
        test_cfg (dict, optional): Unused, for mmaction2 compatibility.
        data_preprocessor (dict, optional): Defaults to mmengine's ``BaseDataPreprocessor``
            (moves the dict of tensors to the device).
    """

    def __init__(self,
                 backbone: ConfigType,
                 cls_head: OptConfigType = None,
                 neck: OptConfigType = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='BaseDataPreprocessor')
        super().__init__(backbone=backbone, cls_head=cls_head, neck=neck, train_cfg=train_cfg,
                         test_cfg=test_cfg, data_preprocessor=data_preprocessor)

    def extract_feat(self,
                     inputs: Union[Dict[str, torch.Tensor], torch.Tensor],
                     stage: str = 'neck',
                     data_samples: OptSampleList = None,
                     test_mode: bool = False) -> Tuple[torch.Tensor, dict]:
        """Aggregate each video's sequence.

        Args:
            inputs: ``{'seq', 'mask'}`` or a bare sequence tensor.
            stage: ``'backbone'``, ``'neck'`` or ``'head'`` (where to stop).
            data_samples: Unused.
            test_mode: Unused (no multi-view testing for videos).

        Returns:
            tuple: features (B, C) or class scores at ``stage='head'``, and an empty dict of
            extra loss / predict kwargs.
        """
        if isinstance(inputs, dict):
            seq, mask = inputs['seq'], inputs.get('mask')
        else:
            seq, mask = inputs, None
        x = self.backbone(seq, mask)
        if stage == 'backbone':
            return x, dict()
        if self.with_neck:
            x = self.neck(x)
        if stage == 'head' and self.with_cls_head:
            x = self.cls_head(x)
        return x, dict()


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='RecognizerEmotion', module=MGRecognizerEmotion)
