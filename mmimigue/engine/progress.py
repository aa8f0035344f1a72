"""A line at least every ``interval_s`` seconds on long steps, so no run sits silent.

mmengine's ``LoggerHook`` logs every N iterations; with slow iterations (a paper-size model on a
CPU) or long evaluation passes that can mean minutes without output. :class:`Heartbeat` prints a
progress line (done / total, elapsed, ETA) when ``interval_s`` has passed since its last line;
:class:`MGProgressHook` uses it inside the train / val / test loops (on by default through
``configs/_base_/default_runtime.py``), ``extract_features`` (KNN) and the extraction tool too.
"""
import time
from typing import Optional

from mmaction.registry import HOOKS
from mmengine.hooks import Hook
from mmengine.logging import print_log


class Heartbeat:
    """Progress lines at most every ``interval_s`` seconds (the first after ``interval_s``).

    Args:
        desc (str): What is running (``'KNN features'``, ``'Epoch(train) [3]'``...).
        total (int, optional): Number of steps, for the ETA.
        interval_s (float): Seconds between lines; <= 0 turns the lines off.
    """

    def __init__(self, desc: str, total: Optional[int] = None, interval_s: float = 20.) -> None:
        self.desc, self.total, self.interval_s = desc, total, interval_s
        self.start = self.last = time.time()

    def step(self, done: int) -> Optional[str]:
        """Call after step ``done`` (1-based); returns (and logs) the line when one is due."""
        now = time.time()
        if self.interval_s <= 0 or now - self.last < self.interval_s:
            return None
        self.last = now
        elapsed = now - self.start
        line = f'{self.desc}: {done}' + (f'/{self.total}' if self.total else '') + \
            f' done, {_clock(elapsed)} elapsed'
        if self.total and done:
            line += f', eta {_clock(elapsed / done * (self.total - done))}'
        print_log(line, logger='current')
        return line


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    return f'{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}'


@HOOKS.register_module()
class MGProgressHook(Hook):
    """Log a heartbeat line in long train / val / test loops (see module docstring).

    Args:
        interval_s (float): Seconds without a line after which one is printed.
    """

    priority = 'VERY_LOW'

    def __init__(self, interval_s: float = 20.) -> None:
        self.interval_s = interval_s
        self._beat: Optional[Heartbeat] = None

    def _begin(self, desc: str, total: Optional[int]) -> None:
        self._beat = Heartbeat(desc, total, self.interval_s)

    def _step(self, batch_idx: int) -> None:
        if self._beat is not None:
            self._beat.step(batch_idx + 1)

    def before_train_epoch(self, runner) -> None:
        self._begin(f'Epoch(train) [{runner.epoch + 1}] iterations',
                    loader_length(runner.train_dataloader))

    def after_train_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._step(batch_idx)

    def before_val_epoch(self, runner) -> None:
        self._begin('Epoch(val) batches', loader_length(runner.val_dataloader))

    def after_val_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._step(batch_idx)

    def before_test_epoch(self, runner) -> None:
        self._begin('Epoch(test) batches', loader_length(runner.test_dataloader))

    def after_test_iter(self, runner, batch_idx: int, data_batch=None, outputs=None) -> None:
        self._step(batch_idx)


def loader_length(loader) -> Optional[int]:
    """``len(loader)``, or None for a loader without a length (an iterable dataset)."""
    try:
        return len(loader)
    except TypeError:
        return None
