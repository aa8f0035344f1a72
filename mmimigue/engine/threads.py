"""torch's CPU threads sized to the machine for single-process tools.

torch starts one intra-op thread per physical core whatever else runs. On a busy machine that
oversubscribes the cores. Measured on 2 cores, two quickstart epochs (start-up included): beside
one other CPU-bound process 39.5 s with torch's 2 threads against 23.1 s with the 1 thread this
rule picks; on the idle machine the rule keeps 2 threads (15.8 s against 16.0 s). So, unless the
user chose (``MMIMIGUE_THREADS`` or ``OMP_NUM_THREADS``), tools use the CPUs other processes
leave free right now: ``max(1, min(torch's default, CPUs - round(busy CPUs)))``, the busy CPUs
read from ``/proc/stat`` over a quarter of a second (elsewhere: the 1-minute load average).
Distributed launchers (torchrun) set ``OMP_NUM_THREADS=1`` themselves.
"""
import os
import time

THREADS_ENV = 'MMIMIGUE_THREADS'


def available_cpus() -> int:
    """CPUs this process may run on (its affinity mask, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def busy_cpus(interval: float = 0.25) -> float:
    """CPUs kept busy by other processes now: ``/proc/stat`` sampled over ``interval`` seconds
    (this process sleeps meanwhile); the 1-minute load average where there is no /proc."""
    def sample():
        with open('/proc/stat') as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return sum(values), values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    try:
        total0, idle0 = sample()
        time.sleep(interval)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        try:
            return os.getloadavg()[0]
        except (AttributeError, OSError):
            return 0.0
    busy_share = 1.0 - (idle1 - idle0) / max(total1 - total0, 1)
    return busy_share * available_cpus()


def fit_threads(who: str = 'mmimigue') -> int:
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
        cpus, busy = available_cpus(), busy_cpus()
        n = max(1, min(torch.get_num_threads(), cpus - int(round(busy))))
        reason = (f'{cpus} CPUs, {busy:.1f} busy with other work; set {THREADS_ENV} or '
                  'OMP_NUM_THREADS to choose')
    torch.set_num_threads(n)
    print(f'[{who}] torch uses {n} CPU thread(s) ({reason})', flush=True)
    return n
