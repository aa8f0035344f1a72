"""Statistics of a converted clip pickle: class counts, clip lengths, subjects, win / lose."""
from collections import Counter
from typing import Dict, List, Tuple

import numpy as np

from .formats.safe_pickle import load_converted_pickle


def load_clip_metadata(path: str) -> Tuple[List[dict], Dict[str, list]]:
    """The annotations and splits of a converted pickle (read without running code; the
    keypoints, inline or in a shared store, are not needed)."""
    content = load_converted_pickle(path)
    if not isinstance(content, dict) or 'annotations' not in content:
        raise ValueError(f'{path} is not a converted pickle (no "annotations"); convert the '
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
