"""Symmetric KL alignment loss of the visual-text MG recognizer (Li, Xing, Liu, eq. 3-4)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS


def same_label_matrix(labels: torch.Tensor) -> torch.Tensor:
    """Eq. 4: ``GT[i, j] = 1`` when clips ``i`` and ``j`` share a class, else 0.

    Args:
        labels (torch.Tensor): Integer class labels of shape ``(n,)``.

    Returns:
        torch.Tensor: Float matrix of shape ``(n, n)``; symmetric, ones on the diagonal.
    """
    labels = labels.reshape(-1)
    return (labels[:, None] == labels[None, :]).float()


@MODELS.register_module()
class MGVisualTextKLLoss(nn.Module):
    """``Loss = 1/2 (KL(S_visual, GT) + KL(S_text, GT))`` (eq. 3).

    ``S_visual = v t^T / tau`` holds the similarity of clip ``i``'s visual embedding to clip
    ``j``'s (prompted) text embedding and ``S_text = t v^T / tau`` is its transpose. Each row
    of a similarity matrix becomes a distribution with a softmax; each row of ``GT`` becomes the
    target distribution by dividing by its row sum (uniform over the clips of the same class,
    so a batch with repeated labels is not a 1-in-n problem). Per row the loss is
    ``KL(target || softmax(S)) = sum_j g_j (log g_j - log softmax(S)_j)`` with ``0 log 0 = 0``,
    averaged over the rows (``batchmean``).

    Args:
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    @staticmethod
    def kl_to_target(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """Mean over rows of ``KL(GT_row / sum(GT_row) || softmax(logits_row))``."""
        target = same_label_matrix(labels).to(logits.dtype)
        target = target / target.sum(dim=1, keepdim=True)
        return F.kl_div(F.log_softmax(logits, dim=1), target, reduction='batchmean')

    def forward(self, sim_visual: torch.Tensor, labels: torch.Tensor,
                sim_text: torch.Tensor = None) -> torch.Tensor:
        """Compute the loss.

        Args:
            sim_visual (torch.Tensor): ``S_visual`` of shape ``(n, n)`` (already divided by tau).
            labels (torch.Tensor): Class labels of shape ``(n,)``.
            sim_text (torch.Tensor, optional): ``S_text`` of shape ``(n, n)``. Defaults to
                ``sim_visual.T`` as in the paper.

        Returns:
            torch.Tensor: Scalar loss.
        """
        if sim_visual.dim() != 2 or sim_visual.shape[0] != sim_visual.shape[1]:
            raise ValueError(f'sim_visual must be a square (n, n) matrix, got {tuple(sim_visual.shape)}')
        if labels.numel() != sim_visual.shape[0]:
            raise ValueError(f'{labels.numel()} labels for a {sim_visual.shape[0]}-clip batch')
        if sim_text is None:
            sim_text = sim_visual.t()
        loss = 0.5 * (self.kl_to_target(sim_visual, labels) + self.kl_to_target(sim_text, labels))
        return self.loss_weight * loss

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(loss_weight={self.loss_weight})'


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='VisualTextKLLoss', module=MGVisualTextKLLoss)
