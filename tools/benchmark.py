"""Train and evaluate several configs on the same data with the same budget; write a markdown table.

Each config runs in its own process (so peak memory is per model) through mmengine's ``Runner``:
the same annotation file, the same number of epochs (passes over the training split; a
``RepeatDataset`` wrapper is removed), each config's own optimiser, batch size and pipelines, and
its LR schedule compressed to the budget (epoch positions scaled by ``epochs / max_epochs``), or
with ``--schedule cosine`` one warm-up epoch and a cosine decay for every config (short budgets).
Validation during training is off; after training the model is evaluated once on the test split:
recognizers through the config's test loop (``AccMetric``), self-supervised models with a
``MGKNNEvalHook`` through KNN on frozen features (train split as memory bank, test split as queries).

Columns: top-1 / top-5 / mean class accuracy (%), parameters, training seconds per iteration
(mmengine's ``IterTimerHook``, first iteration excluded), inference clips/s (test clips divided by
the wall time of the test pass, under the config's own test pipeline), peak memory (CPU max RSS of
the process, or CUDA max allocated) and the command that reproduces the row.

Examples:
    python tools/benchmark.py --epochs 5 --ann-file data/imigue/imigue_skeleton.pkl
    python tools/benchmark.py configs/imigue/gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py \
        configs/imigue/usvae_blstm_1xb32-seq-100e_imigue-xsub-keypoint-2d.py --epochs 2 \\
        --out docs/benchmarks.md
"""
import json
import os
import os.path as osp
import shlex
import subprocess
import sys


def _keep_device_check(path: str, text: str) -> str:
    """The new table plus the device check's sections of the page it replaces."""
    from mmimigue.apis.doc_sections import get_section, read_text
    old = read_text(path)
    kept = [get_section(old, f'device-check-{kind}') for kind in ('cuda', 'cpu')]
    return '\n\n'.join([text.rstrip('\n')] + [k for k in kept if k]) + '\n'



def main(argv=None) -> int:
    from mmimigue.apis.benchmark import DEFAULT_CONFIGS, parse_args, render_markdown, run_name, run_single
    args = parse_args(argv)
    from mmimigue.fileio import atomic_write
    if args.single:
        from mmimigue.registration import register_all_modules
        register_all_modules()
        row = run_single(args)
        atomic_write(args.result, json.dumps(row, indent=1))
        return 0
    if args.render_only:
        with open(osp.join(args.work_dir, 'results.json')) as f:
            saved = json.load(f)
        for other in args.merge:
            with open(osp.join(other, 'results.json')) as f:
                more = json.load(f)
            saved['rows'] += more['rows']
            saved['failures'].update(more['failures'])
        for key, value in saved.get('args', {}).items():  # the settings of the measured run
            if key in ('epochs', 'ann_file', 'test_clips', 'seed', 'batch_size', 'threads',
                       'schedule') or (
                    key == 'data_note' and args.data_note is None):
                setattr(args, key, value)
        atomic_write(args.out, _keep_device_check(args.out, render_markdown(
            saved['rows'], args, saved['failures'])))
        print(f'[benchmark] wrote {args.out} from {args.work_dir}/results.json')
        return 0
    configs = args.configs or DEFAULT_CONFIGS
    missing = [c for c in configs if not osp.isfile(c)]
    if missing:
        raise SystemExit(f'benchmark: config(s) not found: {missing} (run from the repo root)')
    os.makedirs(args.work_dir, exist_ok=True)
    rows, failures = [], {}
    for config in configs:
        name = run_name(config)
        result = osp.join(args.work_dir, f'{name}.json')
        cmd = [sys.executable, osp.abspath(__file__), '--single', config, '--result', result,
               '--epochs', str(args.epochs), '--work-dir', args.work_dir,
               '--num-workers', str(args.num_workers), '--seed', str(args.seed),
               '--threads', str(args.threads)]
        if args.ann_file:
            cmd += ['--ann-file', args.ann_file]
        if args.batch_size:
            cmd += ['--batch-size', str(args.batch_size)]
        if args.test_clips:
            cmd += ['--test-clips', str(args.test_clips)]
        cmd += ['--schedule', args.schedule]
        if args.cfg_options:
            cmd += ['--cfg-options'] + list(args.cfg_options)
        print(f'[benchmark] {config}: {" ".join(shlex.quote(c) for c in cmd)}', flush=True)
        log_path = osp.join(args.work_dir, f'{name}.log')
        os.makedirs(osp.dirname(log_path), exist_ok=True)  # paper/... rows
        with open(log_path, 'w') as log:
            proc = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=os.getcwd())
        if proc.returncode != 0 or not osp.isfile(result):
            with open(log_path) as f:
                tail = [ln.strip() for ln in f.read().strip().splitlines()[-3:]]
            failures[config] = tail[-1][:120] if tail else f'exit code {proc.returncode}'
            print(f'[benchmark] {config} FAILED, see {log_path}', flush=True)
            continue
        with open(result) as f:
            row = json.load(f)
        row['cfg_options'] = list(args.cfg_options)
        rows.append(row)
        print(f"[benchmark] {name}: top1 {row['top1']:.2f} top5 {row['top5']:.2f} "
              f"mean {row['mean1']:.2f} | {row['train_iter_s']:.3f} s/iter | "
              f"{row['clips_per_s']:.1f} clips/s | {row['peak_mem_mb']:.0f} MiB", flush=True)
    atomic_write(osp.join(args.work_dir, 'results.json'),
                 json.dumps(dict(rows=rows, failures=failures, args=vars(args)), indent=1))
    if args.out:
        atomic_write(args.out, _keep_device_check(args.out, render_markdown(rows, args, failures)))
        print(f'[benchmark] wrote {args.out}')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
