"""fit_threads: torch's threads sized to the CPUs other processes leave free, unless chosen."""
import pytest
import torch

from mmimigue.engine import threads


@pytest.fixture(autouse=True)
def _restore_threads(monkeypatch):
    before = torch.get_num_threads()
    monkeypatch.delenv('OMP_NUM_THREADS', raising=False)
    monkeypatch.delenv(threads.THREADS_ENV, raising=False)
    torch.set_num_threads(4)  # stands for torch's default (the physical cores)
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize('cpus,load,want', [(2, 0.2, 2), (2, 1.1, 1), (2, 3.0, 1), (8, 0.0, 4),
                                            (8, 5.6, 2), (1, 0.0, 1)])
def test_threads_fit_the_free_cpus(monkeypatch, capsys, cpus, load, want):
    monkeypatch.setattr(threads, 'available_cpus', lambda: cpus)
    monkeypatch.setattr(threads, 'busy_cpus', lambda: load)
    assert threads.fit_threads('train') == want == torch.get_num_threads()
    assert f'[train] torch uses {want} CPU thread(s) ({cpus} CPUs, {load:.1f} busy' in \
        capsys.readouterr().out


def test_the_users_choice_wins(monkeypatch, capsys):
    monkeypatch.setenv('OMP_NUM_THREADS', '3')
    assert threads.fit_threads() == 3
    monkeypatch.setenv(threads.THREADS_ENV, '2')
    assert threads.fit_threads() == 2 and 'as set by MMIMIGUE_THREADS' in capsys.readouterr().out
    monkeypatch.setenv(threads.THREADS_ENV, 'many')
    with pytest.raises(ValueError, match='must be a number of threads'):
        threads.fit_threads()


def test_busy_cpus_sees_a_spinning_process():
    import multiprocessing as mp
    import os
    if not os.path.exists('/proc/stat'):
        pytest.skip('no /proc/stat')
    ctx = mp.get_context('fork')
    spinner = ctx.Process(target=_spin, daemon=True)
    spinner.start()
    try:
        busy = threads.busy_cpus(0.5)
    finally:
        spinner.terminate()
    assert 0.5 <= busy <= threads.available_cpus() + 1e-6  # at least the spinner's one CPU


def _spin():
    while True:
        pass
