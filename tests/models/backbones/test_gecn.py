"""GE-CN backbone and head: shapes for 22 / 25 joints, attention maps, equations, learning."""
import math

import pytest
import torch
import torch.nn.functional as F
from mmaction.models.utils import Graph
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.models.backbones.gecn import MGGECN, MultiScaleTemporalConv, SelfAttentionGraphConv
from mmimigue.models.heads.gecn_head import MGGECNHead

torch.set_num_threads(1)

TINY = dict(base_channels=8, num_stages=3, inflate_stages=(2, ), down_stages=(3, ))


@pytest.mark.parametrize('layout,num_joints', [('imigue22', 22), ('ntu25', 25)])
def test_backbone_shapes(layout, num_joints):
    model = MGGECN(graph_cfg=dict(layout=layout, mode='spatial'), **TINY)
    x = torch.randn(2, 1, 12, num_joints, 3)
    out = model(x)
    assert out.shape == (2, 1, 16, 6, num_joints)
    assert torch.isfinite(out).all()
    head = MGGECNHead(num_classes=32, in_channels=16).eval()
    assert head(out).shape == (2, 32)


def test_default_backbone_channels_and_time():
    model = MGGECN(graph_cfg=dict(layout='ntu25', mode='spatial'))
    out = model(torch.randn(1, 1, 64, 25, 3))
    assert out.shape == (1, 1, 256, 16, 25)
    assert model.out_channels == 256


@pytest.mark.parametrize('layout,num_joints', [('imigue22', 22), ('ntu25', 25)])
def test_attention_rows_sum_to_one(layout, num_joints):
    model = MGGECN(graph_cfg=dict(layout=layout, mode='spatial'), **TINY)
    sgc = model.blocks[0].gcn
    x = torch.randn(3, 8, 5, num_joints) * 4
    attn = sgc.attention(x)
    assert attn.shape == (3, 3, 5, num_joints, num_joints)
    assert (attn >= 0).all()
    torch.testing.assert_close(attn.sum(-1), torch.ones(3, 3, 5, num_joints))
    # maps depend on the frame: different frames give different maps
    assert not torch.allclose(attn[:, :, 0], attn[:, :, 1])


def test_shared_topology_initialised_from_graph():
    A = torch.tensor(Graph(layout='imigue22', mode='spatial').A, dtype=torch.float32)
    three = MGGECN(graph_cfg=dict(layout='imigue22', mode='spatial'), num_heads=3, **TINY)
    torch.testing.assert_close(three.blocks[0].gcn.topology.data, A)
    four = MGGECN(graph_cfg=dict(layout='imigue22', mode='spatial'), num_heads=4, **TINY)
    torch.testing.assert_close(four.blocks[0].gcn.topology.data, A.sum(0).expand(4, 22, 22))
    # the topology is learnable and separate per block
    assert three.blocks[0].gcn.topology.requires_grad
    assert three.blocks[0].gcn.topology is not three.blocks[1].gcn.topology


def test_sgc_matches_equation_5():
    torch.manual_seed(0)
    V, H, C_in, C_out, D = 5, 2, 4, 6, 3
    A = torch.rand(H, V, V)
    sgc = SelfAttentionGraphConv(C_in, C_out, A, qk_channels=D, residual=False).eval()
    x = torch.randn(2, C_in, 3, V)
    out = sgc(x)
    expected = torch.zeros(2, C_out, 3, V)
    Wq = sgc.query.weight.view(H, D, C_in)
    Wk = sgc.key.weight.view(H, D, C_in)
    Wv = sgc.value.weight.view(H, C_out, C_in)
    bq, bk, bv = (sgc.query.bias.view(H, D), sgc.key.bias.view(H, D),
                  sgc.value.bias.view(H, C_out))
    for n in range(2):
        for t in range(3):
            psi = x[n, :, t].T  # (V, C_in)
            acc = torch.zeros(V, C_out)
            for m in range(H):
                q = psi @ Wq[m].T + bq[m]
                k = psi @ Wk[m].T + bk[m]
                S = torch.softmax(k @ q.T / math.sqrt(D), dim=-1)
                acc += (sgc.topology[m] * S) @ (psi @ Wv[m].T + bv[m])
            expected[n, :, t] = acc.T
    bn = sgc.bn
    expected = (expected - bn.running_mean[:, None, None]) / torch.sqrt(
        bn.running_var[:, None, None] + bn.eps) * bn.weight[:, None, None] + bn.bias[:, None, None]
    torch.testing.assert_close(out, F.relu(expected), atol=1e-5, rtol=1e-4)


def test_mstc_three_kernel_sizes_receptive_field():
    tc = MultiScaleTemporalConv(4, 9, kernel_sizes=(3, 5, 7)).eval()
    assert [b[3].kernel_size[0] for b in tc.branches] == [3, 5, 7]
    assert sum(b[3].out_channels for b in tc.branches) == 9
    x = torch.randn(1, 4, 20, 2, requires_grad=True)
    tc(x)[0, :, 10].sum().backward()
    touched = x.grad.abs().sum(dim=(0, 1, 3)).nonzero().flatten().tolist()
    assert touched == list(range(7, 14))  # the widest branch (k=7) sees t-3 .. t+3
    with pytest.raises(ValueError, match='odd'):
        MultiScaleTemporalConv(4, 9, kernel_sizes=(3, 4, 7))
    assert MultiScaleTemporalConv(4, 9, stride=2)(torch.randn(1, 4, 20, 2)).shape == (1, 9, 10, 2)


def test_embedding_is_linear_plus_positional():
    model = MGGECN(graph_cfg=dict(layout='imigue22', mode='spatial'), data_bn_type='none', **TINY)
    assert model.pos_embed.shape == (22, 8)
    seen = {}
    model.blocks[0].register_forward_pre_hook(lambda m, args: seen.setdefault('x', args[0]))
    x = torch.randn(2, 1, 4, 22, 3)
    model(x)
    expected = (model.embed(x[:, 0]) + model.pos_embed).permute(0, 3, 1, 2)  # eq. 1
    torch.testing.assert_close(seen['x'], expected)


def test_bad_input_names_the_fix():
    model = MGGECN(graph_cfg=dict(layout='imigue22', mode='spatial'), **TINY)
    with pytest.raises(ValueError, match='graph_cfg.layout'):
        model(torch.randn(1, 1, 8, 25, 3))
    with pytest.raises(ValueError, match=r'\(N, M, T, V, C\)'):
        model(torch.randn(1, 8, 22, 3))


def _samples(labels):
    return [ActionDataSample().set_gt_label(torch.tensor([y])) for y in labels]


def test_head_reparameterisation_and_mmd_terms():
    torch.manual_seed(0)
    head = MGGECNHead(num_classes=4, in_channels=6, mmd_weight=0.5, zmean_weight=0.2, prior_gain=3.)
    # prior class means: orthogonal, norm = gain
    torch.testing.assert_close(head.prior_means @ head.prior_means.T, 9 * torch.eye(4),
                               atol=1e-4, rtol=1e-4)
    feats = torch.randn(3, 1, 6, 2, 5)
    head.eval()
    z1, mu, _ = head.latent(feats)
    torch.testing.assert_close(z1, mu)  # deterministic at test time
    torch.testing.assert_close(mu, head.fc_mu(feats.mean(dim=(1, 3, 4))))
    head.train()
    z2, mu2, logvar2 = head.latent(feats)
    assert not torch.allclose(z2, mu2)  # sampled while training

    z = torch.randn(3, 6)
    labels = torch.tensor([2, 0, 2])
    terms = head.mmd_losses(z, labels)
    class_means = torch.stack([z[1], (z[0] + z[2]) / 2])  # classes 0 and 2, sorted
    expected_mmd = ((class_means - head.prior_means[[0, 2]]) ** 2).mean()
    torch.testing.assert_close(terms['loss_mmd'], 0.5 * expected_mmd)
    torch.testing.assert_close(terms['loss_zmean'], 0.2 * z.mean(0).norm())

    losses = head.loss(feats, _samples([2, 0, 2]))
    assert set(losses) >= {'loss_cls', 'loss_mmd', 'loss_zmean', 'top1_acc'}


def _pose_batch(n, generator):
    """Class c raises joint c: a static-pose task a GCN must solve from joint identity."""
    inputs, labels = [], []
    for i in range(n):
        c = i % 3
        x = torch.randn(1, 1, 16, 25, 3, generator=generator) * 0.5
        x[0, 0, :, c, 1] += 2
        inputs.append(x)
        labels.append(c)
    return dict(inputs=inputs, data_samples=_samples(labels)), torch.tensor(labels)


def test_recognizer_learns_and_generalises():
    init_default_scope('mmaction')
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(0)
    model = MODELS.build(dict(
        type='RecognizerGCN',
        backbone=dict(type='MGGECN', graph_cfg=dict(layout='ntu25', mode='spatial'), **TINY),
        cls_head=dict(type='MGGECNHead', num_classes=3, in_channels=16)))
    from mmengine.optim import OptimWrapper
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-2))
    losses = [float(model.train_step(_pose_batch(12, gen)[0], optim)['loss_cls'])
              for _ in range(40)]
    assert sum(losses[-5:]) < 0.6 * sum(losses[:5])
    # precise BN: after so few steps the running statistics still lag the weights
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None
    with torch.no_grad():
        for _ in range(4):
            model.backbone(torch.cat(_pose_batch(12, gen)[0]['inputs']))
    model.eval()
    data, labels = _pose_batch(30, gen)  # held out
    preds = model.val_step(data)
    acc = (torch.cat([p.pred_label for p in preds]) == labels).float().mean()
    assert acc > 0.6  # chance 1/3


def _clip_loader(ann_file, split, test_mode, clip_len=32):
    from mmaction.registry import DATASETS
    pipeline = [dict(type='PreNormalize2D'),
                dict(type='MGGenSkeFeat', layout='imigue22', feats=['j']),
                dict(type='UniformSampleFrames', clip_len=clip_len, num_clips=1,
                     test_mode=test_mode),
                dict(type='PoseDecode'), dict(type='FormatGCNInput', num_person=1),
                dict(type='PackActionInputs')]
    return DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=ann_file,
                               pipeline=pipeline, split=split, test_mode=test_mode))


def test_learns_synthetic_imigue_on_held_out_subjects(synthetic_imigue_pkl):
    """A small GE-CN recognises MGs of unseen subjects well above chance (1/32)."""
    import numpy as np
    from mmengine.dataset import pseudo_collate
    from mmengine.optim import OptimWrapper
    init_default_scope('mmaction')
    torch.manual_seed(0)
    np.random.seed(0)
    train = _clip_loader(synthetic_imigue_pkl, 'xsub_train', False)
    test = _clip_loader(synthetic_imigue_pkl, 'xsub_test', True)
    model = MODELS.build(dict(
        type='RecognizerGCN',
        backbone=dict(type='MGGECN', graph_cfg=dict(layout='imigue22', mode='spatial'),
                      base_channels=16, num_stages=4, inflate_stages=(3, ), down_stages=(3, )),
        cls_head=dict(type='MGGECNHead', num_classes=32, in_channels=32)))
    optim = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True,
                            weight_decay=5e-4)
    wrapper = OptimWrapper(optim)
    # the config's recipe in miniature: warm-up epoch, constant lr, x0.1 for the last epochs
    for factor in (0.3, 1, 1, 1, 1, 0.1, 0.1, 0.1):
        for group in optim.param_groups:
            group['lr'] = 0.05 * factor
        order = torch.randperm(len(train)).tolist()
        for i in range(0, len(order), 16):
            model.train_step(pseudo_collate([train[j] for j in order[i:i + 16]]), wrapper)
    model.eval()
    items = [test[i] for i in range(len(test))]
    with torch.no_grad():
        preds = model.val_step(pseudo_collate(items))
    labels = np.array([int(p.gt_label) for p in preds])
    pred = np.array([int(p.pred_label) for p in preds])
    top1 = float(np.mean(pred == labels))
    mean_class = float(np.mean([np.mean(pred[labels == c] == c) for c in np.unique(labels)]))
    majority = np.bincount(labels).max() / len(labels)
    print(f'GE-CN held-out top-1 {top1:.3f}, mean class acc {mean_class:.3f} (chance '
          f'{1 / 32:.3f}; majority class: top-1 {majority:.3f}, mean class acc '
          f'{1 / len(np.unique(labels)):.3f})')
    # well above chance, and not by predicting the head classes only
    assert top1 > 3 / 32 and mean_class > 3 / 32


def test_smg_config_trains_on_25_3d_joints(tmp_path):
    """The SMG GE-CN config (ntu25, 3D Kinect joints) builds, trains and tests end to end."""
    import os.path as osp

    from mmengine.config import Config
    from mmengine.runner import Runner

    from mmimigue.datasets.converters.smg_kinect import convert_smg
    from mmimigue.datasets.synthetic.smg import make_synthetic_smg
    root = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
    make_synthetic_smg(str(tmp_path / 'rel'), subjects=[1, 2, 3, 36], clips_per_subject=6, seed=0)
    convert_smg(str(tmp_path / 'rel'), str(tmp_path / 'smg.pkl'))
    torch.manual_seed(0)
    cfg = Config.fromfile(osp.join(root, 'configs', 'smg',
                                   'gecn_1xb32-joint-u64-110e_smg-xsub-keypoint-3d.py'))
    assert cfg.model.backbone.type == 'MGGECN' and cfg.model.backbone.graph_cfg.layout == 'ntu25'
    assert cfg.model.cls_head.type == 'MGGECNHead' and cfg.model.cls_head.num_classes == 17
    cfg.work_dir = str(tmp_path / 'work')
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg[key]
        loader.num_workers, loader.persistent_workers, loader.batch_size = 0, False, 8
        ds = loader.dataset.dataset if loader.dataset.type == 'RepeatDataset' else loader.dataset
        ds.ann_file = str(tmp_path / 'smg.pkl')
        for step in ds.pipeline:
            if step.type == 'UniformSampleFrames':
                step.clip_len, step.num_clips = 16, 1
    cfg.train_dataloader.dataset.times = 1
    cfg.model.backbone.update(base_channels=8, num_stages=2, inflate_stages=[2],
                              down_stages=[2])
    cfg.model.cls_head.in_channels = 16
    cfg.train_cfg.update(max_epochs=1, val_begin=100)
    cfg.param_scheduler = [dict(type='ConstantLR', factor=1.0)]
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=-1, save_last=False)
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.test()
    assert len(runner.test_dataloader.dataset) == 6  # subject 36 is a test subject
    assert 0 <= metrics['acc/top1'] <= 1
