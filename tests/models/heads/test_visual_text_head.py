"""MGVisualTextHead / MGVisualTextMLPHead / VisualTextRecognizer*: loss wiring, prediction by text
similarity, prompt modes, feature layouts, stage-2 freezing and loading stage-1 weights."""
import copy

import pytest
import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope

from mmimigue.models.heads.visual_tokens import visual_tokens
from mmimigue.models.losses import MGVisualTextKLLoss

init_default_scope('mmaction')
NUM_CLASSES = 6
NAMES = ['touching jaw', 'touching or scratching neck', 'folding arms', 'scratching head',
         'rubbing eyes', 'crossing fingers']
TINY_GCN = dict(type='STGCN', graph_cfg=dict(layout='imigue22', mode='stgcn_spatial'),
                base_channels=8, num_stages=2, inflate_stages=[2], down_stages=[2])


@pytest.fixture(autouse=True, scope='module')
def _one_thread():
    """Tiny models: one thread is as fast and does not thrash on a busy machine."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _head(**kw):
    cfg = dict(type='MGVisualTextHead', num_classes=NUM_CLASSES, in_channels=16, class_names=NAMES,
               text_encoder=dict(type='MGHashTextEncoder', embed_dims=24), embed_dims=32,
               visual_format='gcn', prompting=dict(num_heads=4))
    cfg.update(kw)
    return cfg


def _model(head=None, recognizer='MGFreezableRecognizerGCN', **kw):
    return MODELS.build(dict(type=recognizer, backbone=copy.deepcopy(TINY_GCN),
                             cls_head=head or _head(), **kw))


def _samples(labels):
    return [ActionDataSample().set_gt_label(torch.tensor([int(lb)])) for lb in labels]


def _batch(n=8, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(n, 1, 1, 12, 22, 3, generator=gen)  # (N, clips, M, T, V, C)


def test_loss_is_the_kl_of_scored_clip_prompts():
    torch.manual_seed(0)
    model = _model().eval()  # eval: no dropout, same numbers twice
    head = model.cls_head
    labels = torch.tensor([0, 3, 0, 5, 3, 3])
    feats, _ = model.extract_feat(_batch(6))
    losses = head.loss(feats, _samples(labels))
    visual, context = head.embed_visual(feats, 6)
    text = head.embed_text()
    sim = torch.empty(6, 6)
    for i in range(6):  # clip i vs the class text of clip j, prompted by clip i's context
        for j in range(6):
            t_hat = head.prompting(text[labels[j]][None, None], context[i:i + 1])[0, 0]
            sim[i, j] = F.cosine_similarity(visual[i], t_hat, dim=0) / 0.05
    torch.testing.assert_close(losses['loss_cls'], MGVisualTextKLLoss()(sim, labels))
    assert set(losses) == {'loss_cls', 'top1_acc', 'top5_acc'}


def test_prediction_is_text_similarity_over_all_classes():
    torch.manual_seed(0)
    model = _model().eval()
    out = model(_batch(4), _samples([0, 1, 2, 3]), mode='predict')
    feats, _ = model.extract_feat(_batch(4))
    logits = model.cls_head.class_logits(*model.cls_head.embed_visual(feats, 4))
    assert logits.shape == (4, NUM_CLASSES)
    for i, ds in enumerate(out):
        torch.testing.assert_close(ds.pred_score, logits[i].softmax(0))
        assert ds.pred_label.item() == logits[i].argmax().item()
    # several test clips of one sample become one prediction
    feats10 = torch.randn(20, 1, 16, 3, 22)
    assert model.cls_head(feats10, num_samples=2).shape == (2, NUM_CLASSES)


def test_training_counts_labels_and_prediction_adds_their_log_prior():
    torch.manual_seed(0)
    model = _model()
    head = model.cls_head
    model(_batch(6), _samples([0, 0, 0, 0, 1, 2]), mode='loss')
    model(_batch(6, seed=1), _samples([0, 0, 1, 1, 3, 3]), mode='loss')
    torch.testing.assert_close(head.label_counts, torch.tensor([6., 3., 1., 2., 0., 0.]))
    counts = torch.tensor([7., 4., 2., 3., 1., 1.])  # add-one smoothed
    torch.testing.assert_close(head.log_prior(), torch.log(counts / counts.sum()))
    model.eval()
    x = _batch(4, seed=2)
    feats, _ = model.extract_feat(x)
    logits = head(feats, num_samples=4)
    out = model(x, _samples([0, 1, 2, 3]), mode='predict')
    for i, ds in enumerate(out):
        torch.testing.assert_close(ds.pred_score, (logits[i] + head.log_prior()).softmax(0))
    # switched off: the paper's bare text similarity
    head.prior_correction = False
    for i, ds in enumerate(model(x, _samples([0, 1, 2, 3]), mode='predict')):
        torch.testing.assert_close(ds.pred_score, logits[i].softmax(0))


def test_prior_correction_breaks_ties_towards_the_frequent_class():
    head = MODELS.build(_head(prompt_mode='label'))
    head.label_counts.copy_(torch.tensor([50., 1., 1., 1., 1., 1.]))
    head.eval()
    tie = torch.zeros(1, NUM_CLASSES)
    tie[0, :2] = 5.0  # class 0 and class 1 equally similar
    head.forward = lambda *a, **k: tie
    pred = head.predict(torch.zeros(1), _samples([1]))[0]
    assert pred.pred_label.item() == 0 and pred.pred_score[0] > 10 * pred.pred_score[1]
    head.prior_correction = False
    score = head.predict(torch.zeros(1), _samples([1]))[0].pred_score
    torch.testing.assert_close(score[0], score[1])


def test_label_counts_are_summed_over_processes(monkeypatch):
    import mmimigue.models.heads.visual_text_head as vth
    head = MODELS.build(_head())
    monkeypatch.setattr(vth, 'is_distributed', lambda: True)
    monkeypatch.setattr(vth, 'all_reduce', lambda t: t.mul_(2))  # two ranks, same labels
    head.count_labels(torch.tensor([1, 1, 4]))
    torch.testing.assert_close(head.label_counts, torch.tensor([0., 4., 0., 0., 2., 0.]))
    assert 'label_counts' in head.state_dict()  # the prior travels with the checkpoint


@pytest.mark.parametrize('mode', ['adaptive', 'handcrafted', 'label'])
def test_prompt_modes_train(mode):
    torch.manual_seed(0)
    model = _model(_head(prompt_mode=mode))
    bank = model.cls_head.text_bank
    assert (model.cls_head.prompting is not None) == (mode == 'adaptive')
    assert (bank.templates is not None) == (mode == 'handcrafted')
    x, samples = _batch(8), _samples([0, 1, 2, 0, 1, 2, 4, 4])
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    losses = []
    for _ in range(8):
        loss = model(x, samples, mode='loss')['loss_cls']
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.8 * losses[0]
    assert bank.num_encodes == 1  # frozen text: encoded once over all steps


def test_trainable_text_encoder_gets_gradients():
    model = _model(_head(text_trainable=True))
    model(_batch(4), _samples([0, 1, 1, 2]), mode='loss')['loss_cls'].backward()
    assert model.cls_head.text_bank.encoder.table.weight.grad.abs().sum() > 0


def test_head_plugs_into_plain_mmaction2_recognizer():
    model = _model(recognizer='RecognizerGCN')
    assert torch.isfinite(model(_batch(4), _samples([0, 1, 1, 2]), mode='loss')['loss_cls'])
    assert len(model.eval()(_batch(2), _samples([0, 1]), mode='predict')) == 2


def test_visual_tokens_layouts():
    assert visual_tokens(torch.randn(6, 2, 16, 5, 22), 'gcn', 3).shape == (3, 10, 16)  # 2 views
    assert visual_tokens(torch.randn(3, 2, 16, 5, 22), 'gcn', 3, 'all').shape == (3, 220, 16)
    assert visual_tokens(torch.randn(2, 16, 4, 3, 3), '3d', 2).shape == (2, 4, 16)
    assert visual_tokens(torch.randn(2, 16, 4, 3, 3), '3d', 2, 'all').shape == (2, 36, 16)
    x2d = torch.randn(8, 16, 3, 3)  # 2 samples x 4 TSM segments
    tok = visual_tokens(x2d, '2d', 2)
    assert tok.shape == (2, 4, 16)
    torch.testing.assert_close(tok[1, 2], x2d[6].mean(dim=(1, 2)))
    assert visual_tokens(torch.randn(4, 16), 'vector', 4).shape == (4, 1, 16)
    with pytest.raises(ValueError, match="visual_format='gcn' expects"):
        visual_tokens(torch.randn(2, 16, 3, 3), 'gcn', 2)
    with pytest.raises(ValueError, match='visual_format='):
        visual_tokens(torch.randn(2, 16), 'audio', 2)


def test_config_errors_are_clear():
    with pytest.raises(ValueError, match='num_classes=5 but 6 class names'):
        MODELS.build(_head(num_classes=5))
    with pytest.raises(ValueError, match='prompt_mode'):
        MODELS.build(_head(prompt_mode='soft'))


def _stage2(**kw):
    head = dict(type='MGVisualTextMLPHead', num_classes=NUM_CLASSES, in_channels=16, embed_dims=32,
                visual_format='gcn', hidden_channels=16, dropout=0.0)
    return _model(head, freeze_backbone=True, **kw)


def test_stage2_loads_stage1_and_trains_only_the_mlp():
    torch.manual_seed(0)
    stage1 = _model()
    x, samples = _batch(8), _samples([0, 1, 2, 0, 1, 2, 4, 4])
    stage1(x, samples, mode='loss')['loss_cls'].backward()  # make BN statistics non-trivial
    stage2 = _stage2()
    missing, unexpected = stage2.load_state_dict(stage1.state_dict(), strict=False)
    assert all(k.startswith('cls_head.mlp') for k in missing)
    frozen = {k: v.clone() for k, v in stage2.state_dict().items() if not k.startswith('cls_head.mlp')}
    assert any('running_mean' in k for k in frozen)
    torch.testing.assert_close(frozen['cls_head.visual_proj.0.weight'],
                               stage1.cls_head.visual_proj[0].weight)
    stage2.train()
    assert not stage2.backbone.training and not stage2.cls_head.visual_proj.training
    params = [p for p in stage2.parameters() if p.requires_grad]
    assert {id(p) for p in params} == {id(p) for p in stage2.cls_head.mlp.parameters()}
    opt = torch.optim.AdamW(params, lr=1e-2)
    losses = []
    for _ in range(15):
        loss = stage2(x, samples, mode='loss')['loss_cls']
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.85 * losses[0]
    after = stage2.state_dict()
    for k, v in frozen.items():  # weights and BatchNorm statistics untouched
        assert torch.equal(v, after[k]), k
    pred = stage2.eval()(x[:2], samples[:2], mode='predict')
    assert pred[0].pred_score.shape == (NUM_CLASSES,)


def test_clip_outputs_store_the_visual_embedding_of_visual_text_models():
    """tools/extract_clip_outputs.py's 'auto' feature of a visual-text model is v, the projected
    pooled clip (embed_dims), not an activation inside the prompting FFN."""
    from mmimigue.apis import FeatureCatcher, feature_source
    torch.manual_seed(4)
    model = _model().eval()
    module, use_output = feature_source(model)
    assert module is model.cls_head.visual_proj and use_output
    catcher = FeatureCatcher(module, use_output)
    x = _batch(3)
    with torch.no_grad():
        model(x, _samples([0, 1, 2]), mode='predict')
        got = catcher.pop(3)
        catcher.handle.remove()
        feats, _ = model.extract_feat(x)
        visual, _ = model.cls_head.embed_visual(feats, 3)
    assert got.shape == (3, 32)
    torch.testing.assert_close(torch.from_numpy(got), visual)
