"""Losses registered into mmaction2's MODELS."""
from .balanced_softmax_loss import MGBalancedSoftmaxLoss
from .visual_text_kl_loss import MGVisualTextKLLoss, same_label_matrix

__all__ = ['MGBalancedSoftmaxLoss', 'MGVisualTextKLLoss', 'same_label_matrix']
