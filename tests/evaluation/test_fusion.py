"""Fusion maths without torch (mmimigue.evaluation.fusion), pinned to mmaction2's accuracy."""
import numpy as np
import pytest
from mmaction.evaluation.functional import mean_class_accuracy, top_k_accuracy

from mmimigue.evaluation.fusion import accuracies, check_weights, fuse, to_probability


@pytest.mark.parametrize('seed', range(4))
def test_accuracy_is_mmaction2_s(seed):
    rng = np.random.default_rng(seed)
    scores = rng.integers(0, 4, (50, 7)).astype(float)  # many ties
    labels = rng.integers(0, 5, 50)  # classes 5, 6 never labelled, maybe predicted
    acc = accuracies(scores, labels)
    top1, top5 = top_k_accuracy(scores, labels, (1, 5))
    assert acc['top1'] == pytest.approx(top1) and acc['top5'] == pytest.approx(top5)
    assert acc['mean_class'] == pytest.approx(mean_class_accuracy(scores, labels))
    assert accuracies(scores, np.r_[labels[:-1], -1]) is None  # an unlabelled clip


def test_weights_must_be_finite_and_non_negative():
    s = [np.eye(3), np.eye(3)[::-1]]
    np.testing.assert_allclose(fuse(s, [0.5, 0.25]), 0.5 * s[0] + 0.25 * s[1])
    for bad in ([float('nan'), 1], [-0.5, 1.5], [float('inf'), 0], [0, 0]):
        with pytest.raises(ValueError, match='weights'):
            check_weights(bad)


def test_probabilities_are_kept_and_logits_softmaxed():
    p = np.array([[0.2, 0.8], [3.0, 1.0]])
    out = to_probability(p)
    np.testing.assert_allclose(out[0], [0.2, 0.8])
    np.testing.assert_allclose(out[1], np.exp([3, 1]) / np.exp([3, 1]).sum(), rtol=1e-6)
