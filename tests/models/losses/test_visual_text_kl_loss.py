"""MGVisualTextKLLoss (eq. 3) and the same-label GT matrix (eq. 4) against hand computations."""
import math

import numpy as np
import pytest
import torch

from mmimigue.models.losses import MGVisualTextKLLoss, same_label_matrix


def _hand_kl(logits: np.ndarray, labels: list) -> float:
    """mean_i sum_j g_ij log(g_ij / p_ij), g = row-normalised GT, p = row softmax (loops)."""
    n = len(labels)
    total = 0.0
    for i in range(n):
        same = [j for j in range(n) if labels[j] == labels[i]]
        z = sum(math.exp(logits[i][k]) for k in range(n))
        for j in same:
            g = 1.0 / len(same)
            p = math.exp(logits[i][j]) / z
            total += g * math.log(g / p)
    return total / n


def test_gt_matrix_marks_clips_of_the_same_class():
    gt = same_label_matrix(torch.tensor([3, 1, 3, 0, 1]))
    expected = torch.tensor([[1, 0, 1, 0, 0],
                             [0, 1, 0, 0, 1],
                             [1, 0, 1, 0, 0],
                             [0, 0, 0, 1, 0],
                             [0, 1, 0, 0, 1]], dtype=torch.float)
    assert torch.equal(gt, expected)


@pytest.mark.parametrize('labels', [[0, 1, 2, 3], [2, 2, 5, 2, 5, 7], [4, 4, 4]])
def test_loss_equals_hand_computation(labels):
    gen = torch.Generator().manual_seed(len(labels))
    n = len(labels)
    s_visual = torch.randn(n, n, generator=gen, dtype=torch.float64) * 3
    s_text = torch.randn(n, n, generator=gen, dtype=torch.float64) * 3
    loss = MGVisualTextKLLoss()(s_visual, torch.tensor(labels), s_text)
    expected = 0.5 * (_hand_kl(s_visual.tolist(), labels) + _hand_kl(s_text.tolist(), labels))
    assert loss.item() == pytest.approx(expected, rel=1e-10)
    # S_text defaults to S_visual^T, as in the paper
    default = MGVisualTextKLLoss(loss_weight=2.0)(s_visual, torch.tensor(labels))
    expected_t = 0.5 * (_hand_kl(s_visual.tolist(), labels) + _hand_kl(s_visual.t().tolist(), labels))
    assert default.item() == pytest.approx(2.0 * expected_t, rel=1e-10)


def test_repeated_labels_are_not_treated_as_negatives():
    labels = torch.tensor([0, 0, 1, 1])
    gt = same_label_matrix(labels)
    # logits that put equal mass on both same-class clips reach the minimum (0)
    perfect = torch.where(gt > 0, 50.0, -50.0).double()
    assert MGVisualTextKLLoss()(perfect, labels).item() == pytest.approx(0.0, abs=1e-12)
    # logits that single out the diagonal (what a CLIP-style cross-entropy rewards) are
    # penalised: row i puts p = 1/(1 + e^-10) on itself and e^-10/(1 + e^-10) on its twin
    diagonal = torch.where(torch.eye(4) > 0, 10.0, 0.0).double()
    diagonal[labels[:, None] != labels[None, :]] = -1e9
    p_self = 1 / (1 + math.exp(-10))
    expected = 0.5 * math.log(0.5 / p_self) + 0.5 * math.log(0.5 / (1 - p_self))
    assert MGVisualTextKLLoss()(diagonal, labels).item() == pytest.approx(expected, rel=1e-9)
    assert expected > 4


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match='square'):
        MGVisualTextKLLoss()(torch.zeros(2, 3), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match='labels'):
        MGVisualTextKLLoss()(torch.zeros(3, 3), torch.tensor([0, 1]))
