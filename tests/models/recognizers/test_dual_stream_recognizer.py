"""MGDualStreamRecognizer: fusion, frozen linear evaluation, checkpoint round trip."""
import pytest
import torch
import torch.nn.functional as F
from mmaction.evaluation import AccMetric
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmaction.utils import register_all_modules
from mmengine.optim import OptimWrapper
from mmengine.runner.checkpoint import save_checkpoint

import mmimigue.registration  # noqa: F401  (compat shims + registration)

torch.set_num_threads(1)
register_all_modules()  # AAGCN's init_cfg uses mmaction.engine's ConvBranch initializer

V, C, T, K = 22, 2, 8, 3
GCN = dict(graph_cfg=dict(layout='imigue22', mode='spatial'), in_channels=C, base_channels=8,
           num_stages=2, inflate_stages=[], down_stages=[], num_person=1)
GRU = dict(in_channels=C, num_joints=V, hidden_size=4, num_layers=2)


def moco_cfg():
    return dict(
        type='MGDualStreamMoCo',
        streams=dict(
            spatial=dict(backbone=dict(type='AAGCN', **GCN),
                       neck=dict(type='MGProjectionMLP', in_channels=8, out_channels=4),
                       queue_len=8, feat_dim=4),
            temporal=dict(backbone=dict(type='MGBiGRU', **GRU),
                          neck=dict(type='MGProjectionMLP', in_channels=8, out_channels=4),
                          queue_len=8, feat_dim=4)))


def linear_cfg(pretrained=None, frozen=True, gru=None):
    stages = 99 if frozen else -1
    return dict(
        type='MGDualStreamRecognizer',
        pretrained=pretrained,
        streams=dict(
            spatial=dict(backbone=dict(type='MGFreezableAAGCN', **GCN, frozen_stages=stages,
                                     norm_eval=frozen),
                       cls_head=dict(type='MGLinearProbeHead', num_classes=K, in_channels=8)),
            temporal=dict(backbone=dict(type='MGBiGRU', **(gru or GRU), frozen_stages=stages,
                                        norm_eval=frozen),
                          cls_head=dict(type='GCNHead', num_classes=K, in_channels=8))))


def build(cfg):
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def data(n, nc=1, seed=0):
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, nc, 1, T, V, C, generator=g)
    samples = [ActionDataSample().set_gt_label(i % K) for i in range(n)]
    return dict(inputs=list(x), data_samples=samples)


def test_fused_score_is_sum_of_stream_softmax_and_metric_reports_each():
    model = build(linear_cfg()).eval()
    batch = model.data_preprocessor(data(5, nc=2), False)
    x = batch['inputs']
    out = model(x, batch['data_samples'], mode='predict')
    flat = x.flatten(0, 1)
    expected = {}
    for name in ('spatial', 'temporal'):
        logits = model.cls_heads[name](model.backbones[name](flat))
        expected[name] = F.softmax(logits, dim=1).view(5, 2, K).mean(1)
    for i, sample in enumerate(out):
        for name in ('spatial', 'temporal'):
            assert torch.allclose(sample.pred_score[name], expected[name][i], atol=1e-6)
        fused = expected['spatial'][i] + expected['temporal'][i]
        assert torch.allclose(sample.pred_score['fused'], fused, atol=1e-6)
        assert int(sample.pred_label) == int(fused.argmax())
    metric = AccMetric()
    metric.process(None, [s.to_dict() for s in out])
    res = metric.compute_metrics(metric.results)
    assert {'spatial_top1', 'temporal_top1', 'fused_top1', 'fused_mean1'} <= set(res)


def test_fusion_weights_scale_streams():
    cfg = linear_cfg()
    cfg['fusion_weights'] = dict(temporal=0.)
    model = build(cfg).eval()
    scores = model.stream_scores(torch.randn(3, 1, 1, T, V, C))
    assert torch.allclose(scores['fused'], scores['spatial'])
    with pytest.raises(ValueError, match='unknown streams'):
        MODELS.build(dict(linear_cfg(), fusion_weights=dict(bone=1.)))


def test_frozen_encoders_get_no_gradient_and_keep_bn_stats_in_linear_training():
    model = build(linear_cfg())
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9))
    backbone_state = {k: v.clone() for k, v in model.backbones.state_dict().items()}
    heads = {k: v.clone() for k, v in model.cls_heads.state_dict().items()}
    model.train()
    for step in range(3):
        log = model.train_step(data(6, seed=step), optim)
    assert {'spatial_loss_cls', 'temporal_loss_cls'} <= set(log)
    for name, p in model.backbones.named_parameters():
        assert p.grad is None and not p.requires_grad, name
    for k, v in model.backbones.state_dict().items():  # weights and BN running statistics
        assert torch.equal(v, backbone_state[k]), k
    assert any(not torch.equal(v, heads[k]) for k, v in model.cls_heads.state_dict().items())


def test_checkpoint_round_trip_from_pretraining(tmp_path):
    pre = build(moco_cfg())
    with torch.no_grad():  # make the query and key encoders differ, so we know which one loads
        for p in pre.parameters():
            p.add_(torch.randn_like(p))
    path = str(tmp_path / 'epoch_1.pth')
    save_checkpoint(dict(state_dict=pre.state_dict(), meta=dict(epoch=1)), path)
    lin = build(linear_cfg(pretrained=path))
    for name in ('spatial', 'temporal'):
        query = pre.streams[name].backbone.state_dict()
        loaded = lin.backbones[name].state_dict()
        assert query.keys() == loaded.keys()
        for k in query:
            assert torch.equal(query[k], loaded[k]), (name, k)
    # the stock recognizer checkpoint layout also loads (backbone.*), stream by stream
    single = str(tmp_path / 'single.pth')
    seq_state = pre.streams['temporal'].backbone.state_dict()
    save_checkpoint(dict(state_dict={f'backbone.{k}': v for k, v in seq_state.items()}), single)
    lin2 = build(dict(linear_cfg(), pretrained=dict(temporal=single)))
    w = 'gru.weight_hh_l1'
    assert torch.equal(lin2.backbones['temporal'].state_dict()[w],
                       pre.streams['temporal'].backbone.state_dict()[w])


def test_mismatched_checkpoint_is_an_error_naming_keys(tmp_path):
    pre = build(moco_cfg())
    path = str(tmp_path / 'pre.pth')
    save_checkpoint(dict(state_dict=pre.state_dict()), path)
    three_layers = dict(GRU, num_layers=3)
    with pytest.raises(RuntimeError, match=r'missing \[.*weight_ih_l2'):
        build(linear_cfg(pretrained=path, gru=three_layers))
    wider = dict(GRU, hidden_size=6)
    with pytest.raises(RuntimeError, match='shape mismatch'):
        build(dict(linear_cfg(pretrained=path, gru=wider)))
    other = str(tmp_path / 'other.pth')
    save_checkpoint(dict(state_dict={'streams.bone.backbone.x': torch.zeros(1)}), other)
    with pytest.raises(KeyError, match='no backbone weights for stream "spatial"'):
        build(linear_cfg(pretrained=other))


def test_linear_probe_head_is_linear_at_test_time():
    head = MODELS.build(dict(type='MGLinearProbeHead', num_classes=K, in_channels=6))
    head.init_weights()
    head.train()
    for _ in range(5):  # move the standardisation statistics away from identity
        head(torch.randn(16, 6) * 50 + 7)
    head.eval()
    bn, fc = head.feat_norm, head.fc
    scale = 1 / torch.sqrt(bn.running_var + bn.eps)
    w = fc.weight * scale
    b = fc.bias - (fc.weight * scale) @ bn.running_mean
    x = torch.randn(4, 6) * 50 + 7
    assert torch.allclose(head(x), x @ w.t() + b, atol=1e-4)
    assert not any(p.requires_grad for p in bn.parameters())  # no learnable parameters
    gcn_feats = torch.randn(4, 1, 6, 3, 5)
    assert torch.allclose(head(gcn_feats), head(gcn_feats.mean(dim=(1, 3, 4))), atol=1e-5)
    plain = MODELS.build(dict(type='MGLinearProbeHead', num_classes=K, in_channels=6,
                              feat_norm=False))
    assert isinstance(plain.feat_norm, torch.nn.Identity)


def test_checkpoints_with_the_legacy_stream_names_load():
    """Pretraining checkpoints saved when the streams were called joint / sequence load into
    the spatial / temporal streams."""
    from mmimigue.models.recognizers.dual_stream_recognizer import _stream_state
    w = torch.ones(2)
    state = {'streams.joint.backbone.w': w, 'streams.sequence.backbone.w': 2 * w}
    assert _stream_state(state, 'spatial', 'old.pth') == ('streams.joint.backbone.', {'w': w})
    prefix, sub = _stream_state(state, 'temporal', 'old.pth')
    assert prefix == 'streams.sequence.backbone.' and torch.equal(sub['w'], 2 * w)
    with pytest.raises(KeyError, match='no backbone weights for stream "other"'):
        _stream_state(state, 'other', 'old.pth')
