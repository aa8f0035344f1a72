"""MGFreezableAAGCN / MGFreezableSTGCN: state-dict parity with mmaction2, frozen stages, norm_eval."""
import torch
from mmaction.registry import MODELS
from mmaction.utils import register_all_modules

import mmimigue.registration  # noqa: F401  (compat shims + registration)

torch.set_num_threads(1)
register_all_modules()  # AAGCN's init_cfg uses mmaction.engine's ConvBranch initializer
GRAPH = dict(layout='imigue22', mode='spatial')


def _cfg(t, **kw):
    cfg = dict(type=t, graph_cfg=GRAPH, in_channels=2, base_channels=8, num_stages=3,
               inflate_stages=[3], down_stages=[3], num_person=1)
    cfg.update(kw)
    return cfg


def test_state_dict_keys_equal_stock_backbones():
    for stock, ours in (('AAGCN', 'MGFreezableAAGCN'), ('STGCN', 'MGFreezableSTGCN')):
        a = MODELS.build(_cfg(stock))
        b = MODELS.build(_cfg(ours, frozen_stages=1))
        assert a.state_dict().keys() == b.state_dict().keys()
        b.load_state_dict(a.state_dict())


def test_frozen_stages_freeze_data_bn_and_first_blocks():
    m = MODELS.build(_cfg('MGFreezableAAGCN', frozen_stages=1)).train()
    for n, p in m.named_parameters():
        assert p.requires_grad == (not (n.startswith('data_bn') or n.startswith('gcn.0.'))), n
    assert not m.data_bn.training and not m.gcn[0].training and m.gcn[1].training


def test_fully_frozen_gets_no_gradient_and_bn_stats_stay():
    for t in ('MGFreezableAAGCN', 'MGFreezableSTGCN'):
        m = MODELS.build(_cfg(t, frozen_stages=100, norm_eval=True))
        m.init_weights()
        m.train()
        stats = {k: v.clone() for k, v in m.state_dict().items() if 'running' in k}
        x = torch.randn(4, 1, 16, 22, 2) * 2 + 1
        out = m(x)
        assert not out.requires_grad  # nothing to differentiate: no graph is built
        for k, v in m.state_dict().items():
            if 'running' in k:
                assert torch.equal(v, stats[k]), k


def test_norm_eval_keeps_bn_in_eval_but_trains_weights():
    m = MODELS.build(_cfg('MGFreezableSTGCN', norm_eval=True)).train()
    bns = [x for x in m.modules() if isinstance(x, torch.nn.modules.batchnorm._BatchNorm)]
    assert bns and all(not b.training for b in bns)
    assert all(p.requires_grad for p in m.parameters())
