"""No long step is silent: a heartbeat line at least every interval, with done/total and ETA."""
import mmimigue.registration  # noqa: F401  (compat shims + registration)
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


def test_the_hook_prints_a_line_inside_a_slow_epoch(monkeypatch):
    """Iterations slower than the interval: a line with the epoch, done / total and ETA."""
    from types import SimpleNamespace
    now = [0.0]
    monkeypatch.setattr(progress.time, 'time', lambda: now[0])
    lines = []
    monkeypatch.setattr(progress, 'print_log', lambda msg, logger=None: lines.append(msg))
    hook = MGProgressHook(interval_s=20)
    runner = SimpleNamespace(epoch=2, train_dataloader=list(range(10)))
    hook.before_train_epoch(runner)
    for i in range(10):
        now[0] += 9.0  # 9 s per iteration
        hook.after_train_iter(runner, i)
    assert lines == ['Epoch(train) [3] iterations: 3/10 done, 0:00:27 elapsed, eta 0:01:03',
                     'Epoch(train) [3] iterations: 6/10 done, 0:00:54 elapsed, eta 0:00:36',
                     'Epoch(train) [3] iterations: 9/10 done, 0:01:21 elapsed, eta 0:00:09']
