"""No long step is silent: a heartbeat line at least every interval, with done/total and ETA."""
import mmimigue  # noqa: F401
from mmimigue.engine import progress
from mmimigue.engine.progress import Heartbeat, MGProgressHook


def test_heartbeat_prints_only_when_the_interval_has_passed(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(progress.time, 'time', lambda: now[0])
    beat = Heartbeat('KNN features: batches', total=10, interval_s=20)
    now[0] = 110.0
    assert beat.step(1) is None  # 10 s: not yet
    now[0] = 125.0
    assert beat.step(5) == 'KNN features: batches: 5/10 done, 0:00:25 elapsed, eta 0:00:25'
    now[0] = 140.0
    assert beat.step(6) is None  # 15 s after the last line
    now[0] = 146.0
    assert beat.step(8).startswith('KNN features: batches: 8/10 done, 0:00:46 elapsed, eta 0:00:12')
    assert Heartbeat('x', interval_s=0).step(1) is None  # off


def test_the_hook_is_on_in_every_config_through_the_base_runtime():
    from mmengine.config import Config
    cfg = Config.fromfile('configs/imigue/stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py')
    assert cfg.default_hooks.progress == dict(type='MGProgressHook', interval_s=20)
    from mmaction.registry import HOOKS
    assert isinstance(HOOKS.build(cfg.default_hooks.progress), MGProgressHook)
