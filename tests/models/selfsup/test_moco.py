"""MGSkeletonMoCo / MGDualStreamMoCo: InfoNCE, momentum update, queue (1 and 2 gloo processes)."""
import datetime
import math
import os
import socket

import pytest
import torch
import torch.multiprocessing as mp
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmaction.utils import register_all_modules
from mmengine.optim import OptimWrapper

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.models.selfsup import info_nce_loss

torch.set_num_threads(1)
register_all_modules()  # AAGCN's init_cfg uses mmaction.engine's ConvBranch initializer

V, C, T = 5, 2, 6


def gru_moco(queue_len=8, **kw):
    cfg = dict(
        type='MGSkeletonMoCo',
        backbone=dict(type='MGBiGRU', in_channels=C, num_joints=V, hidden_size=8, num_layers=1),
        neck=dict(type='MGProjectionMLP', in_channels=16, out_channels=4),
        queue_len=queue_len, feat_dim=4)
    cfg.update(kw)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def two_views(n, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, 2, 1, T, V, C, generator=g)


def test_info_nce_equals_hand_computation():
    q = F.normalize(torch.tensor([[1., 0.], [0.6, 0.8]]), dim=1)
    k = F.normalize(torch.tensor([[0.8, 0.6], [0., 1.]]), dim=1)
    neg = F.normalize(torch.tensor([[-1., 0.], [0., -1.], [1., 1.]]), dim=1)
    t = 0.5
    loss, l_pos, l_neg = info_nce_loss(q, k, neg, t)
    hand = []
    for i in range(2):
        pos = math.exp(float(q[i] @ k[i]) / t)
        negs = sum(math.exp(float(q[i] @ n) / t) for n in neg)
        hand.append(-math.log(pos / (pos + negs)))
    assert loss.item() == pytest.approx(sum(hand) / 2, rel=1e-6)
    assert l_pos.tolist() == pytest.approx([0.8, 0.8], rel=1e-6)
    assert l_neg.shape == (2, 3)


def test_key_encoder_starts_as_copy_and_momentum_update_formula():
    m = gru_moco(key_momentum=0.9)
    for pk, pq in zip(m._key_params(), m._query_params()):
        assert torch.equal(pk, pq) and not pk.requires_grad and pq.requires_grad
    with torch.no_grad():
        for i, (pk, pq) in enumerate(zip(m._key_params(), m._query_params())):
            pk.fill_(1. + i)
            pq.fill_(-2. * i)
    m.momentum_update()
    for i, pk in enumerate(m._key_params()):
        expected = 0.9 * (1. + i) + 0.1 * (-2. * i)
        assert torch.allclose(pk, torch.full_like(pk, expected), atol=1e-6)


def test_the_ema_key_encoder_reproduces_the_hand_written_update():
    """Three SGD + MoCo steps of a seeded tiny model against the losses, key encoder and queue
    that the hand-written update (``key = m * key + (1 - m) * query`` with torch._foreach) gave
    before the key encoder became mmengine's ExponentialMovingAverage (saved in
    moco_reference_steps.npz): equal to float32 rounding (lerp vs multiply-add)."""
    import numpy as np
    ref = np.load(os.path.join(os.path.dirname(__file__), 'moco_reference_steps.npz'))
    torch.manual_seed(0)
    model = MODELS.build(dict(
        type='MGSkeletonMoCo',
        backbone=dict(type='MGBiGRU', in_channels=2, num_joints=5, hidden_size=8, num_layers=1),
        neck=dict(type='MGProjectionMLP', in_channels=16, out_channels=4),
        queue_len=8, feat_dim=4, key_momentum=0.99))
    model.init_weights()
    opt = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9))
    g = torch.Generator().manual_seed(1)
    losses = []
    for _ in range(3):
        out = model.loss(torch.randn(4, 2, 1, 6, 5, 2, generator=g))
        opt.update_params(out['loss_nce'])
        losses.append(float(out['loss_nce']))
    key = torch.cat([p.detach().flatten() for p in model._key_params()]).numpy()
    np.testing.assert_allclose(losses, ref['losses'], rtol=1e-6)
    np.testing.assert_allclose(key, ref['key'], atol=1e-6, rtol=0)
    np.testing.assert_allclose(model.queue.numpy(), ref['queue'], atol=1e-6, rtol=0)
    assert int(model.key_encoder.steps) == 4  # 1 (the initial copy) + 3 updates


def test_checkpoints_of_the_hand_written_key_encoder_still_load():
    m = gru_moco()
    state = {k.replace('key_encoder.module.backbone.', 'key_backbone.')
             .replace('key_encoder.module.neck.', 'key_neck.'): v
             for k, v in m.state_dict().items() if k != 'key_encoder.steps'}
    assert any(k.startswith('key_backbone.') for k in state)
    m2 = gru_moco()
    m2.load_state_dict(state, strict=True)
    for a, b in zip(m2._key_params(), m._key_params()):
        assert torch.equal(a, b)


def test_queue_pointer_and_contents_single_process():
    m = gru_moco(queue_len=8)
    init = m.queue.clone()
    k1, k2, k3 = (F.normalize(torch.randn(4, 4), dim=1) for _ in range(3))
    m.enqueue(k1)
    assert int(m.queue_ptr) == 4 and int(m.queue_count) == 4
    assert torch.equal(m.queue[:4], k1) and torch.equal(m.queue[4:], init[4:])
    m.enqueue(k2)
    assert int(m.queue_ptr) == 0 and torch.equal(m.queue[4:], k2)
    m.enqueue(k3)  # FIFO: the oldest batch (k1) is replaced
    assert int(m.queue_ptr) == 4 and torch.equal(m.queue[:4], k3) and torch.equal(m.queue[4:], k2)
    with pytest.raises(ValueError, match='not a multiple of the global batch size 3'):
        m.enqueue(torch.randn(3, 4))
    m2 = gru_moco(queue_len=8)
    m2.enqueue(torch.randn(2, 4))
    with pytest.raises(ValueError, match='drop_last=True'):
        m2.enqueue(torch.randn(4, 4))


def test_loss_step_uses_old_queue_then_enqueues_keys_and_logs():
    m = gru_moco(queue_len=8)
    x = two_views(4)
    old = m.queue.clone()
    out = m.loss(x)
    assert set(out) == {'loss_nce', 'pos_sim', 'neg_sim', 'contrast_acc', 'queue_fill'}
    assert out['queue_fill'].item() == 0.  # the random init is not counted as filled
    q = m.encode_query(x[:, 0])
    k = m.encode_key(x[:, 1])
    assert torch.allclose(m.queue[:4], k, atol=1e-5)
    expected, _, _ = info_nce_loss(q, k, old, m.temperature)
    assert out['loss_nce'].item() == pytest.approx(expected.item(), rel=1e-4)
    assert m.loss(x)['queue_fill'].item() == 0.5


def test_only_query_encoder_gets_gradients():
    m = gru_moco()
    m.loss(two_views(4))['loss_nce'].backward()
    assert all(p.grad is not None for p in m._query_params())
    assert all(p.grad is None for p in m._key_params())


def test_needs_two_views_and_has_no_predict():
    m = gru_moco()
    with pytest.raises(ValueError, match='MGMultiView'):
        m.loss(torch.randn(4, 1, T, V, C))
    with pytest.raises(RuntimeError, match='MGKNNEvalHook'):
        m(torch.randn(4, 1, 1, T, V, C), mode='predict')
    assert m(torch.randn(4, 3, 1, T, V, C), mode='tensor').shape == (4, 16)


def _data(x, labels=None):
    samples = [ActionDataSample().set_gt_label(int(i) if labels is None else int(labels[i]))
               for i in range(x.shape[0])]
    return dict(inputs=list(x), data_samples=samples)


def test_training_learns_to_match_views():
    """Training on noisy view pairs lowers InfoNCE and makes views of a clip retrieve each other."""
    torch.manual_seed(0)
    m = MODELS.build(dict(
        type='MGSkeletonMoCo',
        backbone=dict(type='MGBiGRU', in_channels=C, num_joints=V, hidden_size=16, num_layers=1),
        neck=dict(type='MGProjectionMLP', in_channels=32, out_channels=16),
        queue_len=32, feat_dim=16, key_momentum=0.9, temperature=0.2))
    m.init_weights()
    optim = OptimWrapper(torch.optim.Adam(m.parameters(), lr=1e-2))
    clips = torch.randn(64, 1, T, V, C)

    def views(base):
        return torch.stack([base + 0.5 * torch.randn_like(base),
                            base + 0.5 * torch.randn_like(base)], dim=1)

    def retrieval():  # held-out noise draws: is view B of clip i the nearest to view A of clip i?
        m.eval()
        with torch.no_grad():
            v = views(clips)
            q, k = m.encode_query(v[:, 0]), m.encode_query(v[:, 1])
        m.train()
        return ((q @ k.t()).argmax(1) == torch.arange(64)).float().mean().item()

    before = retrieval()
    logs = [m.train_step(_data(views(clips[16 * (i % 4) + torch.arange(16)])), optim)
            for i in range(80)]
    after = retrieval()
    mean = lambda part, k: sum(float(x[k]) for x in part) / len(part)  # noqa: E731
    # the queue holds only real keys from step 2 on (2 x 16 = 32): compare like with like
    assert mean(logs[-8:], 'loss_nce') < mean(logs[2:10], 'loss_nce') - 0.3
    assert after > before + 0.1, (before, after)


def _tiny_dual_stream(loss_weights):
    """A MGDualStreamMoCo small enough for a CPU test: 8-channel AAGCN + 4-unit MGBiGRU."""
    gcn = dict(type='AAGCN', graph_cfg=dict(layout='imigue22', mode='spatial'), in_channels=C,
               base_channels=8, num_stages=2, inflate_stages=[], down_stages=[], num_person=1)
    neck = dict(type='MGProjectionMLP', in_channels=8, out_channels=4)
    return MODELS.build(dict(
        type='MGDualStreamMoCo',
        streams=dict(
            spatial=dict(backbone=gcn, neck=neck, queue_len=8, feat_dim=4),
            temporal=dict(backbone=dict(type='MGBiGRU', in_channels=C, num_joints=22, hidden_size=4,
                                        num_layers=1), neck=neck, queue_len=8, feat_dim=4)),
        loss_weights=loss_weights))


def test_dual_stream_logs_and_features():
    model = _tiny_dual_stream(dict(temporal=0.5))
    model.init_weights()
    x = torch.randn(4, 2, 1, T, 22, C)
    torch.manual_seed(1)
    losses = model(x, mode='loss')
    assert {'spatial_loss_nce', 'temporal_loss_nce', 'spatial_queue_fill',
            'temporal_pos_sim'} <= set(losses)
    loss, log = model.parse_losses(losses)
    assert loss.item() == pytest.approx(
        losses['spatial_loss_nce'].item() + losses['temporal_loss_nce'].item(), rel=1e-6)
    assert [int(s.queue_ptr) for s in model.streams.values()] == [4, 4]
    feats = model(x[:, :1], mode='tensor')
    assert feats['spatial'].shape == (4, 8) and feats['temporal'].shape == (4, 8)


# --------------------------------------------------------------------------- 2 gloo processes
def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _worker(rank, world, port, out_dir):
    import torch.distributed as dist
    from mmengine.model import MMDistributedDataParallel
    torch.set_num_threads(1)
    # loopback only, and a short timeout: a broken rendezvous fails the test instead of hanging
    os.environ['GLOO_SOCKET_IFNAME'] = 'lo'
    dist.init_process_group('gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
                            world_size=world, timeout=datetime.timedelta(seconds=120))
    try:
        torch.manual_seed(0)  # identical initial queue and weights on both ranks
        m = gru_moco(queue_len=8)
        keys = torch.full((2, 4), float(rank + 1))
        m.enqueue(keys)  # global batch 4 = 2 per process x 2
        res = dict(queue=m.queue.clone(), ptr=int(m.queue_ptr), count=int(m.queue_count))
        try:
            gru_moco(queue_len=6).enqueue(torch.randn(2, 4))  # 6 % (2 x 2) != 0
            res['error'] = ''
        except ValueError as e:
            res['error'] = str(e)
        # a full DDP training step: queues and key encoders stay identical across ranks
        torch.manual_seed(0)
        model = gru_moco(queue_len=8)
        ddp = MMDistributedDataParallel(module=model, device_ids=None)
        optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
        for step in range(2):
            x = two_views(2, seed=10 * step + rank)  # different data per rank
            ddp.train_step(_data(x), optim)
        res['ddp_queue'] = model.queue.clone()
        res['ddp_ptr'] = int(model.queue_ptr)
        res['ddp_key'] = torch.cat([p.flatten() for p in model._key_params()])
        res['ddp_query'] = torch.cat([p.flatten() for p in model._query_params()])
        res['last_keys'] = model.encode_key(two_views(2, seed=10 + rank)[:, 1])
        torch.save(res, os.path.join(out_dir, f'rank{rank}.pt'))
        dist.barrier()  # both ranks have written their results
        # leave without torch's teardown: freeing the DDP reducer's gloo group joins a gloo
        # thread that waits for the GIL this thread holds (a deadlock seen in a CI-like run)
        os._exit(0)
    finally:
        dist.destroy_process_group()


def test_queue_gathers_keys_from_two_gloo_processes(tmp_path):
    # spawn, not fork: forking a test process that has run threads (torch pools, servers) can
    # deadlock the children
    mp.start_processes(_worker, args=(2, _free_port(), str(tmp_path)), nprocs=2, join=True,
                       start_method='spawn')
    r0, r1 = (torch.load(tmp_path / f'rank{r}.pt', weights_only=False) for r in range(2))
    for r in (r0, r1):
        assert r['ptr'] == 4 and r['count'] == 4
        assert torch.equal(r['queue'][:2], torch.full((2, 4), 1.))  # rank 0's keys first
        assert torch.equal(r['queue'][2:4], torch.full((2, 4), 2.))  # then rank 1's
        assert 'global batch size 4 (2 per process x 2 process(es))' in r['error']
    assert torch.equal(r0['queue'], r1['queue'])
    assert r0['ddp_ptr'] == r1['ddp_ptr'] == 0  # two steps x global batch 4 on a queue of 8
    assert torch.equal(r0['ddp_queue'], r1['ddp_queue'])
    assert torch.allclose(r0['ddp_key'], r1['ddp_key'])
    assert torch.allclose(r0['ddp_query'], r1['ddp_query'])
    # the second step's keys of both ranks sit in the queue's second half, rank order
    assert torch.allclose(r0['ddp_queue'][4:6], r0['last_keys'], atol=1e-5)
    assert torch.allclose(r0['ddp_queue'][6:8], r1['last_keys'], atol=1e-5)


def test_dual_stream_loss_weights_scale_each_streams_loss():
    import copy
    model = _tiny_dual_stream(dict(spatial=2.0, temporal=0.25))
    model.init_weights()
    twin = copy.deepcopy(model)
    x = torch.randn(4, 2, 1, T, 22, C)
    losses = model(x, mode='loss')
    for name, w in (('spatial', 2.0), ('temporal', 0.25)):
        raw = twin.streams[name].loss(x)['loss_nce']
        assert losses[f'{name}_loss_nce'].item() == pytest.approx(w * raw.item(), rel=1e-5)
