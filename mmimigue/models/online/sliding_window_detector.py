"""Sliding-window baseline for online MG recognition: any clip recognizer with one more class
(background), slid over the stream."""
from typing import Dict, List

import torch
import torch.nn.functional as F
from mmaction.registry import MODELS

from .stream_detector_base import MGStreamDetectorBase


@MODELS.register_module()
class MGSlidingWindowDetector(MGStreamDetectorBase):
    """A clip classifier over windows: trained on the stream dataset's windows with their
    window label (the MG they show, or background), tested by sliding it over the stream; every
    frame gets the mean class probabilities of the windows that cover it, and runs of one class
    become segments (:func:`probs_to_segments`).

    Args:
        recognizer (dict): Any mmaction2 skeleton recognizer config (e.g. ``RecognizerGCN`` with
            an ``STGCN`` backbone) whose head scores ``num_classes + 1`` classes; it gets
            body-unit windows shaped (N, 1, W, V, D).
        num_classes (int): MG classes (background is one more).
        **kwargs: :class:`MGStreamDetectorBase` (layout, window, stride, postprocess, ...).
    """

    def __init__(self, recognizer: Dict, num_classes: int, **kwargs) -> None:
        super().__init__(num_classes, **kwargs)
        self.recognizer = MODELS.build(recognizer)
        head = getattr(self.recognizer, 'cls_head', None)
        if head is not None and getattr(head, 'num_classes', num_classes + 1) != num_classes + 1:
            raise ValueError(f'the recognizer head scores {head.num_classes} classes; the '
                             f'sliding-window detector needs num_classes + 1 = '
                             f'{num_classes + 1} (the MGs and background)')

    def _logits(self, x: torch.Tensor) -> torch.Tensor:
        # the recognizer's own backbone + head, on (N, clips=1, persons=1, W, V, D)
        return self.recognizer.extract_feat(x[:, None, None], stage='head')[0]

    def window_scores(self, x: torch.Tensor):
        probs = self._logits(x).softmax(-1)  # (N, K + 1)
        return probs[:, None].expand(-1, x.shape[1], -1), None

    def window_loss(self, x: torch.Tensor, data_samples: List) -> Dict[str, torch.Tensor]:
        if any(s.metainfo.get('loss_from', 0) for s in data_samples):
            raise ValueError('the sliding-window classifier scores whole windows: train it '
                             'without the dataset\'s context (context=0)')
        labels = torch.cat([s.gt_label.view(1) for s in data_samples]).to(x.device).long()
        logits = self._logits(x)
        return dict(loss_cls=F.cross_entropy(logits, labels),
                    window_acc=(logits.argmax(-1) == labels).float().mean().detach())
