"""mmengine's ``BaseModel`` with the ``forward(mode)`` dispatch of mmaction2's recognizers.

The self-supervised models and the dual-stream recognizer share it: ``'loss'`` ->
:meth:`loss`, ``'predict'`` -> :meth:`predict`, ``'tensor'`` -> :meth:`forward_tensor` (by
default :meth:`extract_feat`), and ``ActionDataPreprocessor`` when no preprocessor is given.
"""
from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel


class ModeDispatchModel(BaseModel):
    """Base of mmimigue's non-recognizer models (not registered)."""

    def __init__(self, data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(type='ActionDataPreprocessor')
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)

    def loss(self, inputs: torch.Tensor, data_samples: Optional[list] = None) -> Dict:
        raise NotImplementedError

    def extract_feat(self, inputs: torch.Tensor):
        raise NotImplementedError

    def forward_tensor(self, inputs: torch.Tensor):
        """What ``mode='tensor'`` returns: pooled features for linear / KNN evaluation."""
        return self.extract_feat(inputs)

    def predict(self, inputs: torch.Tensor, data_samples: Optional[list] = None):
        """Self-supervised models have no classifier; recognizers override this."""
        raise RuntimeError(
            f'{type(self).__name__} has no classifier: evaluate its features with MGKNNEvalHook '
            '(custom_hooks) or train a linear classifier with the *_linear.py configs '
            '(configs/*/linear_dual-stream_*.py)')

    def forward(self, inputs: torch.Tensor, data_samples: Optional[list] = None,
                mode: str = 'tensor'):
        """``mode='loss'``: a training step's losses; ``'predict'``: data samples with
        predictions; ``'tensor'``: features (:meth:`forward_tensor`)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        if mode == 'tensor':
            return self.forward_tensor(inputs)
        raise RuntimeError(f'Invalid mode "{mode}"; use "loss", "predict" or "tensor"')
