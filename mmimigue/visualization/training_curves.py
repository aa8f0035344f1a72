"""Training curves of a work dir (loss, learning rate, validation metrics per epoch) as one PNG,
from the ``vis_data/scalars.json`` that every run writes (the same scalars TensorBoard shows)."""
import glob
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence

from ..fileio import atomic_output


def _rows(path: str) -> List[Dict]:
    rows = []
    with open(path) as f:
        for line in f:
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError:  # a blank line, or a run killed mid-line: that row only
                continue
    return rows


def read_scalars(work_dir: str) -> List[Dict]:
    """The logged rows of the newest training run in ``work_dir`` (test runs, which log no
    loss, and earlier runs into the same folder are left out)."""
    paths = sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json')))
    runs = [rows for rows in map(_rows, paths) if any('loss' in r for r in rows)]
    if not runs:
        raise FileNotFoundError(f'{work_dir}: no training run (*/vis_data/scalars.json with a '
                                'loss); pass the --work-dir of a training run')
    return runs[-1]


def plot_curves(work_dir: str, out_file: str, metrics: Optional[Sequence[str]] = None) -> Dict:
    """Loss and learning rate per iteration, validation metrics per epoch -> ``out_file``.

    Args:
        work_dir (str): A training work dir.
        out_file (str): The PNG (written atomically).
        metrics (Sequence[str], optional): Validation keys to draw (default: every key of the
            validation rows except times).

    Returns:
        dict: ``iterations`` (training rows), ``epochs`` (validation rows), ``metrics`` drawn.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    rows = read_scalars(work_dir)
    train = [r for r in rows if 'loss' in r and 'step' in r]
    val = [r for r in rows if 'loss' not in r and 'step' in r and not any(
        k.startswith(('lr', 'grad_norm')) for k in r)]
    skip = {'step', 'epoch', 'iter', 'time', 'data_time', 'memory'}
    if metrics is None:
        metrics = sorted({k for r in val for k in r if k not in skip})
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    if train:
        axes[0].plot([r['step'] for r in train], [r['loss'] for r in train], lw=1)
        lr_rows = [r for r in train if 'lr' in r]
        axes[1].plot([r['step'] for r in lr_rows], [r['lr'] for r in lr_rows], lw=1)
    axes[0].set(title='training loss', xlabel='iteration')
    axes[1].set(title='learning rate', xlabel='iteration')
    for key in metrics:
        pts = [(r['step'], r[key]) for r in val if key in r]
        if pts:
            axes[2].plot(*zip(*pts), marker='o', ms=3, label=key)
    axes[2].set(title='validation', xlabel='epoch')
    if metrics and val:
        axes[2].legend(fontsize=8)
    for ax in axes:
        ax.grid(alpha=0.3)
    fig.suptitle(osp.basename(osp.normpath(work_dir)), fontsize=11)
    fig.tight_layout()
    with atomic_output(out_file) as tmp:
        fig.savefig(tmp, dpi=90)
    plt.close(fig)
    return dict(iterations=len(train), epochs=len(val), metrics=list(metrics))
