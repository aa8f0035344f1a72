"""U-S-VAE: decoder inputs, loss decomposition, variable-length masking, preprocessing."""
import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.optim import OptimWrapper

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.models.data_preprocessors import MGSkeletonSequencePreprocessor
from mmimigue.models.selfsup.usvae import MGUSVAE

torch.set_num_threads(1)

SMALL = dict(num_joints=5, hidden_size=8, decoder_hidden_size=7, latent_channels=6)


def _batch(lengths, joints=5, channels=3, seed=0):
    """Random (1, 1, T, V, C) clips; the last channel is a detection score in (0.1, 1)."""
    g = torch.Generator().manual_seed(seed)
    out = []
    for t in lengths:
        x = torch.randn(1, 1, t, joints, channels, generator=g)
        x[..., -1] = 0.1 + 0.9 * torch.rand(1, 1, t, joints, generator=g)
        out.append(x)
    return out


def _prepared(model, lengths, seed=0):
    return model.data_preprocessor(dict(inputs=_batch(lengths, seed=seed), data_samples=None))


def test_built_from_registry_with_paper_sizes():
    model = MODELS.build(dict(type='MGUSVAE'))
    assert model.encoder.bidirectional and model.encoder.num_layers == 1
    assert model.encoder.hidden_size == 256 and model.decoder.hidden_size == 256
    assert not model.decoder.bidirectional and model.decoder.num_layers == 1
    assert isinstance(model.data_preprocessor, MGSkeletonSequencePreprocessor)


def test_decoder_gets_z_then_zeros():
    torch.manual_seed(0)
    model = MGUSVAE(**SMALL)
    seen = {}
    model.decoder.register_forward_pre_hook(lambda m, args: seen.setdefault('inp', args[0]))
    data = _prepared(model, [6, 9, 4])
    model(**data, mode='loss')
    inp = seen['inp']
    assert inp.shape == (3, 9, 6)
    assert torch.count_nonzero(inp[:, 1:]) == 0
    assert (inp[:, 0].abs() > 0).all()
    # the first input is the sampled z: mu + sigma * eps, not mu itself
    enc = model.encode(model.sequences(data['inputs'], data['lengths']), data['lengths'])
    assert not torch.allclose(inp[:, 0], enc['mu'])


def test_loss_decomposes_as_documented():
    torch.manual_seed(0)
    model = MGUSVAE(kl_weight=0.3, **SMALL)
    data = _prepared(model, [6, 9, 4])
    torch.manual_seed(1)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_rec', 'loss_kl'}
    # recompute by hand with the same noise
    lengths = data['lengths']
    x = model.sequences(data['inputs'], lengths)
    enc = model.encode(x, lengths)
    torch.manual_seed(1)
    z = enc['mu'] + torch.exp(0.5 * enc['logvar']) * torch.randn_like(enc['mu'])
    recon = model.decode(z, x.shape[1])
    rec, kl = [], []
    for b, t in enumerate(lengths.tolist()):
        rec.append(sum(((x[b, i] - recon[b, i]) ** 2).sum() for i in range(t)) / t)
        mu, lv = enc['mu'][b], enc['logvar'][b]
        kl.append(-0.5 * (1 + lv - mu ** 2 - lv.exp()).sum())
    torch.testing.assert_close(losses['loss_rec'], torch.stack(rec).mean())
    torch.testing.assert_close(losses['loss_kl'], 0.3 * torch.stack(kl).mean())


def test_kl_term_is_closed_form_gaussian_kl():
    model = MGUSVAE(kl_weight=1.0, **SMALL)
    mu = torch.tensor([[0.5, -1.0]])
    logvar = torch.tensor([[0.2, -0.4]])
    x = torch.zeros(1, 2, 3)
    out = model.losses(x, x, torch.tensor([2]), mu, logvar)
    q = torch.distributions.Normal(mu, (0.5 * logvar).exp())
    p = torch.distributions.Normal(torch.zeros(2), torch.ones(2))
    torch.testing.assert_close(out['loss_kl'], torch.distributions.kl_divergence(q, p).sum())
    assert out['loss_rec'] == 0


def test_padding_is_masked():
    torch.manual_seed(0)
    model = MGUSVAE(**SMALL).eval()
    data = _prepared(model, [6, 9, 4])
    garbage = dict(data)
    garbage['inputs'] = data['inputs'].clone()
    garbage['inputs'][0, :, 6:] = 100.
    garbage['inputs'][2, :, 4:] = -50.
    for mode in ('tensor', ):
        torch.testing.assert_close(model(**data, mode=mode), model(**garbage, mode=mode))
    torch.manual_seed(3)
    clean = model(**data, mode='loss')
    torch.manual_seed(3)
    dirty = model(**garbage, mode='loss')
    for k in clean:
        torch.testing.assert_close(clean[k], dirty[k])
    # padded frames get no gradient
    inp = garbage['inputs'].requires_grad_(True)
    loss = model(inp, lengths=data['lengths'], mode='loss')
    (loss['loss_rec'] + loss['loss_kl']).backward()
    assert torch.count_nonzero(inp.grad[0, :, 6:]) == 0
    assert torch.count_nonzero(inp.grad[2, :, 4:]) == 0
    assert torch.count_nonzero(inp.grad[1]) > 0


def test_batched_features_equal_single_sequence_features():
    torch.manual_seed(0)
    model = MGUSVAE(feature='hidden', **SMALL).eval()
    seqs = _batch([6, 9, 4])
    batched = model(**model.data_preprocessor(dict(inputs=seqs)), mode='tensor')
    for i, s in enumerate(seqs):
        single = model(**model.data_preprocessor(dict(inputs=[s])), mode='tensor')
        torch.testing.assert_close(batched[i], single[0], atol=1e-6, rtol=1e-5)


@pytest.mark.parametrize('feature,size', [('hidden', 16), ('cell', 16), ('mu', 6)])
def test_predict_stores_feature(feature, size):
    model = MGUSVAE(feature=feature, **SMALL).eval()
    samples = [ActionDataSample().set_gt_label(torch.tensor([i])) for i in range(3)]
    data = model.data_preprocessor(dict(inputs=_batch([5, 3, 8]), data_samples=samples))
    out = model(**data, mode='predict')
    assert all(s.feature.shape == (size, ) for s in out)
    with pytest.raises(ValueError, match='feature'):
        MGUSVAE(feature='logits')


def test_centering_removes_position():
    model = MGUSVAE(center_joint=1, **SMALL).eval()
    data = _prepared(model, [6, 9])
    moved = data['inputs'].clone()
    moved[..., 0] += 3.
    moved[..., 1] -= 2.
    torch.testing.assert_close(model(data['inputs'], lengths=data['lengths']),
                               model(moved, lengths=data['lengths']), atol=1e-5, rtol=1e-5)
    raw = MGUSVAE(center_joint=None, **SMALL).eval()
    assert not torch.allclose(raw(data['inputs'], lengths=data['lengths']),
                              raw(moved, lengths=data['lengths']))


def test_uses_xy_channels_only():
    model = MGUSVAE(in_channels=2, **SMALL).eval()
    data = _prepared(model, [6, 9])
    other = data['inputs'].clone()
    other[..., 2] = 0.5 + torch.rand_like(other[..., 2])  # other (non-zero) scores
    torch.testing.assert_close(model(**data), model(other, lengths=data['lengths']))


def test_preprocessor_pads_and_caps():
    pre = MGSkeletonSequencePreprocessor()
    seqs = _batch([4, 7])
    out = pre(dict(inputs=seqs, data_samples=None))
    assert out['inputs'].shape == (2, 1, 7, 5, 3)
    assert out['lengths'].tolist() == [4, 7]
    assert torch.count_nonzero(out['inputs'][0, :, 4:]) == 0
    torch.testing.assert_close(out['inputs'][1], seqs[1][0])
    capped = MGSkeletonSequencePreprocessor(max_frames=5)(dict(inputs=seqs))
    assert capped['lengths'].tolist() == [4, 5]
    torch.testing.assert_close(capped['inputs'][1, :, 0], seqs[1][0, :, 0])
    torch.testing.assert_close(capped['inputs'][1, :, 4], seqs[1][0, :, 6])
    with pytest.raises(ValueError, match='UniformSampleFrames'):
        pre(dict(inputs=[torch.randn(10, 1, 8, 5, 3)]))


def test_unsupervised_training_reduces_loss():
    torch.manual_seed(0)
    model = MGUSVAE(**SMALL)
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-2))
    g = torch.Generator().manual_seed(0)
    seqs = []
    for t in (6, 9, 4, 8):  # smooth motions: each joint/channel a sinusoid
        amp, phase = torch.randn(2, 1, 1, 5, 3, generator=g)
        time = torch.arange(t, dtype=torch.float32)[None, :, None, None]
        seqs.append((amp * torch.sin(0.5 * time + phase))[None])
    data = dict(inputs=seqs, data_samples=None)
    first = model.train_step(data, optim)
    for _ in range(60):
        log = model.train_step(data, optim)
    assert log['loss_rec'] < 0.5 * first['loss_rec']
    assert torch.isfinite(log['loss'])


def test_lengths_travel_in_data_samples():
    """Feature extractors that pass only (inputs, data_samples) still get the true lengths."""
    torch.manual_seed(0)
    model = MGUSVAE(**SMALL).eval()
    samples = [ActionDataSample().set_gt_label(torch.tensor([i])) for i in range(3)]
    data = model.data_preprocessor(dict(inputs=_batch([5, 3, 8]), data_samples=samples))
    assert [s.metainfo['seq_len'] for s in data['data_samples']] == [5, 3, 8]
    torch.testing.assert_close(model(data['inputs'], data['data_samples'], mode='tensor'),
                               model(**data, mode='tensor'))
    assert not torch.allclose(model(data['inputs'], mode='tensor'), model(**data, mode='tensor'))


def test_scale_normalisation_removes_body_size():
    model = MGUSVAE(center_joint=1, scale_joints=(2, 4), **SMALL).eval()
    data = _prepared(model, [6, 9])
    bigger = data['inputs'].clone()
    bigger[..., :2] *= 1.7  # a larger (or closer) subject, same motion
    torch.testing.assert_close(model(data['inputs'], lengths=data['lengths']),
                               model(bigger, lengths=data['lengths']), atol=1e-5, rtol=1e-5)
    x = model.sequences(data['inputs'], data['lengths']).view(2, 9, 5, 2)
    shoulder = (x[0, :6, 2] - x[0, :6, 4]).norm(dim=-1).mean()
    torch.testing.assert_close(shoulder, torch.tensor(1.))
    with pytest.raises(ValueError, match='scale_joints'):
        MGUSVAE(scale_joints=(2, 30), **SMALL)


def test_learns_synthetic_imigue_representation(synthetic_imigue_pkl):
    """KNN on U-S-VAE features of held-out subjects: above chance, and better after training."""
    from mmaction.registry import DATASETS
    from mmengine.registry import init_default_scope

    from mmimigue.evaluation import knn_accuracy
    init_default_scope('mmaction')
    pipeline = [dict(type='PreNormalize2D'),
                dict(type='MGGenSkeFeat', layout='imigue22', feats=['j']),
                dict(type='PoseDecode'), dict(type='FormatGCNInput', num_person=1),
                dict(type='PackActionInputs')]

    def load(split):
        ds = DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=synthetic_imigue_pkl,
                                 pipeline=pipeline, split=split, test_mode=True))
        items = [ds[i] for i in range(len(ds))]
        return [it['inputs'] for it in items], torch.tensor(
            [int(it['data_samples'].gt_label) for it in items])

    (train_x, train_y), (test_x, test_y) = load('xsub_train'), load('xsub_test')
    torch.manual_seed(0)
    # the cell-state read-out (paper's "1L w C") separates classes earliest in a short run
    model = MGUSVAE(hidden_size=64, decoder_hidden_size=64, scale_joints=(2, 5), feature='cell')
    pre = model.data_preprocessor

    def knn():
        model.eval()
        with torch.no_grad():
            bank = model(**pre(dict(inputs=train_x)), mode='tensor')
            query = model(**pre(dict(inputs=test_x)), mode='tensor')
        model.train()
        return knn_accuracy(bank, train_y, query, test_y, k=1, distance='cosine')['top1']

    before = knn()
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=3e-3))
    first = last = None
    for _ in range(8):
        order = torch.randperm(len(train_x)).tolist()
        for i in range(0, len(order), 32):
            log = model.train_step(dict(inputs=[train_x[j] for j in order[i:i + 32]]), optim)
            first = first if first is not None else float(log['loss_rec'])
            last = float(log['loss_rec'])
    after = knn()
    print(f'U-S-VAE KNN held-out top-1: random encoder {before:.3f}, trained {after:.3f}')
    assert last < 0.8 * first
    assert after > 3 / 32 and after > before + 0.05


def test_normalisation_ignores_missed_detections():
    """Frames where the neck / shoulders were not detected (score 0) do not move the statistics."""
    model = MGUSVAE(in_channels=2, center_joint=1, scale_joints=(2, 4), **SMALL).eval()
    data = _prepared(model, [6, 9])
    missed = data['inputs'].clone()
    missed[0, 0, 2, :, 2] = 0.  # frame 2 of sequence 0: nothing detected
    zeros, far = missed.clone(), missed.clone()
    zeros[0, 0, 2, :, :2] = 0.
    far[0, 0, 2, :, :2] = 100.
    a = model.sequences(zeros, data['lengths'])
    b = model.sequences(far, data['lengths'])
    keep = [t for t in range(9) if t != 2]
    torch.testing.assert_close(a[:, keep], b[:, keep])  # its coordinates do not matter
    counted = model.sequences(data['inputs'], data['lengths'])
    assert not torch.allclose(counted[0, keep], a[0, keep])  # when detected, they do


def test_z_t_joins_the_forward_end_and_the_backward_end():
    """Z_T = [forward state after the last true frame, backward state after frame 0], each
    from its own direction (a model building both halves from one direction fails)."""
    torch.manual_seed(3)
    model = MGUSVAE(**SMALL).eval()
    lengths = torch.tensor([6, 9])
    x = torch.randn(2, 9, model.encoder.input_size)
    x[0, 6:] = 0  # padding
    hidden = model.encode(x, lengths)['hidden']
    h = model.encoder.hidden_size
    for i, t in enumerate(lengths.tolist()):
        out, _ = model.encoder(x[i:i + 1, :t])  # the sequence alone, no padding
        torch.testing.assert_close(hidden[i, :h], out[0, -1, :h])  # forward: after frame t-1
        torch.testing.assert_close(hidden[i, h:], out[0, 0, h:])  # backward: after frame 0
    assert not torch.allclose(hidden[:, :h], hidden[:, h:])
