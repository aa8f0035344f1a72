"""The confusion figure: row-normalised confusion matrix and per-class accuracy bars."""
from typing import Sequence

import numpy as np

from ..evaluation.confusion import class_order, per_class_accuracy, summary
from ..fileio import atomic_output


def plot(cm: np.ndarray, names: Sequence[str], out: str, order: str = 'frequency',
         title: str = '') -> None:
    """Write the two-panel figure (confusion matrix, per-class accuracy) to ``out``."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    idx = class_order(cm, order)
    sub = cm[np.ix_(idx, idx)]
    support = sub.sum(1)
    norm = sub / np.maximum(support, 1)[:, None]
    acc = per_class_accuracy(cm)[idx]
    labels = [f'{i}: {names[i]}' for i in idx]
    n = len(idx)
    size = max(6., 0.32 * n + 3)
    fig, (ax_cm, ax_bar) = plt.subplots(
        1, 2, figsize=(size * 1.6, size), gridspec_kw=dict(width_ratios=[1.25, 0.75]))
    im = ax_cm.imshow(norm, cmap='Blues', vmin=0, vmax=1)
    ax_cm.set_xticks(range(n))
    ax_cm.set_yticks(range(n))
    ax_cm.set_xticklabels([str(i) for i in idx], fontsize=7)
    ax_cm.set_yticklabels(labels, fontsize=7)
    ax_cm.set_xlabel('predicted class')
    ax_cm.set_ylabel('ground truth (ordered by number of test clips)' if order == 'frequency'
                     else 'ground truth')
    ax_cm.set_title('confusion matrix (row-normalised)')
    if n <= 40:
        for i, j in zip(*np.nonzero(sub)):
            ax_cm.text(j, i, str(sub[i, j]), ha='center', va='center', fontsize=5,
                       color='white' if norm[i, j] > 0.5 else 'black')
    fig.colorbar(im, ax=ax_cm, fraction=0.046, pad=0.04)
    y = np.arange(n)
    ax_bar.barh(y, np.nan_to_num(acc), color='tab:blue')
    empty = support == 0  # no accuracy to draw: a full-width grey band says "no test clips"
    if empty.any():
        ax_bar.barh(y[empty], np.ones(int(empty.sum())), color='0.85', hatch='//',
                    edgecolor='0.6', lw=0, label='no test clips')
    ax_bar.set_yticks(y)
    ax_bar.set_yticklabels([f'{i} (n={s})' for i, s in zip(idx, support)], fontsize=7)
    ax_bar.invert_yaxis()
    ax_bar.set_xlim(0, 1)
    ax_bar.set_xlabel('per-class accuracy (recall)')
    stats = summary(cm)
    ax_bar.axvline(stats['mean_class'], color='tab:red', ls='--', lw=1,
                   label=f"mean class acc {100 * stats['mean_class']:.1f}%")
    ax_bar.legend(loc='lower right', fontsize=7)
    ax_bar.set_title('per-class accuracy' + (' (grey band: no test clips)' if empty.any()
                                             else ''))
    fig.suptitle(f"{title + ': ' if title else ''}top-1 {100 * stats['top1']:.2f}%, mean class "
                 f"accuracy {100 * stats['mean_class']:.2f}% over {stats['num_clips']} clips")
    fig.tight_layout()
    with atomic_output(out) as tmp:
        fig.savefig(tmp, dpi=150)
    plt.close(fig)
