"""The dataset-statistics figure: clips per class, clip lengths, clips per subject, emotion."""
from typing import List

from ..fileio import atomic_output


def plot_stats(stats: dict, names: List[str], out: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig = plt.figure(figsize=(14, 13))
    grid = fig.add_gridspec(2, 3, height_ratios=[2.2, 1])
    ax = fig.add_subplot(grid[0, :])  # full class names, readable at 100 %: horizontal bars
    order = [label for label, _ in stats['classes'].most_common()]
    counts = [stats['classes'][k] for k in order]
    ax.barh(range(len(order)), counts, color='tab:blue')
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([f'{k}: {names[k]}' if 0 <= k < len(names) else str(k) for k in order],
                       fontsize=9)
    ax.invert_yaxis()  # largest class on top
    ax.set_xscale('log')
    for i, n in enumerate(counts):
        ax.text(n, i, f' {n} ({n / stats["clips"]:.1%})', va='center', fontsize=8)
    ax.set_xlabel('clips (log scale)')
    ax.set_title(f'clips per class ({stats["clips"]} clips)', fontsize=12)
    ax = fig.add_subplot(grid[1, 0])
    ax.hist(stats['lengths'], bins=40, color='tab:gray')
    ax.set_xlabel('frames')
    ax.set_title('clip length', fontsize=12)
    subjects = sorted(stats['subjects'].items())
    ax = fig.add_subplot(grid[1, 1])
    ax.bar(range(len(subjects)), [n for _, n in subjects], color='tab:green')
    ax.set_xlabel(f'subject ({len(subjects)})')
    ax.set_ylabel('clips')
    ax.set_title('clips per subject', fontsize=12)
    ax = fig.add_subplot(grid[1, 2])
    ax.bar(['win', 'lose'], [stats['win_videos'], stats['lose_videos']],
           color=['tab:orange', 'tab:purple'])
    ax.set_ylabel('videos')
    ax.set_title('video-level emotion', fontsize=12)
    fig.tight_layout()
    with atomic_output(out) as tmp:
        fig.savefig(tmp, dpi=110)
    plt.close(fig)
