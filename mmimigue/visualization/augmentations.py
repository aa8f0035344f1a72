"""The augmentation grid: a skeleton clip before and after each MG augmentation.

Rows: the original clip, then one row per augmentation (its drawn parameters in the row label).
Columns: evenly spaced frames (skeleton drawn with the layout's edges, the original in grey
behind the augmented one), and a last column with the wrists' vertical position over time, where
the temporal augmentations (repeat / reverse / posterize) are visible. Coordinates are shown
after ``PreNormalize2D``, drawn with the image's aspect ratio, image y pointing down.
"""
import os.path as osp
from typing import Dict, List, Tuple

import numpy as np

from ..fileio import atomic_output
from ..skeleton.layouts import graph_layout


def make_demo_clip(num_frames: int = 48, seed: int = 0) -> Dict:
    """A 22-joint upper body (imigue22 order) in 1280x720 pixels touching its chin and returning.

    imigue22 joints: 0 nose, 1 neck, 2-4 right shoulder/elbow/wrist, 5-7 left shoulder/elbow/wrist,
    8/9 right/left eye, 10/11 right/left ear, 12-16 left fingertips, 17-21 right fingertips.
    """
    rng = np.random.default_rng(seed)
    base = np.array([[640, 330], [640, 420], [530, 430], [500, 560], [540, 650], [750, 430],
                     [780, 560], [740, 650], [620, 315], [660, 315], [595, 325], [685, 325]],
                    dtype=np.float64)
    phase = np.sin(np.linspace(0, np.pi, num_frames)) ** 2  # round trip: rest -> chin -> rest
    kp = np.repeat(base[None], num_frames, axis=0)
    chin = np.array([610.0, 385.0])
    kp[:, 4] = base[4] + phase[:, None] * (chin - base[4])  # right wrist
    kp[:, 3] = base[3] + phase[:, None] * (np.array([470.0, 470.0]) - base[3])  # right elbow
    kp[:, [0, 8, 9, 10, 11]] += 6 * phase[:, None, None] * np.array([-1.0, 1.0])  # head tilts
    fan = np.linspace(-0.6, 0.6, 5)

    def fingertips(wrist: np.ndarray, elbow: np.ndarray) -> np.ndarray:
        d = wrist - elbow
        ang = np.arctan2(d[:, 1], d[:, 0])[:, None] + fan[None]
        return wrist[:, None] + 35 * np.stack([np.cos(ang), np.sin(ang)], -1)

    tips_l, tips_r = fingertips(kp[:, 7], kp[:, 6]), fingertips(kp[:, 4], kp[:, 3])
    kp = np.concatenate([kp, tips_l, tips_r], axis=1) + rng.normal(0, 1.5, (num_frames, 22, 2))
    score = rng.uniform(0.7, 1.0, (1, num_frames, 22)).astype(np.float32)
    return dict(keypoint=kp[None].astype(np.float32), keypoint_score=score,
                total_frames=num_frames, img_shape=(720, 1280), frame_dir='demo')


def load_clip(ann_file: str, index: int, layout: str) -> Dict:
    """Annotation ``index`` of a converted pickle (inline or mmap storage) in ``layout``."""
    from ..datasets.keypoint_store import load_layout_clips
    clips = load_layout_clips(ann_file, layout)
    if not -len(clips) <= index < len(clips):
        raise ValueError(f'{ann_file}: --index {index} out of range ({len(clips)} annotations)')
    return clips[index]


def default_augmentations(center: int) -> List[dict]:
    return [dict(type='MGCoordinatePerturb'), dict(type='MGViewPerturb', center=center),
            dict(type='MGStretch', center=center), dict(type='MGRepeatClip'),
            dict(type='MGReverseClip'), dict(type='MGPosterizeTime')]


def describe(params: Dict) -> str:
    parts = []
    for k, v in params.items():
        if k == 'matrix':
            v = np.asarray(v)[:2, :2]
        if isinstance(v, np.ndarray):
            v = np.array2string(np.round(v, 2).ravel()[:6], separator=',')
        elif isinstance(v, float):
            v = f'{v:.2f}'
        parts.append(f'{k}={v}')
    return '\n'.join(parts)[:160]


def render(clip: Dict, augs: List[dict], layout: str, out: str, num_cols: int, seed: int,
           dpi: int) -> Tuple[str, int]:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from mmaction.registry import TRANSFORMS

    import mmimigue.registration  # noqa: F401  (compat shims + registration)
    edges = np.array(graph_layout(layout)['inward'])

    base = TRANSFORMS.build(dict(type='PreNormalize2D'))(
        dict(clip, keypoint=clip['keypoint'].astype(np.float32).copy()))
    np.random.seed(seed)
    rows = [('original', '', base['keypoint'])]
    for cfg in augs:
        t = TRANSFORMS.build(cfg)
        params = t.sample_params(base['keypoint'])
        res = t.apply(dict(base, keypoint=base['keypoint'].copy()), params)
        rows.append((cfg['type'], describe(params), res['keypoint']))

    img_h, img_w = clip.get('img_shape', (1080, 1920))
    orig = base['keypoint'][0]
    num_frames = orig.shape[0]
    cols = np.unique(np.linspace(0, num_frames - 1, num_cols).round().astype(int))
    from matplotlib.lines import Line2D
    fig, axes = plt.subplots(len(rows), len(cols) + 1,
                             figsize=(2.1 * (len(cols) + 1.8), 2.3 * len(rows)), squeeze=False)
    for r, (name, desc, kp) in enumerate(rows):
        kp = kp[0]
        # limits per row, over the original and this row's result: a view change or a stretch
        # that moves the body keeps it inside its own panels
        pts = np.concatenate([orig.reshape(-1, 2), kp.reshape(-1, 2)])
        pts = pts[np.isfinite(pts).all(1)]
        lo, hi = np.percentile(pts, 0.5, axis=0), np.percentile(pts, 99.5, axis=0)
        pad = 0.08 * (hi - lo).max()
        for c, t in enumerate(cols):
            ax = axes[r, c]
            if r:
                ax.add_collection(LineCollection(orig[t][edges], colors='0.75', linewidths=1.2))
            ax.add_collection(LineCollection(kp[t][edges], colors='C0' if r == 0 else 'C3',
                                             linewidths=1.8))
            ax.scatter(kp[t, :, 0], kp[t, :, 1], s=6, c='k', zorder=3)
            ax.set_xlim(lo[0] - pad, hi[0] + pad)
            ax.set_ylim(hi[1] + pad, lo[1] - pad)  # image y points down
            ax.set_aspect(img_h / img_w)  # PreNormalize2D scales x by W/2, y by H/2
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f'frame {t}', fontsize=11)
        axes[r, 0].set_ylabel(name.replace('MG', ''), fontsize=11)
        ax = axes[r, -1]
        for j, color in ((4, 'C3'), (7, 'C2')):  # right / left wrist (imigue22)
            if j < kp.shape[1]:
                ax.plot(orig[:, j, 1], color='0.75', lw=1.2)
                ax.plot(kp[:, j, 1], color=color, lw=1.6)
        ax.invert_yaxis()
        ax.tick_params(labelsize=9)
        ax.set_xlabel('frame', fontsize=9)
        ax.set_title('wrist height over time' if r == 0 else
                     '\n'.join(desc.split('\n')[:2])[:70], fontsize=8, family='monospace')
    handles = [Line2D([], [], color='C0', lw=2, label='original clip'),
               Line2D([], [], color='C3', lw=2, label='augmented (skeleton panels)'),
               Line2D([], [], color='0.75', lw=2, label='original, under the augmented one'),
               Line2D([], [], color='C3', lw=1.6, ls='-', label='right wrist y (last column)'),
               Line2D([], [], color='C2', lw=1.6, label='left wrist y (last column)')]
    fig.legend(handles=handles, loc='lower center', ncol=3, fontsize=10, frameon=False,
               bbox_to_anchor=(0.5, -0.02))
    fig.suptitle(f'MG augmentations ({clip.get("frame_dir", "clip")}, layout {layout}, '
                 f'seed {seed})', fontsize=13)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    with atomic_output(out) as tmp:
        fig.savefig(tmp, dpi=dpi, bbox_inches='tight')
    plt.close(fig)
    return out, osp.getsize(out)
