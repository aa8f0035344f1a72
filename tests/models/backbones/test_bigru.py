"""MGBiGRU backbone: shapes, pooling semantics, person handling, freezing, errors."""
import pytest
import torch
import torch.nn as nn
from mmaction.registry import MODELS

import mmimigue.registration  # noqa: F401  (compat shims + registration)

torch.set_num_threads(1)


def _gru(**kw):
    cfg = dict(type='MGBiGRU', in_channels=2, num_joints=5, hidden_size=8, num_layers=2)
    cfg.update(kw)
    return MODELS.build(cfg)


def test_output_follows_gcn_convention_and_gcnhead_accepts_it():
    m = _gru()
    out = m(torch.randn(3, 2, 7, 5, 2))
    assert out.shape == (3, 2, 16, 1, 1)
    head = MODELS.build(dict(type='GCNHead', num_classes=4, in_channels=16))
    assert head(out).shape == (3, 4)
    assert _gru(pooling=None)(torch.randn(3, 1, 7, 5, 2)).shape == (3, 1, 16, 7, 1)
    assert _gru(bidirectional=False)(torch.randn(3, 1, 7, 5, 2)).shape == (3, 1, 8, 1, 1)


def test_poolings_match_raw_gru_outputs():
    torch.manual_seed(0)
    m = _gru(input_norm=False, pooling=None).eval()
    x = torch.randn(2, 1, 6, 5, 2)
    seq = x.reshape(2, 6, 10)
    out, h_n = m.gru(seq)
    full = m(x)[:, 0, :, :, 0].transpose(1, 2)  # (N, T, D)
    assert torch.allclose(full, out, atol=1e-6)
    m.pooling = 'mean'
    assert torch.allclose(m(x).flatten(1), out.mean(1), atol=1e-6)
    m.pooling = 'max'
    assert torch.allclose(m(x).flatten(1), out.amax(1), atol=1e-6)
    m.pooling = 'last'
    last = m(x).flatten(1)
    # forward direction's final state = output at the last frame (first half);
    # backward direction's final state = output at frame 0 (second half)
    assert torch.allclose(last[:, :8], out[:, -1, :8], atol=1e-6)
    assert torch.allclose(last[:, 8:], out[:, 0, 8:], atol=1e-6)


def test_frame_vector_is_joint_major_and_persons_are_independent_in_batch_mode():
    torch.manual_seed(0)
    m = _gru(input_norm=False).eval()
    x = torch.randn(2, 2, 6, 5, 2)
    both = m(x)
    alone = m(x[:, 1:])
    assert torch.allclose(both[:, 1:], alone, atol=1e-6)
    c = _gru(input_norm=False, person_mode='concat', num_person=2).eval()
    assert c.gru.input_size == 20 and c(x).shape == (2, 1, 16, 1, 1)


def test_frozen_stages_and_norm_eval():
    m = _gru(frozen_stages=1, norm_eval=False)
    m.train()
    frozen = {n for n, p in m.named_parameters() if not p.requires_grad}
    layer0 = {f'gru.{k}_l0{s}' for k in ('weight_ih', 'weight_hh', 'bias_ih', 'bias_hh')
              for s in ('', '_reverse')}
    assert frozen == {'input_norm.weight', 'input_norm.bias'} | layer0
    assert not m.input_norm.training
    full = _gru(frozen_stages=99, norm_eval=True).train()
    assert all(not p.requires_grad for p in full.parameters())
    before = full.input_norm.running_mean.clone()
    full(torch.randn(4, 1, 6, 5, 2) * 3 + 1)
    assert torch.equal(before, full.input_norm.running_mean)


@pytest.mark.parametrize('kw', [dict(pooling='avg'), dict(person_mode='stack'), dict(num_layers=0)])
def test_bad_arguments(kw):
    with pytest.raises(ValueError):
        _gru(**kw)


def test_wrong_input_layout_is_a_clear_error():
    with pytest.raises(ValueError, match='num_joints'):
        _gru()(torch.randn(2, 1, 6, 22, 2))
    with pytest.raises(ValueError, match='FormatGCNInput'):
        _gru()(torch.randn(2, 6, 5, 2))


def test_learns_a_temporal_order_task():
    """Sequence order decides the label (same frames, reversed): the GRU must learn it."""
    torch.manual_seed(0)
    m = _gru(hidden_size=16, num_layers=1, pooling='last')
    head = nn.Linear(32, 2)
    opt = torch.optim.Adam(list(m.parameters()) + list(head.parameters()), lr=1e-2)
    ramp = torch.linspace(-1, 1, 8)[None, None, :, None, None].expand(1, 1, 8, 5, 2)

    def batch(n):
        y = torch.randint(0, 2, (n, ))
        x = ramp.expand(n, -1, -1, -1, -1).clone()
        x[y == 1] = x[y == 1].flip(2)
        return x + 0.3 * torch.randn_like(x), y

    for _ in range(60):
        x, y = batch(32)
        loss = nn.functional.cross_entropy(head(m(x).flatten(1)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    m.eval()
    x, y = batch(200)
    acc = (head(m(x).flatten(1)).argmax(1) == y).float().mean()
    assert acc > 0.9
