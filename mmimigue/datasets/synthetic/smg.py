"""A small synthetic SMG release (Kinect v2 CSV files) for tests and the demo.

Each subject gets a ``SampleXXXX/`` folder with ``_skeleton.csv``, ``_finelabels.csv``,
``_data.csv`` and ``_tflabels_new.csv`` in the release's layout (see
:mod:`mmimigue.datasets.converters.smg_kinect`). A standing body in the 25-joint NTU / Kinect
order idles between clips; each of the 17 micro-gesture classes moves a class-specific set of
joints towards class-specific targets (hands to face, neck, chest, hips, behind the back; legs
crossing or bouncing), some with a rubbing / scratching wiggle, so a skeleton model can learn the
classes. Subjects differ in size, position, facing and speed. Each sample holds a relaxed story
followed by a stressed one; during the stressed story self-touching classes are more frequent.
Everything is vectorised over time and joints.
"""
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

# NTU RGB+D / Kinect v2 joint indices (0-based).
(SPINE_BASE, SPINE_MID, NECK, HEAD, SH_L, EL_L, WR_L, HA_L, SH_R, EL_R, WR_R, HA_R, HIP_L, KN_L,
 AN_L, FO_L, HIP_R, KN_R, AN_R, FO_R, SPINE_SH, TIP_L, TH_L, TIP_R, TH_R) = range(25)

# Rest pose in metres relative to SpineBase: x to the subject's left, y up, z towards the camera
# is negative (the camera looks along +z).
REST = np.array([
    [0.00, 0.00, 0.00], [0.00, 0.30, 0.00], [0.00, 0.56, 0.00], [0.00, 0.72, 0.00],
    [0.18, 0.48, 0.00], [0.25, 0.22, 0.02], [0.27, 0.00, 0.00], [0.28, -0.07, 0.00],
    [-0.18, 0.48, 0.00], [-0.25, 0.22, 0.02], [-0.27, 0.00, 0.00], [-0.28, -0.07, 0.00],
    [0.10, -0.05, 0.00], [0.11, -0.45, 0.00], [0.11, -0.85, 0.02], [0.12, -0.90, -0.10],
    [-0.10, -0.05, 0.00], [-0.11, -0.45, 0.00], [-0.11, -0.85, 0.02], [-0.12, -0.90, -0.10],
    [0.00, 0.50, 0.00], [0.29, -0.15, 0.00], [0.25, -0.08, -0.03], [-0.29, -0.15, 0.00],
    [-0.25, -0.08, -0.03],
], np.float32)

ARM_L = (EL_L, WR_L, HA_L, TIP_L, TH_L)
ARM_R = (EL_R, WR_R, HA_R, TIP_R, TH_R)
LEG_L = (KN_L, AN_L, FO_L)
LEG_R = (KN_R, AN_R, FO_R)
_CHAIN_WEIGHT = (0.5, 1.0, 1.0, 1.0, 1.0)  # the elbow (knee) travels half as far as the hand

# Per class: ``moves`` (arm side, hand target relative to SpineBase), ``legs`` (leg side, ankle
# displacement), ``wiggle`` amplitude (m) of a rubbing motion of the moving joints, ``bounce``
# of the left leg, and extra joint displacements ``shift`` {joint: (dx, dy, dz)}.
_L, _R = 'L', 'R'
CLASS_PROGRAMS: List[dict] = [
    dict(moves=[], wiggle=0.0, shift={HEAD: (0, -0.06, -0.02), NECK: (0, -0.05, 0),
                                      SH_L: (0, 0.04, 0), SH_R: (0, 0.04, 0)}),  # turtling
    dict(moves=[(_R, (-0.03, 0.70, -0.10))], wiggle=0.015, shift={}),  # rubbing eyes/forehead
    dict(moves=[(_L, (-0.15, 0.25, -0.15)), (_R, (0.15, 0.25, -0.15))], wiggle=0.0,
         shift={}),  # folding arms
    dict(moves=[(_R, (0.00, 0.48, -0.08))], wiggle=0.0, shift={}),  # suprasternal notch
    dict(moves=[], wiggle=0.0, shift={}, legs=[(_L, (0.0, 0.0, -0.10))],
         bounce=0.05),  # moving legs
    dict(moves=[(_L, (0.03, 0.57, -0.06))], wiggle=0.012, shift={}),  # touching neck
    dict(moves=[(_L, (-0.08, 0.00, 0.15)), (_R, (0.08, 0.00, 0.15))], wiggle=0.0,
         shift={}),  # arms behind body
    dict(moves=[(_L, (-0.02, 0.10, -0.22)), (_R, (0.02, 0.10, -0.22))], wiggle=0.01,
         shift={}),  # rubbing hands
    dict(moves=[(_L, (0.15, -0.02, 0.02)), (_R, (-0.15, -0.02, 0.02))], wiggle=0.0,
         shift={EL_L: (0.12, 0.0, 0.05), EL_R: (-0.12, 0.0, 0.05)}),  # arms akimbo
    dict(moves=[], wiggle=0.0, shift={}, legs=[(_R, (0.21, 0.35, -0.14))]),  # crossing legs
    dict(moves=[(_R, (0.20, 0.35, -0.06))], wiggle=0.015, shift={}),  # scratching body
    dict(moves=[(_L, (0.00, 0.62, -0.10))], wiggle=0.01, shift={}),  # facial parts
    dict(moves=[(_R, (-0.10, 0.80, 0.00))], wiggle=0.02, shift={}),  # adjusting hair
    dict(moves=[(_R, (0.22, 0.22, -0.05))], wiggle=0.0, shift={}),  # holding arms
    dict(moves=[(_L, (0.06, 0.52, -0.06)), (_R, (-0.06, 0.52, -0.06))], wiggle=0.005,
         shift={}),  # pulling collar
    dict(moves=[(_R, (-0.05, 0.15, -0.25))], wiggle=0.025, shift={}),  # manipulating objects
    dict(moves=[(_L, (0.25, 0.25, -0.30)), (_R, (-0.25, 0.25, -0.30))], wiggle=0.06,
         shift={}),  # illustrative gestures
]
NUM_CLASSES = len(CLASS_PROGRAMS)
# Classes favoured while the subject is stressed (self-touching / self-soothing).
STRESS_CLASSES = (0, 1, 5, 7, 10, 11, 14)


def _envelope(t: int, rng: np.random.Generator) -> np.ndarray:
    """Raised-cosine in / hold / out over ``t`` frames, values in [0, 1]."""
    rise = max(2, int(t * rng.uniform(0.2, 0.35)))
    env = np.ones(t, np.float32)
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, rise, dtype=np.float32))
    env[:rise] = ramp
    env[t - rise:] = np.minimum(env[t - rise:], ramp[::-1])
    return env


def gesture_offsets(label: int, t: int, rng: np.random.Generator) -> np.ndarray:
    """Joint displacements (t, 25, 3) performing class ``label`` over ``t`` frames."""
    prog = CLASS_PROGRAMS[label]
    env = _envelope(t, rng)[:, None, None]
    target = np.zeros((25, 3), np.float32)
    for side, goal in prog['moves']:
        chain = ARM_L if side == _L else ARM_R
        d = np.asarray(goal, np.float32) - REST[chain[2]]  # hand goal
        target[list(chain)] += np.asarray(_CHAIN_WEIGHT, np.float32)[:, None] * d
    for side, goal in prog.get('legs', []):
        chain = LEG_L if side == _L else LEG_R
        d = np.asarray(goal, np.float32)  # ankle displacement
        target[list(chain)] += np.asarray((0.5, 1.0, 1.0), np.float32)[:, None] * d
    for j, d in prog['shift'].items():
        target[j] += np.asarray(d, np.float32)
    off = env * target[None]
    phase = np.arange(t, dtype=np.float32) * rng.uniform(0.5, 0.9)
    if prog['wiggle']:
        moving = np.flatnonzero(np.abs(target).sum(1) > 0)
        wig = prog['wiggle'] * np.stack([np.sin(phase), np.cos(phase * 1.3), 0 * phase], 1)
        off[:, moving] += env * wig[:, None, :]
    if prog.get('bounce'):
        bounce = prog['bounce'] * np.abs(np.sin(phase * 0.6))[:, None]
        off[:, list(LEG_L), 1] += env[:, :, 0] * bounce
    return off


def _rotation_y(angle: float) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], np.float32)


def synth_smg_sample(subject_id: int, num_clips: int, rng: np.random.Generator,
                     min_len: int = 20, max_len: int = 70
                     ) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One subject's recording.

    Returns:
        tuple: world joints (F, 25, 3) float32, finelabels (N, 3) int (1-based label, 1-based
        inclusive start / end), tflabels (2, 4) int (emo_id, start, end, emo_label).
    """
    scale = rng.uniform(0.9, 1.1)
    root = np.array([rng.uniform(-0.3, 0.3), rng.uniform(-0.2, 0.1), rng.uniform(2.2, 3.0)],
                    np.float32)
    rot = _rotation_y(rng.uniform(-0.25, 0.25))
    half = num_clips // 2
    clips, pieces, frame = [], [], 0
    weights = np.linspace(1.5, 0.5, NUM_CLASSES)  # a mild long tail
    for c in range(num_clips):
        gap = int(rng.integers(5, 15))
        pieces.append(np.zeros((gap, 25, 3), np.float32))
        frame += gap
        w = weights.copy()
        if c >= half:
            w[list(STRESS_CLASSES)] *= 3.0
        label = int(rng.choice(NUM_CLASSES, p=w / w.sum()))
        t = int(rng.integers(min_len, max_len + 1))
        pieces.append(gesture_offsets(label, t, rng))
        clips.append((label + 1, frame + 1, frame + t))  # 1-based inclusive
        frame += t
    pieces.append(np.zeros((int(rng.integers(5, 15)), 25, 3), np.float32))
    offsets = np.concatenate(pieces)
    n = offsets.shape[0]
    sway = 0.01 * np.sin(np.arange(n, dtype=np.float32) / 25.0 * rng.uniform(0.5, 1.5))
    body = REST[None] + offsets
    body[:, :, 0] += sway[:, None]
    body = (body * scale) @ rot.T + root
    body += rng.normal(0, 0.004, body.shape).astype(np.float32)
    mid = clips[half][1] - 1 if num_clips > 1 else n // 2
    hidden = int(rng.integers(1, 3))
    tf = np.array([[1, 1, mid, hidden * 10 + 1], [2, mid + 1, n, hidden * 10 + 2]], np.int64)
    return body.astype(np.float32), np.array(clips, np.int64), tf


def _skeleton_rows(world: np.ndarray) -> np.ndarray:
    """(F, 25, 3) world joints -> (F, 275) rows of the release's 11 values per joint."""
    f = world.shape[0]
    vals = np.zeros((f, 25, 11), np.float32)
    vals[..., 0:3] = world
    vals[..., 3] = 1.0  # identity orientation quaternion (w, x, y, z)
    z = np.maximum(world[..., 2], 0.5)
    vals[..., 7] = 960 + 1060 * world[..., 0] / z  # colour-pixel xy of a 1920x1080 camera
    vals[..., 8] = 540 - 1060 * world[..., 1] / z
    return vals.reshape(f, -1)


def make_synthetic_smg(out_dir: str, num_subjects: int = 40, clips_per_subject: int = 12,
                       seed: int = 0, subjects: Optional[Sequence[int]] = None,
                       fps: int = 30) -> Dict[str, object]:
    """Write a synthetic SMG release under ``out_dir``.

    Args:
        out_dir (str): Output folder (``SampleXXXX/`` folders are created inside).
        num_subjects (int): Subjects 1..num_subjects (ignored when ``subjects`` is given).
        clips_per_subject (int): Micro-gesture clips per subject.
        seed (int): Random seed.
        subjects (Sequence[int], optional): Explicit subject ids.
        fps (int): Frame rate written to ``_data.csv``.

    Returns:
        dict: ``subjects``, ``clips`` and ``frames`` written.
    """
    rng = np.random.default_rng(seed)
    ids = list(subjects) if subjects is not None else list(range(1, num_subjects + 1))
    total_clips = total_frames = 0
    for sid in ids:
        world, labels, tf = synth_smg_sample(sid, clips_per_subject, rng)
        name = f'Sample{sid:04d}'
        d = osp.join(out_dir, name)
        os.makedirs(d, exist_ok=True)
        np.savetxt(osp.join(d, f'{name}_skeleton.csv'), _skeleton_rows(world), fmt='%.5f',
                   delimiter=',')
        np.savetxt(osp.join(d, f'{name}_finelabels.csv'), labels, fmt='%d', delimiter=',')
        np.savetxt(osp.join(d, f'{name}_tflabels_new.csv'), tf, fmt='%d', delimiter=',')
        with open(osp.join(d, f'{name}_data.csv'), 'w') as f:
            f.write(f'{world.shape[0]},{fps},4500\n')
        total_clips += len(labels)
        total_frames += world.shape[0]
    return dict(subjects=ids, clips=total_clips, frames=total_frames)
