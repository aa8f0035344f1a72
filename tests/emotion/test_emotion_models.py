"""MGEmotionLSTM, MGEmotionTransformer ([class] token) and MGRecognizerEmotion."""
import copy

import numpy as np
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.optim import OptimWrapper

from mmimigue.datasets import MGIMiGUEEmotionDataset, mg_emotion_pad_collate
from mmimigue.models.backbones import MGEmotionLSTM, MGEmotionTransformer


def _lstm(**kw):
    torch.manual_seed(0)
    return MGEmotionLSTM(**{**dict(in_channels=6, hidden_channels=8, num_layers=3), **kw}).eval()


def _transformer(**kw):
    torch.manual_seed(0)
    m = MGEmotionTransformer(**{**dict(in_channels=6, embed_dims=16, num_layers=2, num_heads=2,
                                     feedforward_channels=32, dropout=0.1), **kw})
    m.init_weights()
    return m.eval()


def _padded_pair(vector: bool):
    """Two sequences (lengths 3 and 7) as a padded batch, plus each one alone."""
    g = torch.Generator().manual_seed(1)
    if vector:
        a, b = torch.rand(3, 6, generator=g), torch.rand(7, 6, generator=g)
    else:
        a, b = torch.randint(0, 6, (3, ), generator=g), torch.randint(0, 6, (7, ), generator=g)
    seq = torch.nn.utils.rnn.pad_sequence([a, b], batch_first=True)
    mask = torch.tensor([[1] * 3 + [0] * 4, [1] * 7]).bool()
    return a, b, seq, mask


@pytest.mark.parametrize('build,vector', [(_lstm, True), (_lstm, False),
                                          (lambda: _transformer(input_type='vector'), True),
                                          (lambda: _transformer(input_type='label'), False)])
def test_padding_does_not_change_outputs(build, vector):
    model = build()
    a, b, seq, mask = _padded_pair(vector)
    with torch.no_grad():
        batched = model(seq, mask)
        alone_a, alone_b = model(a[None]), model(b[None])
        # garbage in the padded steps changes nothing either
        junk = seq.clone()
        junk[0, 3:] = 5 if not vector else 100.0
        batched_junk = model(junk, mask)
    torch.testing.assert_close(batched[0], alone_a[0], atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(batched[1], alone_b[0], atol=1e-5, rtol=1e-5)
    torch.testing.assert_close(batched_junk, batched, atol=1e-5, rtol=1e-5)


def test_lstm_returns_last_layer_state_after_last_real_clip():
    model = _lstm(num_layers=3)
    x = torch.rand(1, 5, 6)
    with torch.no_grad():
        out, _ = model.lstm(x)
        assert torch.allclose(model(x), out[:, -1], atol=1e-6)
        # the state after clip 3 is what a length-3 mask reads out
        mask = torch.tensor([[True] * 3 + [False] * 2])
        assert torch.allclose(model(x, mask), out[:, 2], atol=1e-6)
    assert _lstm(bidirectional=True)(x).shape == (1, 16)


def test_lstm_labels_are_one_hot_probability_vectors():
    model = _lstm()
    labels = torch.tensor([[0, 5, 2]])
    with torch.no_grad():
        torch.testing.assert_close(model(labels), model(torch.eye(6)[labels]))


def test_transformer_reads_out_class_token():
    model = _transformer(input_type='label')
    seq = torch.tensor([[1, 4, 2, 2]])
    captured = {}
    handle = model.encoder.register_forward_hook(lambda m, i, o: captured.setdefault('out', o))
    with torch.no_grad():
        out = model(seq)
    handle.remove()
    enc = captured['out']
    assert enc.shape == (1, 5, 16)  # [class] + 4 clips
    torch.testing.assert_close(out, enc[:, 0])  # the [class] position is the video summary
    # the [class] token is a trained input: changing it changes the output (a non-uniform
    # change: pre-norm layers ignore a constant shift)
    with torch.no_grad():
        g = torch.Generator().manual_seed(3)
        model.cls_token.add_(torch.randn(model.cls_token.shape, generator=g))
        assert not torch.allclose(model(seq), out, atol=1e-4)
    # the [class] token receives gradients (a random readout: a LayerNorm output sums to 0)
    model.train()
    (model(seq) * torch.randn(16, generator=torch.Generator().manual_seed(4))).sum().backward()
    assert model.cls_token.grad is not None and model.cls_token.grad.abs().sum() > 0


def test_transformer_positional_encoding_makes_order_matter():
    for pos in ('sinusoidal', 'learned'):
        model = _transformer(input_type='label', pos_encoding=pos, max_len=16)
        with torch.no_grad():
            fwd = model(torch.tensor([[0, 1, 2, 3]]))
            rev = model(torch.tensor([[3, 2, 1, 0]]))
        assert not torch.allclose(fwd, rev, atol=1e-4), pos
    with pytest.raises(ValueError, match='max_len'):
        _transformer(input_type='label', pos_encoding='learned', max_len=4)(
            torch.zeros(1, 4, dtype=torch.long))
    long_seq = torch.zeros(1, 2000, dtype=torch.long)  # sinusoidal grows beyond max_len
    assert _transformer(max_len=8)(long_seq).shape == (1, 16)


def test_input_errors():
    with pytest.raises(ValueError, match='labels must lie'):
        _lstm()(torch.tensor([[0, 6]]))
    with pytest.raises(ValueError, match=r'\(B, L, 6\)'):
        _lstm()(torch.rand(1, 3, 5))
    with pytest.raises(ValueError, match='prefix'):
        _lstm()(torch.rand(1, 3, 6), torch.tensor([[True, False, True]]))
    with pytest.raises(ValueError, match='no valid step'):
        _transformer(input_type='vector')(torch.rand(1, 3, 6), torch.zeros(1, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match="input_type='label'"):
        _transformer(input_type='vector')(torch.tensor([[1, 2]]))


def _recognizer(backbone):
    torch.manual_seed(0)
    model = MODELS.build(dict(
        type='MGRecognizerEmotion', backbone=backbone,
        cls_head=dict(type='TimeSformerHead', num_classes=2, in_channels=16, topk=(1, ),
                      average_clips='prob')))
    model.init_weights()
    return model


def _batches(ds, size):
    return [mg_emotion_pad_collate([ds[j] for j in range(i, min(i + size, len(ds)))])
            for i in range(0, len(ds), size)]


@pytest.mark.parametrize('modality,backbone,lr,epochs', [
    ('prob', dict(type='MGEmotionLSTM', in_channels=32, hidden_channels=16, num_layers=3), 3e-3,
     15),
    ('pred_label', dict(type='MGEmotionTransformer', in_channels=32, input_type='label',
                        embed_dims=16, num_layers=1, num_heads=2, feedforward_channels=32,
                        dropout=0.1), 3e-3, 30),
])
def test_recognizer_learns_above_chance_on_held_out_videos(toy_clip_outputs, modality, backbone,
                                                           lr, epochs):
    train = MGIMiGUEEmotionDataset(toy_clip_outputs, split='train', modality=modality)
    test = MGIMiGUEEmotionDataset(toy_clip_outputs, split='test', modality=modality)
    model = _recognizer(backbone)
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=lr))
    batches = _batches(train, 8)
    first = None
    for _ in range(epochs):
        for batch in batches:
            loss = model.train_step(copy.copy(batch), optim)['loss_cls'].item()
            first = loss if first is None else first
    assert loss < first
    model.eval()
    with torch.no_grad():
        samples = [s for b in _batches(test, 8) for s in model.val_step(b)]
    acc = np.mean([int(s.pred_label) == int(s.gt_label) for s in samples])
    probs = torch.stack([s.pred_score for s in samples])
    torch.testing.assert_close(probs.sum(1), torch.ones(len(samples)))
    assert len(samples) == 24 and acc >= 0.75, acc  # chance is 0.5 (12 win / 12 lose)


def test_recognizer_tensor_mode_and_bare_inputs():
    model = _recognizer(dict(type='MGEmotionLSTM', in_channels=6, hidden_channels=16))
    seq = torch.rand(2, 4, 6)
    feats = model(dict(seq=seq), mode='tensor')
    assert feats.shape == (2, 16)
    scores, _ = model.extract_feat(seq, stage='head')
    assert scores.shape == (2, 2)
