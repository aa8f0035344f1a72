"""MGBalancedSoftmaxLoss: the equation, its minimiser on imbalanced labels, config forms."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmaction.registry import MODELS


def test_equals_cross_entropy_on_prior_shifted_logits():
    counts = [60, 30, 10]
    loss = MODELS.build(dict(type='MGBalancedSoftmaxLoss', class_counts=counts, tau=1.0))
    z = torch.tensor([[2.0, 0.5, -1.0], [0.0, 1.0, 0.3]])
    y = torch.tensor([2, 0])
    shifted = z + torch.log(torch.tensor([.6, .3, .1]))
    by_hand = -(shifted[[0, 1], [2, 0]] - torch.logsumexp(shifted, 1)).mean()
    assert loss(z, y).item() == pytest.approx(by_hand.item(), rel=1e-6)
    uniform = MODELS.build(dict(type='MGBalancedSoftmaxLoss', class_counts=[5, 5, 5]))
    assert uniform(z, y).item() == pytest.approx(F.cross_entropy(z, y).item(), rel=1e-6)
    soft = F.one_hot(y, 3).float()
    assert loss(z, soft).item() == pytest.approx(by_hand.item(), rel=1e-6)
    halved = MODELS.build(dict(type='MGBalancedSoftmaxLoss', class_counts=counts, tau=0.5,
                               loss_weight=2.0))
    shifted = z + 0.5 * torch.log(torch.tensor([.6, .3, .1]))
    assert halved(z, y).item() == pytest.approx(2 * F.cross_entropy(shifted, y).item(), rel=1e-6)


def test_its_minimiser_is_the_balanced_posterior():
    """A bias-only model fitted to 90 / 10 labels: plain cross-entropy learns the prior
    (0.9, 0.1), balanced softmax learns the uniform (0.5, 0.5) the test-time classes need."""
    labels = torch.tensor([0] * 90 + [1] * 10)
    fitted = {}
    for name, loss in (('ce', lambda z, y: F.cross_entropy(z, y)),
                       ('bs', MODELS.build(dict(type='MGBalancedSoftmaxLoss',
                                                class_counts=[90, 10])))):
        bias = torch.zeros(2, requires_grad=True)
        opt = torch.optim.SGD([bias], lr=1.0)
        for _ in range(500):
            opt.zero_grad()
            loss(bias.expand(len(labels), 2), labels).backward()
            opt.step()
        fitted[name] = torch.softmax(bias.detach(), 0).numpy()
    np.testing.assert_allclose(fitted['ce'], [0.9, 0.1], atol=1e-3)
    np.testing.assert_allclose(fitted['bs'], [0.5, 0.5], atol=1e-3)


def test_counts_from_a_converted_pickle(synthetic_imigue_pkl):
    import pickle
    from collections import Counter
    loss = MODELS.build(dict(type='MGBalancedSoftmaxLoss', num_classes=32,
                             ann_file=synthetic_imigue_pkl, split='xsub_train'))
    with open(synthetic_imigue_pkl, 'rb') as f:
        content = pickle.load(f)
    keep = set(content['split']['xsub_train'])
    counts = Counter(a['label'] for a in content['annotations'] if a['frame_dir'] in keep)
    full = np.array([max(counts.get(c, 0), 1) for c in range(32)], np.float64)
    np.testing.assert_allclose(loss.log_prior.numpy(), np.log(full / full.sum()), rtol=1e-5)
    with pytest.raises(KeyError, match='no split'):
        MODELS.build(dict(type='MGBalancedSoftmaxLoss', num_classes=32,
                          ann_file=synthetic_imigue_pkl, split='nope'))
    with pytest.raises(ValueError, match='exactly one'):
        MODELS.build(dict(type='MGBalancedSoftmaxLoss'))
    with pytest.raises(ValueError, match='head scores 3 classes'):
        loss(torch.zeros(2, 3), torch.tensor([0, 1]))
