"""torch's CPU threads sized to the machine for single-process tools.

torch starts one intra-op thread per physical core whatever else runs; beside data-loader
workers on a small machine that oversubscribes the cores (measured on 2 cores: two quickstart
epochs 231 s with torch's default against 26 s with one thread). Unless the user chose
(``OMP_NUM_THREADS`` or ``MMIMIGUE_THREADS``), tools use ``max(1, (cpus - loader workers) // 2)``
threads: the physical cores on an idle hyper-threaded machine, one on a 2-CPU one.
Distributed launchers (torchrun) set ``OMP_NUM_THREADS=1`` themselves.
"""
import os

THREADS_ENV = 'MMIMIGUE_THREADS'


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fit_threads(loader_workers: int = 0, who: str = 'mmimigue') -> int:
    """Set torch's intra-op threads (see the module docstring); returns the number and prints
    one line saying why."""
    import torch
    chosen = os.environ.get(THREADS_ENV) or os.environ.get('OMP_NUM_THREADS')
    if chosen:
        try:
            n = max(1, int(chosen))
        except ValueError:
            raise ValueError(f'{THREADS_ENV} / OMP_NUM_THREADS must be a number of threads, '
                             f'got {chosen!r}') from None
        reason = 'as set by ' + (THREADS_ENV if os.environ.get(THREADS_ENV) else
                                 'OMP_NUM_THREADS')
    else:
        cpus = available_cpus()
        n = max(1, (cpus - max(0, int(loader_workers))) // 2)
        reason = (f'{cpus} CPUs, {loader_workers} loader workers; set {THREADS_ENV} or '
                  'OMP_NUM_THREADS to choose')
    torch.set_num_threads(n)
    print(f'[{who}] torch uses {n} CPU thread(s) ({reason})', flush=True)
    return n
