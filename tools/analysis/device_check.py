"""Check every model family on a device in minutes: real widths, a few training iterations and one
test batch through each config's own pipeline, on data the script writes itself.

For each family (``--only`` picks some, shell patterns, comma-separated): iterations/s,
samples/s, the share of time waiting for data, peak memory, finite losses and a finite test
batch (:mod:`mmimigue.apis.device_check`); beside ST-GCN and PoseC3D mmaction2's stock config of
the same model on the same data, as a ratio. On CUDA also with AMP (``--amp``: both runs) and,
with ``--dist``, one epoch of the ST-GCN recipe through ``tools/dist_train.sh CONFIG 1`` (NCCL).
The table is printed and, with ``--out``, written as markdown; ``--out docs/benchmarks.md``
replaces only the page's section of that device kind (``device-check-cuda`` / ``-cpu``;
tools/benchmark.py keeps both when it rewrites the page).

Examples::

    python tools/analysis/device_check.py --device cuda --amp --dist --out device_check.md
    python tools/analysis/device_check.py --device cpu --only 'stgcn-joint,emotion-*' --iters 2
"""
import argparse
import os
import os.path as osp
import subprocess
import sys
import time
import traceback

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--device', default='cuda', help='cuda or cpu (default cuda)')
    p.add_argument('--iters', type=int, default=10, help='timed training iterations (default 10)')
    p.add_argument('--amp', action='store_true', help='also run every family with AMP')
    p.add_argument('--dist', action='store_true',
                   help='also run tools/dist_train.sh (1 process, NCCL on CUDA) for ST-GCN')
    p.add_argument('--only', help="families to run, e.g. 'stgcn-*,posec3d-keypoint'")
    p.add_argument('--batch-size', type=int, help="training batch size (default: each config's)")
    p.add_argument('--workers', type=int, default=2, help='data loader workers (default 2)')
    p.add_argument('--no-stock', action='store_true', help="skip mmaction2's stock configs")
    p.add_argument('--data-root', default='work_dirs/device_check_data',
                   help='where the generated data goes (reused when present)')
    p.add_argument('--out', help='write the markdown table here')
    p.add_argument('--list', action='store_true', help='list the families and exit')
    return p.parse_args(argv)


def dist_row(cfg_path: str, paths: dict, device: str) -> dict:
    """One epoch of ``cfg_path`` through tools/dist_train.sh with one process."""
    work = osp.join(paths['root'], 'dist_train')
    opts = [f'{k}_dataloader.dataset.ann_file={paths["skeleton_pkl"]}'
            for k in ('train', 'val', 'test')]
    cmd = ['bash', osp.join(ROOT, 'tools', 'dist_train.sh'), cfg_path, '1', '--work-dir', work,
           '--cfg-options', 'train_cfg.max_epochs=1', *opts]
    env = dict(os.environ, PORT=os.environ.get('PORT', '29531'))
    if not device.startswith('cuda'):
        env['CUDA_VISIBLE_DEVICES'] = ''
    t0 = time.time()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
    seconds = time.time() - t0
    backend = 'nccl' if 'nccl' in (proc.stdout + proc.stderr).lower() else 'gloo'
    if proc.returncode:
        return dict(run='dist_train.sh x1', error=f'exit {proc.returncode}: '
                    f'{(proc.stderr or proc.stdout).strip().splitlines()[-1:]}')
    return dict(run='dist_train.sh x1', seconds=seconds, backend=backend)


def main(argv=None) -> list:
    args = parse_args(argv)
    from mmimigue.apis.device_check import FAMILIES, render_table, run_family, run_ok, select_families
    if args.list:
        for f in FAMILIES:
            print(f'{f.name:22s} {f.data:9s} {f.config}')
        return []
    try:
        families = select_families(args.only)
    except ValueError as e:
        sys.exit(f'device_check: {e}')
    import torch
    if args.device.startswith('cuda') and not torch.cuda.is_available():
        sys.exit('device_check: --device cuda but torch sees no GPU; use --device cpu')
    from mmimigue.datasets.synthetic.device_check_data import make_device_check_data
    from mmimigue.fileio import atomic_write
    from mmimigue.registration import register_all_modules
    register_all_modules()
    device_name = (torch.cuda.get_device_name(0) if args.device.startswith('cuda') else
                   f'CPU ({os.cpu_count()} cores, {torch.get_num_threads()} torch threads)')
    t0 = time.time()
    paths = make_device_check_data(osp.join(ROOT, args.data_root) if not osp.isabs(
        args.data_root) else args.data_root, workers=max(args.workers, 1))
    print(f'[device_check] data ready in {time.time() - t0:.1f}s under {paths["root"]}; '
          f'{len(families)} families on {device_name}', flush=True)
    rows = []
    runs = [('fp32', False)] + ([('amp', True)] if args.amp else [])
    for fam in families:
        for label, amp in runs:
            todo = [(label, fam.config, None)]
            if fam.stock and not args.no_stock:
                todo.append((f'{label}, mmaction2 stock', fam.stock, fam.stock_options))
            ours = None
            for run, config, options in todo:
                t = time.time()
                try:
                    res = run_family(config if '::' in config else osp.join(ROOT, config),
                                     fam.data, paths, args.device, args.iters, amp,
                                     args.workers, args.batch_size, options)
                except Exception as e:  # one family failing must not hide the others
                    traceback.print_exc()
                    res = dict(error=f'{type(e).__name__}: {e}')
                res.update(family=fam.name, run=run)
                if 'error' not in res:
                    if ours is None:
                        ours = res
                    else:
                        ratio = f'ours / stock it/s: {ours["iters_per_s"] / res["iters_per_s"]:.2f}'
                        res['notes'] = '; '.join(filter(None, [res.get('notes'), ratio]))
                rows.append(res)
                print(f'[device_check] {fam.name} ({run}): '
                      + (res['error'] if 'error' in res else
                         f'{res["iters_per_s"]:.2f} it/s, {100 * res["data_wait"]:.0f} % data '
                         f'wait, {res["peak_mem_mb"]:.0f} MB')
                      + f' ({time.time() - t:.0f}s)', flush=True)
    if args.dist:
        stgcn = next(f for f in FAMILIES if f.name == 'stgcn-joint')
        res = dict(family='stgcn-joint', **dist_row(osp.join(ROOT, stgcn.config), paths,
                                                    args.device))
        print(f'[device_check] dist_train.sh: {res}', flush=True)
    table = render_table(rows, device_name, vars(args))
    if args.dist:
        table += ('\n`tools/dist_train.sh` (1 process): ' +
                  (f"FAILED, {res['error']}" if 'error' in res else
                   f"one epoch in {res['seconds']:.0f} s, backend {res['backend']}") + '\n')
    print(table)
    if args.out:  # a page of its own, or the device-check section of a shared page
        from mmimigue.apis.doc_sections import put_section, read_text
        section = 'device-check-' + ('cuda' if args.device.startswith('cuda') else 'cpu')
        atomic_write(args.out, put_section(read_text(args.out), section, table)
                     if args.out.endswith('benchmarks.md') else table)
    failed = [r for r in rows if not run_ok(r)]
    if failed:
        print(f'[device_check] {len(failed)} run(s) failed or gave non-finite values: '
              f'{sorted({r["family"] for r in failed})}')
    return rows


if __name__ == '__main__':
    from mmimigue.apis.device_check import run_ok
    sys.exit(0 if all(run_ok(r) for r in main()) else 1)
