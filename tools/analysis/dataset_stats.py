"""Statistics of a converted iMiGUE pickle: the long tail, clip lengths, subjects, win / lose.

Prints a table and writes a PNG figure.

Example:
    python tools/analysis/dataset_stats.py data/imigue/imigue_skeleton.pkl --out stats.png
"""
import argparse
import pickle
from collections import Counter
from typing import Dict, List

import numpy as np

from mmimigue.fileio import atomic_output
from mmimigue.protocol import imigue_class_names


def _annotations(path: str) -> List[dict]:
    # Metadata only: the keypoints (inline or in a shared file) are not needed here.
    with open(path, 'rb') as f:
        content = pickle.load(f)
    if not isinstance(content, dict) or 'annotations' not in content:
        raise SystemExit(f'{path} is not a converted pickle (no "annotations"); convert the '
                         'release with tools/data/imigue/convert.py first')
    return content['annotations'], content.get('split', {})


def compute_stats(annos: List[dict], split: Dict[str, list]) -> dict:
    """Class counts, clip-length summary, per-subject counts and win / lose balance."""
    lengths = np.array([a['total_frames'] for a in annos])
    videos = {a.get('video_id'): a.get('emotion', -1) for a in annos}
    return dict(
        clips=len(annos), classes=Counter(a['label'] for a in annos),
        lengths=lengths, subjects=Counter(a.get('subject_id', -1) for a in annos),
        videos=len(videos), win_videos=sum(e == 1 for e in videos.values()),
        lose_videos=sum(e == 0 for e in videos.values()),
        win_clips=sum(a.get('emotion') == 1 for a in annos),
        splits={k: len(v) for k, v in split.items()})


def format_stats(stats: dict, names: List[str]) -> str:
    lines = [f"clips: {stats['clips']}  videos: {stats['videos']} "
             f"(win {stats['win_videos']}, lose {stats['lose_videos']}; win clips "
             f"{stats['win_clips']})  subjects: {len(stats['subjects'])}",
             'splits: ' + ', '.join(f'{k}={v}' for k, v in stats['splits'].items())]
    q = np.percentile(stats['lengths'], [0, 25, 50, 75, 100])
    lines.append(f"clip frames: min {q[0]:.0f}  q1 {q[1]:.0f}  median {q[2]:.0f}  q3 {q[3]:.0f}"
                 f"  max {q[4]:.0f}  mean {stats['lengths'].mean():.1f}")
    lines.append(f"{'label':>5}  {'clips':>6}  {'share':>6}  class")
    for label, n in stats['classes'].most_common():
        name = names[label] if 0 <= label < len(names) else '?'
        lines.append(f'{label:>5}  {n:>6}  {n / stats["clips"]:>6.1%}  {name}')
    counts = sorted(stats['subjects'].values())
    lines.append(f'clips per subject: min {counts[0]}  median {counts[len(counts) // 2]}  '
                 f'max {counts[-1]}')
    return '\n'.join(lines)


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


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument('ann_file', help='converted pickle (tools/data/imigue/convert.py)')
    p.add_argument('--out', default='imigue_stats.png', help='PNG figure')
    args = p.parse_args()
    annos, split = _annotations(args.ann_file)
    names = imigue_class_names()
    stats = compute_stats(annos, split)
    print(format_stats(stats, names))
    plot_stats(stats, names, args.out)
    print(f'wrote {args.out}')


if __name__ == '__main__':
    main()
