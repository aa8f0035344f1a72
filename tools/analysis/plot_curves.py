"""Draw a training run's curves (loss, learning rate, validation metrics) into one PNG.

Usage::

    python tools/analysis/plot_curves.py WORK_DIR [--out WORK_DIR/curves.png] [--metrics acc/top1 ...]

The same scalars are in TensorBoard (``tensorboard --logdir WORK_DIR``), which every config
writes through its runtime's ``TensorboardVisBackend``.
"""
import argparse
import os.path as osp
import sys


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('work_dir')
    p.add_argument('--out', help='the PNG (default: WORK_DIR/curves.png)')
    p.add_argument('--metrics', nargs='+', help='validation keys (default: all)')
    args = p.parse_args(argv)
    import glob

    from mmimigue.fileio import OutputError, OutputPlan
    from mmimigue.visualization.training_curves import plot_curves
    out = args.out or osp.join(args.work_dir, 'curves.png')
    try:  # the logs read are inputs: the figure never replaces one
        OutputPlan(glob.glob(osp.join(args.work_dir, '*', 'vis_data', '*'))).add(out, '--out')
        info = plot_curves(args.work_dir, out, args.metrics)
    except (FileNotFoundError, OutputError) as e:
        sys.exit(f'plot_curves: {e}')
    print(f"[plot_curves] {info['iterations']} training rows, {info['epochs']} validation rows "
          f"({', '.join(info['metrics'])}) -> {out}")
    return info


if __name__ == '__main__':
    main()
