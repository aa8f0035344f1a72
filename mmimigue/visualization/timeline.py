"""The MG timeline of a video: probabilities of the leading MGs over time and the segments."""
from typing import Dict, Sequence

import numpy as np

from ..emotion.wording import emotion_wording
from ..fileio import atomic_output


def window_cells(windows: Sequence[Dict]) -> np.ndarray:
    """(N, 2) time span each window owns on the plot: from the midpoint with the previous window's
    centre to the midpoint with the next one (the first and last reach their window's edge).

    Overlapping windows would otherwise draw overlapping bands that read as extra MGs; the cells
    tile the covered time exactly once and are centred on the points of the probability plot.
    """
    starts = np.array([w['start_time'] for w in windows], dtype=float)
    ends = np.array([w['end_time'] for w in windows], dtype=float)
    centres = (starts + ends) / 2
    bounds = np.concatenate([starts[:1], (centres[1:] + centres[:-1]) / 2, ends[-1:]])
    return np.stack([bounds[:-1], bounds[1:]], 1)


def class_colours(first: Sequence[int], then: Sequence[int]) -> Dict[int, tuple]:
    """One colour per class, the same in both panels: ``first`` (the plotted lines) take the
    palette in order, then the segment classes without a line."""
    import matplotlib
    palette = matplotlib.colormaps['tab20'].colors
    order = list(dict.fromkeys([int(k) for k in first] + [int(k) for k in then]))
    return {k: palette[(2 * i) % 20 + (2 * i) // 20 % 2] for i, k in enumerate(order)}


def plot_timeline(result: Dict, probs: np.ndarray, valid: np.ndarray, path: str,
                  max_classes: int = 8) -> None:
    """PNG: probabilities of the leading MGs over time, and the segments below.

    Args:
        result (dict): ``windows`` (``start_time`` / ``end_time`` each), ``classes``,
            ``segments`` (``label``, ``name``, ``start_time``, ``end_time``), ``video_id``,
            ``duration``, optional ``emotion`` (``prob_win``) and ``note``.
        probs (np.ndarray): (N, K) MG probabilities of the windows.
        valid (np.ndarray): (N,) windows with a person.
        path (str): The PNG (written atomically).
        max_classes (int): Lines drawn (the MGs with the highest peaks).

    A class has one colour in both panels; a segment is drawn over exactly the frames the JSON
    gives it, labelled in place only where its name fits; the legend under the bands names
    every segment class.
    """
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch
    windows, names, segments = result['windows'], result['classes'], result['segments']
    centres = np.array([(w['start_time'] + w['end_time']) / 2 for w in windows])
    lead = np.argsort(-probs[valid].max(0))[:max_classes] if valid.any() else []
    colours = class_colours(lead, [s['label'] for s in segments])
    width_in = 13
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(width_in, 7), sharex=True,
                                   gridspec_kw=dict(height_ratios=[3, 1.2]))
    for k in lead:
        ax1.plot(centres, np.where(valid, probs[:, k], np.nan), marker='o', ms=3, lw=1.5,
                 color=colours[int(k)], label=names[k])
    if len(lead):
        ax1.legend(fontsize=9, loc='upper left', bbox_to_anchor=(1.01, 1), borderaxespad=0,
                   title='leading MGs', title_fontsize=9)
    ax1.set_ylabel('MG probability', fontsize=10)
    ax1.set_ylim(0, 1)
    ax1.grid(alpha=0.3)
    emo = result.get('emotion')
    title = f"{result['video_id']}: micro-gesture timeline"
    if emo and emo.get('prob_win') is not None:
        title += f" | emotion: {emotion_wording(emo['prob_win'])}"
    ax1.set_title(title, fontsize=11)
    if result.get('note'):
        ax1.text(0.5, 0.97, result['note'], transform=ax1.transAxes, ha='center', va='top',
                 fontsize=9, color='0.3')

    duration = max(result['duration'], 1e-6)
    # a 9-pt character is ~5.4 pt wide; the band axis spans ~75 % of the figure width
    secs_per_char = duration * 5.4 / (0.75 * width_in * 72)
    for seg in segments:
        t0, t1 = seg['start_time'], seg['end_time']
        ax2.axvspan(t0, t1, ymin=0.1, ymax=0.9, color=colours[seg['label']], alpha=0.85, lw=0)
        if (t1 - t0) > secs_per_char * (len(seg['name']) + 2):
            ax2.text((t0 + t1) / 2, 0.5, seg['name'], ha='center', va='center', fontsize=9)
    if segments:
        shown = dict.fromkeys(s['label'] for s in segments)
        ax2.legend(handles=[Patch(color=colours[k], label=names[k]) for k in shown], fontsize=9,
                   loc='upper left', bbox_to_anchor=(1.01, 1), borderaxespad=0,
                   title='MG segments', title_fontsize=9)
    ax2.set_yticks([])
    ax2.set_ylim(0, 1)
    ax2.set_xlabel('time (s)', fontsize=10)
    ax2.set_xlim(0, duration)
    fig.tight_layout()
    with atomic_output(path) as tmp:
        fig.savefig(tmp, dpi=100)
    plt.close(fig)
