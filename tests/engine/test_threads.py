"""fit_threads: torch's threads sized to the CPUs left by the loader workers, unless chosen."""
import pytest
import torch

from mmimigue.engine import threads


@pytest.fixture(autouse=True)
def _restore_threads(monkeypatch):
    before = torch.get_num_threads()
    monkeypatch.delenv('OMP_NUM_THREADS', raising=False)
    monkeypatch.delenv(threads.THREADS_ENV, raising=False)
    yield
    torch.set_num_threads(before)


@pytest.mark.parametrize('cpus,workers,want', [(2, 2, 1), (2, 0, 1), (16, 8, 4), (8, 0, 4),
                                               (1, 4, 1)])
def test_threads_fit_the_cpus_left_by_the_workers(monkeypatch, capsys, cpus, workers, want):
    monkeypatch.setattr(threads, 'available_cpus', lambda: cpus)
    assert threads.fit_threads(workers, 'train') == want == torch.get_num_threads()
    assert f'[train] torch uses {want} CPU thread(s) ({cpus} CPUs, {workers} loader' in \
        capsys.readouterr().out


def test_the_users_choice_wins(monkeypatch, capsys):
    monkeypatch.setenv('OMP_NUM_THREADS', '3')
    assert threads.fit_threads(8) == 3
    monkeypatch.setenv(threads.THREADS_ENV, '2')
    assert threads.fit_threads(8) == 2 and 'as set by MMIMIGUE_THREADS' in capsys.readouterr().out
    monkeypatch.setenv(threads.THREADS_ENV, 'many')
    with pytest.raises(ValueError, match='must be a number of threads'):
        threads.fit_threads(0)
