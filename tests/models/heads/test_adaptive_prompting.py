"""MGAdaptivePrompting: eq. 1-2 recomputed by hand, shapes, lambda's start value."""
import math

import pytest
import torch

from mmimigue.models.heads import MGAdaptivePrompting


def _by_hand(m: MGAdaptivePrompting, text: torch.Tensor, visual: torch.Tensor) -> torch.Tensor:
    """att = t + concat_h softmax(Q_h K_h^T / sqrt(d_k)) V_h W_o; t_hat = t + lambda(att + FNN(att))."""
    d, h = m.embed_dims, m.num_heads
    dk = d // h
    wq, wk, wv = m.attn.in_proj_weight.split(d)
    bq, bk, bv = m.attn.in_proj_bias.split(d)
    q = (text @ wq.t() + bq).reshape(*text.shape[:2], h, dk).transpose(1, 2)
    k = (visual @ wk.t() + bk).reshape(*visual.shape[:2], h, dk).transpose(1, 2)
    v = (visual @ wv.t() + bv).reshape(*visual.shape[:2], h, dk).transpose(1, 2)
    heads = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(dk), dim=-1) @ v
    mha = heads.transpose(1, 2).reshape(*text.shape[:2], d) @ m.attn.out_proj.weight.t()
    mha = mha + m.attn.out_proj.bias
    att = text + mha
    fnn = m.ffn[3](torch.nn.functional.gelu(m.ffn[0](att)))
    return text + m.lambda_ * (att + fnn)


def test_matches_equations_1_and_2():
    torch.manual_seed(0)
    m = MGAdaptivePrompting(embed_dims=16, num_heads=4, ffn_ratio=2, lambda_init=0.3).eval()
    text, visual = torch.randn(3, 5, 16), torch.randn(3, 7, 16)
    out = m(text, visual)
    assert out.shape == (3, 5, 16)
    torch.testing.assert_close(out, _by_hand(m, text, visual), rtol=1e-5, atol=1e-5)


def test_shared_text_is_broadcast_and_context_matters():
    torch.manual_seed(1)
    m = MGAdaptivePrompting(embed_dims=8, num_heads=2).eval()
    text, visual = torch.randn(32, 8), torch.randn(4, 6, 8)
    out = m(text, visual)
    assert out.shape == (4, 32, 8)
    torch.testing.assert_close(out[1], m(text.unsqueeze(0), visual[1:2])[0])
    assert not torch.allclose(out[0], out[1])  # each clip prompts the text differently


def test_lambda_starts_at_documented_value_and_learns():
    m = MGAdaptivePrompting(embed_dims=8, num_heads=2)
    assert m.lambda_.item() == pytest.approx(0.1)  # documented default
    assert MGAdaptivePrompting(embed_dims=8, num_heads=2, lambda_init=0.5).lambda_.item() == 0.5
    m(torch.randn(3, 8), torch.randn(2, 4, 8)).sum().backward()
    assert m.lambda_.grad is not None and m.lambda_.grad.abs() > 0
    # lambda = 0 leaves the text unchanged (t_hat = t_bar)
    m0 = MGAdaptivePrompting(embed_dims=8, num_heads=2, lambda_init=0.0)
    text = torch.randn(3, 8)
    torch.testing.assert_close(m0(text, torch.randn(2, 4, 8)), text.expand(2, 3, 8))


def test_bad_dimensions_raise():
    with pytest.raises(ValueError, match='divisible'):
        MGAdaptivePrompting(embed_dims=10, num_heads=4)
    with pytest.raises(ValueError, match=r'\(N, L, 8\)'):
        MGAdaptivePrompting(embed_dims=8, num_heads=2)(torch.randn(3, 8), torch.randn(2, 4, 6))


def test_each_clip_is_prompted_by_its_own_context_only():
    """Permuting the clips of a batch permutes the prompted texts the same way: no clip's text
    sees another clip's visual tokens (a batch-mixing bug fails this)."""
    torch.manual_seed(2)
    m = MGAdaptivePrompting(embed_dims=8, num_heads=2).eval()
    text, visual = torch.randn(5, 8), torch.randn(6, 4, 8)
    perm = torch.tensor([3, 0, 5, 1, 4, 2])
    torch.testing.assert_close(m(text, visual[perm]), m(text, visual)[perm])
    visual2 = visual.clone()
    visual2[0] += 10.  # changing clip 0's context changes clip 0 only
    out, out2 = m(text, visual), m(text, visual2)
    assert not torch.allclose(out[0], out2[0])
    torch.testing.assert_close(out[1:], out2[1:])
