"""Distributed launch on machines with or without CUDA.

mmengine's ``pytorch`` launcher calls ``torch.cuda.set_device`` and wraps the model in DDP with
``device_ids=[LOCAL_RANK]``, which fails on a CPU-only machine. :func:`setup_distributed` lets
``torchrun`` jobs run anywhere: with CUDA nothing changes (NCCL); without it, a ``gloo`` process
group is initialised before the Runner (which then skips its own ``init_dist``) and DDP is built
without device ids, one process per slot.
"""
import os

import torch
import torch.distributed as torch_dist
from mmengine.config import Config


def setup_distributed(cfg: Config) -> Config:
    """Prepare ``cfg`` (and the process group on CPU) for ``cfg.launcher``; returns ``cfg``."""
    if cfg.get('launcher', 'none') != 'pytorch' or torch.cuda.is_available():
        return cfg
    missing = [k for k in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT') if k not in os.environ]
    if missing:
        raise RuntimeError(f'--launcher pytorch needs the torchrun environment ({missing} unset); '
                           'start the job with tools/dist_train.sh or torchrun')
    if (os.environ['MASTER_ADDR'] in ('127.0.0.1', 'localhost') and 'GLOO_SOCKET_IFNAME' not in os.environ
            and os.path.exists('/sys/class/net/lo')):
        # gloo otherwise binds to the address the hostname resolves to, which on sandboxed or
        # container hosts may not be reachable: single-node jobs then hang in the rendezvous
        os.environ['GLOO_SOCKET_IFNAME'] = 'lo'
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(backend='gloo', rank=int(os.environ['RANK']),
                                      world_size=int(os.environ['WORLD_SIZE']))
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    wrapper = cfg.get('model_wrapper_cfg') or dict(type='MMDistributedDataParallel')
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    return cfg


def close_distributed() -> None:
    """Destroy the process group at the end of a run (a no-op outside distributed runs).

    Without it each rank exits with gloo's background threads still running; under load a rank
    can then abort at exit (``terminate called without an active exception``, SIGABRT) after a
    complete run, and torchrun reports the whole job as failed.
    """
    if torch_dist.is_available() and torch_dist.is_initialized():
        torch_dist.barrier()  # no rank tears down while another still talks to it
        torch_dist.destroy_process_group()
