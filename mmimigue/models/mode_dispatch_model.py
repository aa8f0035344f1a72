"""mmengine's ``BaseModel`` with the ``forward(mode)`` dispatch of mmaction2's recognizers.

The one base of mmimigue's models that are not mmaction2 recognizers: MoCo, U-S-VAE, the
dual-stream recognizer and the online stream detectors share it: ``'loss'`` -> :meth:`loss`,
``'predict'`` -> :meth:`predict`, ``'tensor'`` -> :meth:`forward_tensor` (by default
:meth:`extract_feat`); extra keyword arguments of ``forward`` go to all three. Without a
``data_preprocessor`` a model gets its class's :attr:`DEFAULT_PREPROCESSOR`.
"""
from typing import Dict, List, Optional, Union

import torch
from mmengine.model import BaseModel


class ModeDispatchModel(BaseModel):
    """Base of mmimigue's non-recognizer models (not registered)."""

    #: The data preprocessor built when a config gives none.
    DEFAULT_PREPROCESSOR: Dict = dict(type='ActionDataPreprocessor')

    def __init__(self, data_preprocessor: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(self.DEFAULT_PREPROCESSOR)
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)

    def loss(self, inputs: torch.Tensor, data_samples: Optional[list] = None, **kwargs) -> Dict:
        raise NotImplementedError

    def extract_feat(self, inputs: torch.Tensor):
        raise NotImplementedError

    def forward_tensor(self, inputs: torch.Tensor, data_samples: Optional[list] = None,
                       **kwargs):
        """What ``mode='tensor'`` returns: pooled features for linear / KNN evaluation."""
        return self.extract_feat(inputs)

    def predict(self, inputs: torch.Tensor, data_samples: Optional[list] = None, **kwargs):
        """Self-supervised models have no classifier; recognizers override this."""
        raise RuntimeError(
            f'{type(self).__name__} has no classifier: evaluate its features with MGKNNEvalHook '
            '(custom_hooks) or train a linear classifier with the *_linear.py configs '
            '(configs/*/linear_dual-stream_*.py)')

    def forward(self, inputs: torch.Tensor, data_samples: Optional[list] = None,
                mode: str = 'tensor', **kwargs):
        """``mode='loss'``: a training step's losses; ``'predict'``: data samples with
        predictions; ``'tensor'``: features (:meth:`forward_tensor`)."""
        if mode == 'loss':
            return self.loss(inputs, data_samples, **kwargs)
        if mode == 'predict':
            return self.predict(inputs, data_samples, **kwargs)
        if mode == 'tensor':
            return self.forward_tensor(inputs, data_samples, **kwargs)
        raise RuntimeError(f'Invalid mode "{mode}"; use "loss", "predict" or "tensor"')
