"""Losses registered into mmaction2's MODELS."""
from .visual_text_kl_loss import VisualTextKLLoss, same_label_matrix

__all__ = ['VisualTextKLLoss', 'same_label_matrix']
