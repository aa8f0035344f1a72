"""MGLabelEmbeddingHead: the MiGA 2023 winner's label-embedding loss around mmaction2 heads."""
import pytest
import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

from mmimigue.registration import register_all_modules

register_all_modules()
HASH = dict(type='MGHashTextEncoder', embed_dims=24)
NAMES = ['scratch head', 'fold arms', 'touch nose', 'cross fingers']


def samples(labels):
    return [ActionDataSample().set_gt_label(int(y)) for y in labels]


def build(head, **kw):
    m = MODELS.build(dict(type='MGLabelEmbeddingHead', head=head, class_names=NAMES,
                          text_encoder=HASH, **kw))
    m.init_weights()
    return m


def test_loss_is_the_heads_plus_weighted_mse_on_the_pooled_feature():
    torch.manual_seed(0)
    m = build(dict(type='GCNHead', num_classes=4, in_channels=16, dropout=0.5))
    m.train()
    feats = torch.randn(3, 2, 16, 5, 7)  # (N, M, C, T, V)
    labels = [2, 0, 3]
    losses = m.loss(feats, samples(labels))
    pooled = feats.mean((3, 4)).mean(1)  # GCNHead's pooling, before its dropout
    want = 20 * F.mse_loss(m.emb_fc(pooled), m.class_embeddings[labels])
    assert losses['loss_label_emb'].item() == pytest.approx(want.item(), rel=1e-5)
    assert {'loss_cls', 'top1_acc', 'loss_label_emb'} <= set(losses)
    # the class embeddings are rescaled to RMS 0.3 and stay out of the gradient
    assert m.class_embeddings.pow(2).mean().sqrt().item() == pytest.approx(0.3, rel=1e-5)
    losses['loss_label_emb'].backward()
    assert m.emb_fc.weight.grad is not None and m.emb_fc.weight.grad.abs().sum() > 0
    assert not m.class_embeddings.requires_grad
    assert m._feature is None  # no graph kept after the step


def test_prediction_is_the_wrapped_heads():
    torch.manual_seed(0)
    m = build(dict(type='I3DHead', num_classes=4, in_channels=8, average_clips='prob'))
    m.eval()
    x = torch.randn(2, 8, 2, 3, 3)
    out = m.predict(x, samples([0, 1]))
    ref = m.head.predict(x, samples([0, 1]))
    for a, b in zip(out, ref):
        torch.testing.assert_close(a.pred_score, b.pred_score)
    assert m.num_classes == 4


def test_soft_labels_mix_the_class_embeddings():
    m = build(dict(type='GCNHead', num_classes=4, in_channels=6, dropout=0.))
    soft = torch.tensor([[0.5, 0.5, 0., 0.], [0., 0., 0., 1.]])
    data = [ActionDataSample().set_gt_label(s) for s in soft]
    feats = torch.randn(2, 1, 6, 3, 4)
    losses = m.loss(feats, data)
    target = soft @ m.class_embeddings
    want = 20 * F.mse_loss(m.emb_fc(feats.mean((3, 4)).mean(1)), target)
    assert losses['loss_label_emb'].item() == pytest.approx(want.item(), rel=1e-5)


def test_bad_configurations_are_named():
    with pytest.raises(ValueError, match='4 class names for a head of 5 classes'):
        build(dict(type='GCNHead', num_classes=5, in_channels=6))
    with pytest.raises(ValueError, match='fc_cls` or `fc`'):
        MODELS.build(dict(type='MGLabelEmbeddingHead', head=dict(
            type='RGBPoseHead', num_classes=4, in_channels=(8, 4)), class_names=NAMES,
            text_encoder=HASH))


def test_inside_a_recognizer_checkpoint_holds_no_text_encoder():
    model = MODELS.build(dict(
        type='RecognizerGCN',
        backbone=dict(type='STGCN', graph_cfg=dict(layout='coco', mode='stgcn_spatial'),
                      base_channels=8, num_stages=2, inflate_stages=[], down_stages=[]),
        cls_head=dict(type='MGLabelEmbeddingHead', class_names=NAMES, text_encoder=HASH,
                      head=dict(type='GCNHead', num_classes=4, in_channels=8))))
    model.init_weights()
    x = torch.randn(2, 1, 1, 10, 17, 3)  # (N, clips, M, T, V, C)
    losses = model(x, samples([1, 3]), mode='loss')
    assert torch.isfinite(losses['loss_label_emb'])
    keys = model.state_dict().keys()
    assert 'cls_head.class_embeddings' in keys and not any('table' in k for k in keys)
