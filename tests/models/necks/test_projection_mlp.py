"""MGProjectionMLP is eq. 12, z = W2 relu(W1 f + b1) + b2, on pooled backbone features."""
import torch

from mmimigue.models.necks import MGProjectionMLP


def test_equation_12_by_hand_and_nonlinear():
    torch.manual_seed(0)
    m = MGProjectionMLP(in_channels=6, out_channels=4, hidden_channels=5)
    f = torch.randn(7, 6)
    by_hand = torch.relu(f @ m.fc1.weight.t() + m.fc1.bias) @ m.fc2.weight.t() + m.fc2.bias
    torch.testing.assert_close(m(f), by_hand)
    # an affine map (the MLP without its ReLU) satisfies g(2f) = 2 g(f) - g(0); this one not
    zero = torch.zeros(1, 6)
    assert not torch.allclose(m(2 * f), 2 * m(f) - m(zero), atol=1e-4)


def test_pools_backbone_features_first():
    torch.manual_seed(1)
    m = MGProjectionMLP(in_channels=3, out_channels=2)
    x = torch.randn(2, 1, 3, 4, 5)  # (N, M, C, T, V)
    torch.testing.assert_close(m(x), m(x.mean(dim=(1, 3, 4))))
