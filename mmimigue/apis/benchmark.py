"""Equal-budget benchmarking of configs (what ``tools/benchmark.py`` runs): config edits that
give every model the same data and epochs, one train + evaluate run, and the markdown table.
"""
import argparse
import copy
import datetime
import os
import os.path as osp
import platform
import resource
import time
from typing import Dict, List

# The rows of docs/benchmarks.md: each default recipe beside its paper setting. They share
# `model.backbone.base_channels` / `model.cls_head.in_channels`, so one --cfg-options narrows
# them all; U-S-VAE (KNN evaluation, other keys) runs on its own:
#   python tools/benchmark.py configs/imigue/usvae_blstm_1xb32-seq-100e_imigue-xsub-keypoint-2d.py \
#       --epochs N \
#       --work-dir work_dirs/bench_usvae
DEFAULT_CONFIGS = [
    'configs/imigue/stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
    'configs/imigue/paper/stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
    'configs/imigue/stgcn_1xb16-bone-u64-80e_imigue-xsub-keypoint-2d.py',
    'configs/imigue/stgcnpp_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
    'configs/imigue/2s-agcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
    'configs/imigue/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py',
    'configs/imigue/paper/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py',
]

# Published numbers, kept apart from the measured rows: (method, dataset, top-1, top-5, source).
PUBLISHED = [
    ('ST-GCN', 'iMiGUE', 46.97, 84.09, 'iMiGUE (Liu et al., CVPR 2021), Table 2'),
    ('2S-GCN (2s-AGCN)', 'iMiGUE', 47.78, 88.43, 'iMiGUE (Liu et al., CVPR 2021), Table 2'),
    ('Shift-GCN', 'iMiGUE', 51.51, 88.18, 'iMiGUE (Liu et al., CVPR 2021), Table 2'),
    ('GCN-NAS', 'iMiGUE', 53.90, 89.21, 'iMiGUE (Liu et al., CVPR 2021), Table 2'),
    ('MS-G3D', 'iMiGUE', 54.91, 89.98, 'iMiGUE (Liu et al., CVPR 2021), Table 2'),
    ('TSM (RGB)', 'iMiGUE', 61.10, 91.24, 'iMiGUE (Liu et al., CVPR 2021), Table 2'),
    ('P&C (unsupervised, KNN)', 'iMiGUE', 31.67, 64.93, 'iMiGUE (Liu et al., CVPR 2021), Table 2'),
    ('U-S-VAE (unsupervised, KNN)', 'iMiGUE', 32.43, 64.30,
     'iMiGUE (Liu et al., CVPR 2021), Table 2'),
    ('GE-CN', 'iMiGUE', 56.12, 90.01, 'GE-CN (Shah, Chen, Zhao, MiGA@IJCAI 2023), Tables 1-2'),
    ('ST-GCN', 'SMG', 41.40, 86.07, 'GE-CN (Shah, Chen, Zhao, MiGA@IJCAI 2023), Table 2'),
    ('2S-GCN (2s-AGCN)', 'SMG', 43.11, 86.90, 'GE-CN (MiGA@IJCAI 2023), Table 2'),
    ('MS-G3D', 'SMG', 64.75, 91.48, 'GE-CN (MiGA@IJCAI 2023), Table 2'),
    ('GE-CN', 'SMG', 64.26, 95.23, 'GE-CN (Shah, Chen, Zhao, MiGA@IJCAI 2023), Tables 1-2'),
]

SCHEDULE_KEYS = ('begin', 'end', 'T_max', 'step_size')


def parse_args(argv=None) -> argparse.Namespace:
    """The settings of ``tools/benchmark.py`` (its command line)."""
    parser = argparse.ArgumentParser(
        description='Benchmark configs on the same data and budget; write a markdown table.')
    parser.add_argument('configs', nargs='*',
                        help='configs (default: mmimigue.apis.benchmark.DEFAULT_CONFIGS)')
    parser.add_argument('--epochs', type=int, default=5, help='passes over the training split')
    parser.add_argument('--out', default='docs/benchmarks.md', help='markdown file to write')
    parser.add_argument('--ann-file', help='annotation file replacing every dataset ann_file '
                        '(default: each config\'s own)')
    parser.add_argument('--work-dir', default='work_dirs/benchmark',
                        help='parent folder of the per-config work dirs and raw results')
    parser.add_argument('--num-workers', type=int, default=0,
                        help='dataloader workers for every loader (0: load in the main process)')
    parser.add_argument('--batch-size', type=int, help='override every training batch size')
    parser.add_argument('--test-clips', type=int,
                        help='temporal crops per test clip (UniformSampleFrames num_clips in the '
                        'test pipeline); default: each config\'s own (10 for the GCN configs)')
    parser.add_argument('--schedule', default='config', choices=['config', 'cosine'],
                        help='config: each config\'s LR schedule compressed to the budget; '
                        'cosine: every config gets 1 warm-up epoch + cosine decay to 0 over the '
                        'budget (its own optimiser and base lr), which suits short budgets')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--threads', type=int, default=1, help='torch CPU threads per run')
    parser.add_argument('--data-note', default=None,
                        help='sentence describing the data, printed above the table')
    parser.add_argument('--note', action='append', default=[],
                        help='extra paragraph printed under the table (repeatable)')
    parser.add_argument('--render-only', action='store_true',
                        help='do not train: re-render the markdown from <work-dir>/results.json')
    parser.add_argument('--merge', nargs='+', default=[], metavar='WORK_DIR',
                        help='with --render-only: add the rows of other benchmark runs '
                        '(their results.json; each row keeps its own --cfg-options)')
    parser.add_argument('--cfg-options', nargs='+', default=[],
                        help='key=value overrides applied to every config')
    parser.add_argument('--single', help=argparse.SUPPRESS)  # internal: one config, one process
    parser.add_argument('--result', help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def _loaders(cfg) -> List[dict]:
    out = [cfg.get(k) for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    for hook in cfg.get('custom_hooks', None) or []:
        out += [v for k, v in hook.items() if k.endswith('dataloader') and isinstance(v, dict)]
    return [d for d in out if d]


def _inner_dataset(ds: dict) -> dict:
    while 'dataset' in ds:
        ds = ds['dataset']
    return ds


def scale_schedulers(schedulers, factor: float, epochs: int):
    """Compress epoch positions of LR schedulers by ``factor`` (the budget / config epochs)."""
    if schedulers is None:
        return None
    single = isinstance(schedulers, dict)
    out = []
    for sch in ([schedulers] if single else schedulers):
        sch = copy.deepcopy(sch)
        if sch.get('by_epoch', True):
            for key in SCHEDULE_KEYS:
                if key in sch and sch[key] is not None:
                    lo = 0 if key == 'begin' else 1
                    sch[key] = max(lo, min(epochs, int(round(sch[key] * factor))))
            if 'milestones' in sch:
                sch['milestones'] = sorted({max(1, int(round(m * factor)))
                                            for m in sch['milestones']})
            if 'begin' in sch and 'end' in sch and sch['end'] <= sch['begin']:
                sch['end'] = sch['begin'] + 1
        out.append(sch)
    return out[0] if single else out


def cosine_schedule(epochs: int) -> List[dict]:
    """One linear warm-up epoch (from 0.1x), then cosine decay to 0 over the remaining epochs."""
    warmup = dict(type='LinearLR', start_factor=0.1, by_epoch=True, begin=0, end=1,
                  convert_to_iter_based=True)
    if epochs <= 1:
        return [warmup]
    return [warmup, dict(type='CosineAnnealingLR', T_max=epochs - 1, eta_min=0, by_epoch=True,
                         begin=1, end=epochs, convert_to_iter_based=True)]


def prepare_config(cfg, args, work_dir: str):
    """Apply the shared budget and data to one config (in place) and return it."""
    from mmengine.config import ConfigDict
    orig_epochs = cfg.train_cfg.get('max_epochs')
    if orig_epochs is None:
        raise ValueError('benchmark needs an epoch-based train_cfg (max_epochs)')
    cfg.work_dir = work_dir
    cfg.train_cfg.max_epochs = args.epochs
    cfg.train_cfg.val_interval = args.epochs + 1
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    if getattr(args, 'schedule', 'config') == 'cosine':
        cfg.param_scheduler = cosine_schedule(args.epochs)
    else:
        cfg.param_scheduler = scale_schedulers(cfg.get('param_scheduler'),
                                               args.epochs / orig_epochs, args.epochs)
    train_ds = cfg.train_dataloader.dataset
    if train_ds.get('type') == 'RepeatDataset':
        cfg.train_dataloader.dataset = train_ds.dataset
    if args.batch_size:
        cfg.train_dataloader.batch_size = args.batch_size
    train_inner = _inner_dataset(cfg.train_dataloader.dataset)
    if train_inner.get('split') == 'xsub_train_minus_val':
        # nothing is chosen on validation here (the last epoch is tested), so the benchmark
        # trains on every training subject, as the papers' tables do
        train_inner['split'] = 'xsub_train'
    for loader in _loaders(cfg):
        loader['num_workers'] = args.num_workers
        loader['persistent_workers'] = args.num_workers > 0
        if args.ann_file:
            _inner_dataset(loader['dataset'])['ann_file'] = args.ann_file
    if args.test_clips and cfg.get('test_dataloader'):
        for step in _inner_dataset(cfg.test_dataloader.dataset).get('pipeline', []):
            if step.get('type') == 'UniformSampleFrames':
                step['num_clips'] = args.test_clips
    from ..evaluation.knn_hook import KNN_HOOK_NAMES
    for hook in cfg.get('custom_hooks', None) or []:
        if hook.get('type') in KNN_HOOK_NAMES:
            hook['interval'] = 0  # evaluated once, after training, by the benchmark
    cfg.default_hooks.checkpoint = ConfigDict(type='CheckpointHook', interval=args.epochs,
                                              save_best=None, max_keep_ckpts=1)
    cfg.default_hooks.logger = ConfigDict(type='LoggerHook', interval=10)
    cfg.randomness = dict(seed=args.seed)
    if args.cfg_options:
        from mmengine.config import DictAction
        parser = argparse.ArgumentParser()
        parser.add_argument('--o', nargs='+', action=DictAction)
        cfg.merge_from_dict(parser.parse_args(['--o'] + list(args.cfg_options)).o)
    return cfg


def _knn_evaluate(runner, hook) -> Dict:
    from ..evaluation.fusion import top_k_accuracy
    from ..evaluation.knn import classwise_nn_scores, evaluate_knn, extract_features
    bank_loader, query_loader = hook.build_loaders(runner)
    bank = extract_features(runner.model, bank_loader)
    start = time.perf_counter()
    query = extract_features(runner.model, query_loader)
    elapsed = time.perf_counter() - start
    metrics = evaluate_knn(bank, query, ks=hook.ks, **hook.knn_kwargs)
    k = hook.ks[0]
    if isinstance(bank[0], dict):
        raise ValueError('benchmark: multi-stream KNN features are not supported; '
                         'benchmark one stream per config')
    num_classes = int(max(bank[1].max(), query[1].max())) + 1
    scores = classwise_nn_scores(bank[0], bank[1], query[0], num_classes,
                                 hook.knn_kwargs.get('distance', 'cosine')).numpy()
    labels = query[1].numpy()
    top1, top5 = top_k_accuracy(scores, labels, 1), top_k_accuracy(scores, labels, 5)
    return dict(top1=100 * metrics[f'k{k}_top1'], mean1=100 * metrics[f'k{k}_mean1'],
                top5=100 * float(top5), nn_top1=100 * float(top1),
                num_test=len(labels), test_seconds=elapsed, eval=f'KNN (k={k}, '
                f'{hook.knn_kwargs.get("distance", "cosine")}), top-5 by class-wise nearest '
                'neighbour')


def _acc_evaluate(runner) -> Dict:
    start = time.perf_counter()
    metrics = runner.test()
    elapsed = time.perf_counter() - start

    def pick(suffix):
        for key, value in metrics.items():
            if key.endswith(suffix):
                return 100 * float(value)
        return float('nan')

    return dict(top1=pick('top1'), top5=pick('top5'), mean1=pick('mean1'),
                num_test=len(runner.test_dataloader.dataset), test_seconds=elapsed,
                eval='test loop (AccMetric)')


def run_single(args) -> Dict:
    """Train + evaluate one config in this process; return its row."""
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmengine.runner import Runner

    config = args.single
    name = run_name(config)
    cfg = prepare_config(Config.fromfile(config), args, osp.join(args.work_dir, name))
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    runner = Runner.from_cfg(cfg)
    params = sum(p.numel() for p in runner.model.parameters())
    start = time.perf_counter()
    runner.train()
    train_seconds = time.perf_counter() - start
    buf = runner.message_hub.get_scalar('train/time')
    times = np.asarray(buf.data[0], dtype=float)
    iter_time = float(times[1:].mean() if len(times) > 1 else times.mean())

    knn_hooks = [h for h in runner.hooks if type(h).__name__ == 'MGKNNEvalHook']
    if knn_hooks:
        result = _knn_evaluate(runner, knn_hooks[0])
    elif cfg.get('test_dataloader') is not None and cfg.get('test_evaluator') is not None:
        result = _acc_evaluate(runner)
    else:
        raise ValueError(f'{config}: neither a test loop nor a MGKNNEvalHook to evaluate with')
    if torch.cuda.is_available():
        peak, kind = torch.cuda.max_memory_allocated() / 2**20, 'CUDA max allocated'
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
        kind = 'CPU max RSS'
    result.update(
        config=config, name=name, params=params, iters=len(times),
        batch_size=cfg.train_dataloader.batch_size, train_iter_s=iter_time,
        train_seconds=train_seconds, clips_per_s=result['num_test'] / result['test_seconds'],
        peak_mem_mb=peak, mem_kind=kind,
        num_train=len(runner.train_dataloader.dataset),
        checkpoint=osp.join(cfg.work_dir, f'epoch_{args.epochs}.pth'))
    return result


def _fmt(v, digits=2):
    return '—' if v is None or v != v else f'{v:.{digits}f}'


def _params(n: int) -> str:
    return f'{n / 1e6:.2f} M'


def run_name(config: str) -> str:
    """Row / work-dir name: the config's name, with its folder when that is not a dataset folder
    (``paper/stgcn_...`` is the paper variant of ``stgcn_...``)."""
    name = osp.splitext(osp.basename(config))[0]
    folder = osp.basename(osp.dirname(osp.normpath(config)))
    return f'{folder}/{name}' if folder in ('paper', 'ablations') else name


def reproduce_command(config: str, args, cfg_options=None) -> str:
    parts = ['python tools/benchmark.py', config, f'--epochs {args.epochs}']
    if args.ann_file:
        parts.append(f'--ann-file {args.ann_file}')
    if args.batch_size:
        parts.append(f'--batch-size {args.batch_size}')
    if args.test_clips:
        parts.append(f'--test-clips {args.test_clips}')
    if getattr(args, 'schedule', 'config') != 'config':
        parts.append(f'--schedule {args.schedule}')
    if args.seed:
        parts.append(f'--seed {args.seed}')
    options = args.cfg_options if cfg_options is None else cfg_options
    if options:
        parts.append('--cfg-options ' + ' '.join(options))
    return ' '.join(parts)


def render_markdown(rows: List[Dict], args, failures: Dict[str, str]) -> str:
    import torch
    now = datetime.datetime.now().strftime('%Y-%m-%d %H:%M')
    device = (torch.cuda.get_device_name(0) if torch.cuda.is_available() else
              f'CPU ({platform.processor() or platform.machine()}), {args.threads} torch thread(s), '
              f'{os.cpu_count()} cores visible')
    lines = ['# Benchmarks', '',
             '<!-- generated by tools/benchmark.py; edit the generator, not this table -->', '']
    if args.data_note:
        lines += [args.data_note, '']
    num_train = rows[0]['num_train'] if rows else '?'
    num_test = rows[0]['num_test'] if rows else '?'
    data = args.ann_file or "each config's ann_file"
    lines += [
        f'Measured {now} with torch {torch.__version__} on {device}. Data: '
        f'`{data}` ({num_train} training / {num_test} test '
        f'clips, cross-subject). Budget: {args.epochs} epoch(s) for every model, seed '
        f'{args.seed}; each config keeps its own optimiser, base learning rate, batch size and '
        'pipelines; ' + ('LR schedule for every model: 1 linear warm-up epoch, then cosine decay '
                         'to 0 (--schedule cosine)' if getattr(args, 'schedule', 'config') ==
                         'cosine' else 'each config\'s LR schedule over the budget (the '
                                       'schedules follow max_epochs; fixed-length warm-ups are '
                                       'scaled)') +
        '; no validation during training.', '',
        '| Model | Config | Eval | Top-1 (%) | Top-5 (%) | Mean class acc (%) | Params | '
        'Batch | Train s/iter | Inference clips/s | Peak memory (MiB) | Reproduce |',
        '|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|']
    for r in rows:
        lines.append(
            f"| {r['name']} | `{r['config']}` | {r['eval']} | {_fmt(r['top1'])} | "
            f"{_fmt(r['top5'])} | {_fmt(r['mean1'])} | {_params(r['params'])} | "
            f"{r['batch_size']} | {_fmt(r['train_iter_s'], 3)} | {_fmt(r['clips_per_s'], 1)} | "
            f"{_fmt(r['peak_mem_mb'], 0)} ({r['mem_kind']}) | "
            f"`{reproduce_command(r['config'], args, r.get('cfg_options'))}` |")
    for config, err in failures.items():
        lines.append(f'| {run_name(config)} | `{config}` | failed: '
                     f'{err} | — | — | — | — | — | — | — | — | `{reproduce_command(config, args)}` |')
    lines += [
        '', 'Train s/iter is the mean wall time of a training iteration (data loading included, '
        'first iteration excluded); inference clips/s counts test clips per second under each '
        'config\'s own test pipeline (' + (f'{args.test_clips} temporal crop(s) per clip for the '
        'GCN configs (--test-clips)' if args.test_clips else 'the GCN configs average 10 temporal '
        'crops per clip') + ', batch 1; U-S-VAE encodes whole sequences, batch 32). Peak memory '
        'is the maximum resident set size of the benchmark process (CPU) or the CUDA max '
        'allocated memory (GPU).', '']
    for note in args.note:
        lines += [note, '']
    lines += [
        '## Published numbers (from the papers, not measured here)', '',
        'Full datasets, the papers\' own budgets; listed for reference, not comparable with the '
        'rows above.', '',
        '| Method | Dataset | Top-1 (%) | Top-5 (%) | Source |', '|---|---|---:|---:|---|']
    for method, dataset, top1, top5, source in PUBLISHED:
        lines.append(f'| {method} | {dataset} | {top1:.2f} | {top5:.2f} | {source} |')
    return '\n'.join(lines) + '\n'


