"""A second, independent synthetic iMiGUE: a 3D seated speaker seen by a perspective camera.

:mod:`.imigue_generator` draws a 2D body in body units and places it on the image with a scale,
a shift and a roll, so a recipe that normalises those three away sees nearly the same skeleton
for every subject. This generator shares none of its body model or gesture programs and makes
the subjects differ the way press-conference speakers do:

* body: a 3D skeleton in metres with per-subject shoulder width, arm, neck and hand lengths;
* camera: distance, focal length, yaw (up to 35 degrees off frontal), pitch and roll, the
  speaker anywhere in the frame, seen through a pinhole projection (so depth changes size);
* gestures: each class is a 3D wrist target relative to a moving head or torso, with its
  own oscillation, finger curl and elbow pose; every subject has a personal style per class
  (target offset, tempo, amplitude, duration) and a preferred hand that is not always used;
* idle motion between MGs: talking head nods, posture drift, resting hands that wander and
  unlabelled beat gestures; clip lengths are log-normal like iMiGUE's (median ~40 frames);
* detector realities like OpenPose's: pixel jitter, hands lost for spans (more for some
  speakers), left/right hand blocks swapped on some frames, runs of empty frames, a second
  person (a journalist in the foreground or background) listed before or after the speaker.

It writes the official raw layout (``labels.csv`` + per-frame OpenPose 1.3 JSON), so the same
converter and configs apply. Generation is deterministic by seed, per video (independent of the
number of worker processes). Test subjects can be filmed from wider angles than the training
subjects (``test_yaw_deg``): a setting the model never saw.
"""
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np

from ...protocol import imigue_subject_split
from ...skeleton.layouts import FACE_OFFSET, HAND, LHAND_OFFSET, NUM_OPENPOSE_KEYPOINTS, RHAND_OFFSET
from .imigue_generator import (
    NATIONALITIES,
    _class_weights,
    person_json,
    plan_videos,
    write_frames,
    write_release,
)

FPS = 25.0
IMG_W, IMG_H = 1280, 720
R, L = 0, 1  # arm index: the speaker's right and left


@dataclass
class InterviewConfig:
    """Size and difficulty (defaults: 16 subjects, 8 held out, ~640 clips in ~15 s)."""
    num_train_subjects: int = 8
    num_test_subjects: int = 8
    videos_per_subject: int = 2
    clips_per_video: Tuple[int, int] = (16, 24)
    clip_median_frames: float = 40.0
    clip_log_sigma: float = 0.55
    gap_seconds: Tuple[float, float] = (0.3, 2.5)
    tail_power: float = 0.5
    emotion_boost: float = 3.0
    train_yaw_deg: float = 25.0
    test_yaw_deg: float = 35.0
    style: float = 1.0  # scale of the per-subject gesture style (0 = everybody alike)
    empty_run_prob: float = 0.003
    hand_swap_prob: float = 0.01
    seed: int = 0


@dataclass(frozen=True)
class Program:
    """One MG class. ``target`` is the right wrist's goal (metres, x = speaker's left, y down,
    z towards the camera) relative to ``base`` ('head' centre or 'neck'); the left hand
    mirrors x. ``hands``: 'one' (a preferred hand) or 'both'. ``osc``: (amplitude m, Hz, axis)
    with axis 0/1/2 or 3 for a circle in x-y. ``curl``: finger length factor. ``pole``: elbow
    direction ('down' or 'out'). ``hidden``: the hands leave the camera's view. ``body``: a
    head / torso / shoulder motion instead of a hand target."""
    target: Tuple[float, float, float] = (0., 0., 0.)
    base: str = 'neck'
    hands: str = 'one'
    osc: Tuple[float, float, int] = (0., 0., 0)
    curl: float = 1.0
    pole: str = 'down'
    hidden: bool = False
    fingers_up: bool = False
    body: Optional[str] = None
    amount: float = 0.0


PROGRAMS: Dict[int, Program] = {
    1: Program(body='turtle', amount=0.05),
    2: Program(body='breath', amount=0.03),
    3: Program((-0.02, -0.13, 0.02), 'head', curl=0.9),
    4: Program((-0.08, -0.08, 0.0), 'head', osc=(0.015, 4.0, 0), curl=0.6),
    5: Program((-0.01, -0.06, 0.10), 'head', osc=(0.012, 3.5, 0), curl=0.6),
    6: Program((-0.045, 0.01, 0.13), 'head', hands='both', curl=1.0),
    7: Program((-0.035, -0.02, 0.11), 'head', osc=(0.008, 3.0, 3), curl=0.5),
    8: Program((-0.055, 0.03, 0.09), 'head', osc=(0.01, 2.5, 1), curl=0.6),
    9: Program((-0.095, 0.0, 0.0), 'head', curl=0.8),
    10: Program((-0.005, 0.06, 0.13), 'head', osc=(0.004, 5.0, 0), curl=0.4),
    11: Program((-0.04, 0.10, 0.07), 'head', curl=0.7),
    12: Program((-0.04, -0.04, 0.06), 'neck', osc=(0.012, 4.0, 1), curl=0.6),
    13: Program((-0.10, -0.22, -0.03), 'neck', osc=(0.035, 1.2, 1), curl=0.9, pole='out'),
    14: Program((-0.04, 0.03, 0.09), 'neck', hands='both', osc=(0.015, 2.0, 1), curl=0.5),
    15: Program((0.0, 0.03, 0.08), 'neck', curl=0.8),
    16: Program((-0.07, -0.03, -0.11), 'neck', osc=(0.02, 3.0, 1), curl=0.6, pole='out',
                hidden=True),
    17: Program((0.14, 0.25, 0.13), 'neck', hands='both', curl=0.5),
    18: Program((0.10, 0.13, 0.10), 'neck', osc=(0.04, 2.5, 1), curl=1.0),
    19: Program((-0.20, 0.46, -0.16), 'neck', hands='both', hidden=True),
    20: Program(body='torso', amount=0.05),
    21: Program(body='straight', amount=0.05),
    22: Program((0.21, 0.16, 0.06), 'neck', osc=(0.015, 3.0, 1), curl=0.6),
    23: Program((-0.03, 0.38, 0.28), 'neck', hands='both', osc=(0.02, 2.5, 0), curl=0.6),
    24: Program((-0.025, 0.36, 0.27), 'neck', hands='both', curl=0.4),
    25: Program((-0.07, 0.27, 0.25), 'neck', hands='both', curl=1.0, fingers_up=True),
    26: Program((-0.12, 0.40, 0.32), 'neck', osc=(0.01, 2.0, 3), curl=0.7),
    27: Program((-0.27, 0.50, -0.08), 'neck', hands='both', hidden=True),
    28: Program(body='head_up', amount=0.04),
    29: Program(body='lips', amount=0.6),
    30: Program((-0.18, 0.42, 0.0), 'neck', hands='both', curl=0.7, pole='out'),
    31: Program(body='shrug', amount=0.015),
    99: Program((-0.13, 0.22, 0.30), 'neck', hands='both', osc=(0.08, 1.5, 3), curl=1.0),
}
CLASS_IDS = tuple(sorted(PROGRAMS))


@dataclass
class Speaker:
    """One subject: body, camera, gesture style and how well the detector sees them."""
    subject_id: int
    gender: str
    nationality: str
    shoulder: float  # half shoulder width (m)
    arm: Tuple[float, float]  # upper arm, forearm (m)
    neck: float  # neck to head centre (m)
    hand: float  # hand length factor
    yaw: float
    pitch: float
    roll: float
    depth: float  # camera distance (m)
    focal: float  # pixels
    center: Tuple[float, float]  # neck in pixels
    right_handed: float  # probability of using the right hand for one-hand MGs
    offsets: np.ndarray  # (num_classes, 3) personal target offsets (m)
    tempo: np.ndarray  # (num_classes,) oscillation frequency factor
    amp: np.ndarray  # (num_classes,) motion amplitude factor
    duration: np.ndarray  # (num_classes,) clip length factor
    rest: np.ndarray  # (2, 3) wrist rest positions (m, relative to the neck)
    talk: float  # idle head-motion amplitude (m)
    jitter: float  # detector jitter (pixels)
    hand_miss: float  # probability per frame that a hand detection run starts being lost


def make_speakers(cfg: InterviewConfig) -> List[Speaker]:
    """Train speakers from the official train subject list, test speakers from the others."""
    rng = np.random.default_rng([cfg.seed, 10])
    train_pool, _ = imigue_subject_split()
    test_pool = [s for s in range(1, 73) if s not in set(train_pool)]
    if cfg.num_train_subjects > len(train_pool) or cfg.num_test_subjects > len(test_pool):
        raise ValueError(f'at most {len(train_pool)} train and {len(test_pool)} test subjects')
    train_ids = rng.choice(train_pool, cfg.num_train_subjects, replace=False).tolist()
    test_ids = rng.choice(test_pool, cfg.num_test_subjects, replace=False).tolist()
    n_cls, s = len(CLASS_IDS), cfg.style
    speakers = []
    for sid in sorted(train_ids + test_ids):
        size = rng.uniform(0.85, 1.15)
        yaw_max = cfg.train_yaw_deg if sid in train_ids else cfg.test_yaw_deg
        depth = rng.uniform(1.8, 3.5)
        rest_x = rng.uniform(0.08, 0.22)
        rest = np.array([[-rest_x, rng.uniform(0.36, 0.46), rng.uniform(0.2, 0.34)],
                         [rest_x + rng.normal(0, 0.03), rng.uniform(0.36, 0.46),
                          rng.uniform(0.2, 0.34)]])
        speakers.append(Speaker(
            subject_id=int(sid), gender=str(rng.choice(['M', 'F'])),
            nationality=str(rng.choice(NATIONALITIES)),
            shoulder=0.19 * size * rng.uniform(0.9, 1.1),
            arm=(0.30 * size * rng.uniform(0.93, 1.07), 0.26 * size * rng.uniform(0.93, 1.07)),
            neck=0.20 * size * rng.uniform(0.9, 1.1), hand=size * rng.uniform(0.9, 1.1),
            yaw=float(np.deg2rad(rng.uniform(-yaw_max, yaw_max))),
            pitch=float(np.deg2rad(rng.uniform(-8, 18))),
            roll=float(np.deg2rad(rng.uniform(-6, 6))), depth=depth,
            focal=depth * rng.uniform(420, 900),
            center=(rng.uniform(380, 900), rng.uniform(230, 400)),
            right_handed=float(rng.choice([0.85, 0.15], p=[0.75, 0.25])),
            offsets=rng.normal(0, 0.02 * s, (n_cls, 3)),
            tempo=np.exp(rng.normal(0, 0.2 * s, n_cls)),
            amp=np.exp(rng.normal(0, 0.3 * s, n_cls)),
            duration=np.exp(rng.normal(0, 0.25 * s, n_cls)),
            rest=rest, talk=rng.uniform(0.004, 0.015), jitter=rng.uniform(0.8, 3.5),
            hand_miss=rng.uniform(0.002, 0.03)))
    return speakers


def _smooth_noise(rng: np.random.Generator, num_frames: int, dims: int, freqs=(0.3, 2.0),
                  terms: int = 3) -> np.ndarray:
    """(T, dims) band-limited noise with unit-ish amplitude: a few random sinusoids."""
    t = np.arange(num_frames)[:, None, None] / FPS
    f = rng.uniform(*freqs, (1, terms, dims))
    ph = rng.uniform(0, 2 * np.pi, (1, terms, dims))
    return (np.sin(2 * np.pi * f * t + ph).sum(1) / np.sqrt(terms)).astype(np.float32)


def _envelope(num_frames: int, rng: np.random.Generator) -> np.ndarray:
    """0 -> 1 -> 0 with random approach / return lengths (smoothstep)."""
    t = np.arange(num_frames, dtype=np.float32)
    rise = max(2.0, num_frames * rng.uniform(0.12, 0.35))
    fall = max(2.0, num_frames * rng.uniform(0.12, 0.35))
    e = np.minimum(np.clip(t / rise, 0, 1), np.clip((num_frames - 1 - t) / fall, 0, 1))
    return e * e * (3 - 2 * e)


def _elbow(shoulder: np.ndarray, wrist: np.ndarray, lengths: Tuple[float, float],
           pole: np.ndarray) -> Tuple[np.ndarray, np.ndarray]:
    """Two-bone IK in 3D: (elbow, reachable wrist), bending towards ``pole`` (3,)."""
    l1, l2 = lengths
    d = wrist - shoulder
    dist = np.linalg.norm(d, axis=-1, keepdims=True)
    unit = d / np.maximum(dist, 1e-6)
    dist = np.clip(dist, abs(l1 - l2) + 1e-3, l1 + l2 - 1e-3)
    wrist = shoulder + unit * dist
    a = (l1 ** 2 + dist ** 2 - l2 ** 2) / (2 * dist)
    h = np.sqrt(np.maximum(l1 ** 2 - a ** 2, 0))
    perp = pole - (unit @ pole)[:, None] * unit
    perp /= np.maximum(np.linalg.norm(perp, axis=-1, keepdims=True), 1e-6)
    return shoulder + a * unit + h * perp, wrist


_FINGER_ANGLES = np.array([-1.0, -0.35, 0.0, 0.3, 0.6])
_FINGER_LENGTHS = np.array([0.07, 0.10, 0.11, 0.10, 0.085])


def _hand(wrist: np.ndarray, forward: np.ndarray, curl: np.ndarray, mirror: float,
          size: float) -> np.ndarray:
    """(T, 21, 3) OpenPose hand points: four per finger, fanned in the plane facing the camera."""
    fwd = forward / np.maximum(np.linalg.norm(forward, axis=-1, keepdims=True), 1e-6)
    side = np.cross(fwd, np.array([0., 0., 1.]))
    side /= np.maximum(np.linalg.norm(side, axis=-1, keepdims=True), 1e-6)
    ang = mirror * _FINGER_ANGLES[None, :] * (0.4 + 0.6 * curl[:, None])  # (T, 5)
    dirs = (np.cos(ang)[..., None] * fwd[:, None] + np.sin(ang)[..., None] * side[:, None])
    frac = np.array([0.3, 0.55, 0.78, 1.0])
    length = _FINGER_LENGTHS[None, :, None] * size * frac[None, None] * curl[:, None, None]
    pts = wrist[:, None, None] + dirs[:, :, None] * length[..., None]  # (T, 5, 4, 3)
    return np.concatenate([wrist[:, None], pts.reshape(len(wrist), 20, 3)], 1)


def _face(head: np.ndarray, r: float, lips_closed: np.ndarray) -> np.ndarray:
    """(T, 70, 3) OpenPose face points on the front of the head sphere."""
    a = np.linspace(-1.2, 1.2, 17)
    jaw = np.stack([0.9 * np.sin(a), 0.35 + 0.55 * np.cos(a), 0.6 * np.cos(a)], 1)
    brows = np.stack([np.r_[np.linspace(-0.7, -0.15, 5), np.linspace(0.15, 0.7, 5)],
                      np.full(10, -0.42), np.full(10, 0.85)], 1)
    nose = np.stack([np.r_[np.zeros(4), np.linspace(-0.22, 0.22, 5)],
                     np.r_[np.linspace(-0.3, 0.1, 4), np.full(5, 0.2)],
                     np.r_[np.linspace(0.95, 1.15, 4), np.full(5, 1.0)]], 1)
    e = np.linspace(0, 2 * np.pi, 6, endpoint=False)
    eyes = np.concatenate([np.stack([c + 0.14 * np.cos(e), -0.25 + 0.05 * np.sin(e),
                                     np.full(6, 0.9)], 1) for c in (-0.38, 0.38)])
    m = np.linspace(0, 2 * np.pi, 20, endpoint=False)
    lips = np.stack([0.3 * np.cos(m), 0.5 + 0.1 * np.sin(m), np.full(20, 0.9)], 1)
    pupils = np.array([[-0.38, -0.25, 0.95], [0.38, -0.25, 0.95]])
    face = np.concatenate([jaw, brows, nose, eyes, lips, pupils]) * r  # (70, 3)
    out = np.repeat(face[None], len(head), 0)
    lip_rows = slice(48, 68)
    out[:, lip_rows, 1] = 0.5 * r + (out[:, lip_rows, 1] - 0.5 * r) * (1 - lips_closed)[:, None]
    return out + head[:, None]


def animate(class_id: Optional[int], num_frames: int, sp: Speaker, rng: np.random.Generator,
            beat: bool = False) -> Tuple[np.ndarray, np.ndarray]:
    """3D points (T, 137, 3) of one clip (``class_id=None``: idle, ``beat`` adds a talking
    beat gesture) and the hidden-hand mask (T, 2) for [right, left]."""
    t = np.arange(num_frames) / FPS
    k = CLASS_IDS.index(class_id) if class_id is not None else None
    prog = PROGRAMS[class_id] if class_id is not None else Program()
    env = _envelope(num_frames, rng)
    amp = sp.amp[k] if k is not None else 1.0
    tempo = sp.tempo[k] if k is not None else 1.0

    torso = 0.006 * _smooth_noise(rng, num_frames, 3, (0.05, 0.4))  # posture drift
    head = np.array([0., -sp.neck, 0.02]) + sp.talk * _smooth_noise(rng, num_frames, 3,
                                                                      (0.6, 2.5))
    shoulders = np.array([[-sp.shoulder, 0.02, 0.], [sp.shoulder, 0.02, 0.]])
    shoulders = np.repeat(shoulders[None], num_frames, 0)
    lips = np.zeros(num_frames)
    a = prog.amount * amp * env
    if prog.body == 'turtle':
        head[:, 1] += a
        head[:, 2] -= 0.5 * a
        shoulders[:, :, 1] -= 0.5 * a[:, None]
    elif prog.body == 'breath':
        shoulders[:, :, 1] -= a[:, None]
        shoulders[:, :, 0] *= 1 + 0.8 * a[:, None]
        head[:, 1] -= 0.5 * a
    elif prog.body == 'torso':
        sway = np.sin(2 * np.pi * 0.6 * tempo * t + rng.uniform(0, 6.3))
        torso[:, 0] += a * sway
        torso[:, 2] += 0.6 * a * np.cos(2 * np.pi * 0.3 * tempo * t)
    elif prog.body == 'straight':
        torso[:, 1] -= a
        torso[:, 2] -= 0.4 * a
    elif prog.body == 'head_up':
        head[:, 1] -= 0.5 * a
        head[:, 2] -= a
    elif prog.body == 'lips':
        lips = np.minimum(a, 0.95)
        head[:, 2] += 0.01 * env
    elif prog.body == 'shrug':
        shoulders[:, :, 1] += (a * np.sin(2 * np.pi * 3.0 * tempo * t))[:, None]

    wrists = sp.rest[None] + 0.015 * _smooth_noise(rng, num_frames, 3, (0.1, 0.6))[:, None]
    if beat:  # an unlabelled talking beat: the hands lift a little and tap
        lift = _envelope(num_frames, rng)
        wrists[:, :, 1] -= (0.04 * lift * (1 + np.sin(2 * np.pi * 2.0 * t)))[:, None]
    hidden = np.zeros((num_frames, 2), bool)
    curl = np.ones((num_frames, 2))
    forward, active = {}, set()
    if prog.body is None and class_id is not None:
        if prog.hands == 'both':
            arms = [R, L]
        else:
            arms = [R if rng.random() < sp.right_handed else L]
        for arm in arms:
            active.add(arm)
            mirror = -1.0 if arm == R else 1.0
            goal = np.asarray(prog.target) * (sp.shoulder / 0.19) + sp.offsets[k]
            goal = goal * np.array([-mirror, 1, 1])  # targets are written for the right hand
            path = (head if prog.base == 'head' else torso) + goal
            osc_amp, freq, axis = prog.osc
            if osc_amp > 0:
                ph = 2 * np.pi * freq * tempo * t + rng.uniform(0, 2 * np.pi)
                osc = np.zeros((num_frames, 3))
                if axis == 3:
                    osc[:, 0], osc[:, 1] = np.cos(ph), np.sin(ph)
                else:
                    osc[:, axis] = np.sin(ph)
                path = path + osc_amp * amp * osc
            wrists[:, arm] = wrists[:, arm] + env[:, None] * (path - wrists[:, arm])
            curl[:, arm] = 1 + env * (prog.curl - 1)
            hidden[:, arm] = prog.hidden & (env > 0.5)
            if prog.fingers_up:
                forward[arm] = np.array([0., -1., 0.2])
    shoulders = shoulders + torso[:, None]
    head = head + torso
    elbows = np.zeros_like(wrists)
    for arm in (R, L):
        side = -1.0 if arm == R else 1.0
        pole = (np.array([side * 1.5, 0.4, -0.4]) if prog.pole == 'out' and arm in active
                else np.array([side * 0.5, 1.0, -0.3]))
        elbows[:, arm], wrists[:, arm] = _elbow(shoulders[:, arm], wrists[:, arm], sp.arm, pole)

    pts = np.zeros((num_frames, NUM_OPENPOSE_KEYPOINTS, 3))
    r_head = 0.1 * sp.shoulder / 0.19
    pts[:, 1] = torso
    pts[:, 0] = head + np.array([0, 0.01, r_head])
    pts[:, 15], pts[:, 16] = head + [-0.035, -0.025, 0.8 * r_head], head + [0.035, -0.025,
                                                                            0.8 * r_head]
    pts[:, 17], pts[:, 18] = head + [-r_head, 0, 0], head + [r_head, 0, 0]
    pts[:, [2, 5]] = shoulders
    pts[:, [3, 6]] = elbows
    pts[:, [4, 7]] = wrists
    pts[:, 8] = torso * 0.3 + [0, 0.50, 0]
    pts[:, 9], pts[:, 12] = pts[:, 8] + [-0.1, 0, 0], pts[:, 8] + [0.1, 0, 0]
    pts[:, FACE_OFFSET:FACE_OFFSET + 70] = _face(head, r_head, lips)
    for arm, offset, mirror in ((R, RHAND_OFFSET, -1.0), (L, LHAND_OFFSET, 1.0)):
        fwd = wrists[:, arm] - elbows[:, arm]
        if arm in forward:
            fwd = fwd + env[:, None] * (forward[arm] * np.linalg.norm(fwd, axis=-1,
                                                                       keepdims=True) - fwd)
        pts[:, offset:offset + HAND] = _hand(wrists[:, arm], fwd, curl[:, arm], mirror, sp.hand)
    return pts, hidden


def project(pts: np.ndarray, sp: Speaker) -> np.ndarray:
    """Body-frame metres (..., 3) -> pixels (..., 2): rotate by the camera's yaw / pitch / roll
    about the neck, then a pinhole projection at the speaker's distance."""
    cy, sy = np.cos(sp.yaw), np.sin(sp.yaw)
    cp, spch = np.cos(sp.pitch), np.sin(sp.pitch)
    cr, sr = np.cos(sp.roll), np.sin(sp.roll)
    yaw = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    pitch = np.array([[1, 0, 0], [0, cp, -spch], [0, spch, cp]])
    roll = np.array([[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]])
    p = pts @ (roll @ pitch @ yaw).T
    depth = np.maximum(sp.depth - p[..., 2], 0.3)
    return np.stack([sp.focal * p[..., 0] / depth + sp.center[0],
                     sp.focal * p[..., 1] / depth + sp.center[1]], -1)


def detect(pts: np.ndarray, hidden: np.ndarray, sp: Speaker, rng: np.random.Generator,
           cfg: InterviewConfig) -> np.ndarray:
    """3D points -> (T, 137, 3) OpenPose-like detections: pixels, confidence, misses."""
    num_frames = len(pts)
    xy = project(pts, sp)
    noise = rng.normal(0, sp.jitter, xy.shape)
    noise[:, LHAND_OFFSET:] *= 1.8
    xy = xy + noise
    conf = rng.uniform(0.45, 0.95, (num_frames, NUM_OPENPOSE_KEYPOINTS))
    conf[:, [8, 9, 12]] *= 0.3
    conf[:, [10, 11, 13, 14] + list(range(19, 25))] = 0  # legs behind the table
    conf[:, LHAND_OFFSET:] *= 0.7
    for arm, offset in ((R, RHAND_OFFSET), (L, LHAND_OFFSET)):
        lost = hidden[:, arm].copy()
        starts = np.flatnonzero(rng.random(num_frames) < sp.hand_miss)
        for s in starts:  # runs of lost hand detections (a few per clip at most)
            lost[s:s + rng.integers(3, 20)] = True
        conf[lost, offset:offset + HAND] = 0
        conf[hidden[:, arm], 4 if arm == R else 7] *= 0.2
    outside = ((xy[..., 0] < 0) | (xy[..., 0] >= IMG_W) | (xy[..., 1] < 0) |
               (xy[..., 1] >= IMG_H + 80))
    conf[outside] = 0
    swap = rng.random(num_frames) < cfg.hand_swap_prob  # OpenPose mixes the two hands up
    xy[swap, LHAND_OFFSET:], conf[swap, LHAND_OFFSET:] = (
        np.concatenate([xy[swap, RHAND_OFFSET:], xy[swap, LHAND_OFFSET:RHAND_OFFSET]], 1),
        np.concatenate([conf[swap, RHAND_OFFSET:], conf[swap, LHAND_OFFSET:RHAND_OFFSET]], 1))
    xy[conf == 0] = 0
    return np.concatenate([xy, conf[..., None]], -1).astype(np.float32)


def render_video(plan: dict, cfg: InterviewConfig) -> Tuple[np.ndarray, List[dict]]:
    """All detections of one video (T, 137, 3) and its labels.csv rows."""
    rng = np.random.default_rng([cfg.seed, 12, plan['index']])
    sp: Speaker = plan['subject']
    ids, probs = _class_weights(plan['emotion'], cfg)
    num_clips = int(rng.integers(cfg.clips_per_video[0], cfg.clips_per_video[1] + 1))
    pieces, rows, frame = [], [], 0

    def idle():
        gap = max(2, int(rng.uniform(*cfg.gap_seconds) * FPS))
        pts, hid = animate(None, gap, sp, rng, beat=rng.random() < 0.3)
        pieces.append(detect(pts, hid, sp, rng, cfg))
        return gap

    for clip_index in range(1, num_clips + 1):
        frame += idle()
        class_id = int(rng.choice(ids, p=probs))
        k = CLASS_IDS.index(class_id)
        length = cfg.clip_median_frames * sp.duration[k] * np.exp(
            rng.normal(0, cfg.clip_log_sigma))
        length = int(np.clip(length, 8, 400))
        pts, hid = animate(class_id, length, sp, rng)
        pieces.append(detect(pts, hid, sp, rng, cfg))
        rows.append(dict(video_id=str(int(plan['video_id'])), label_id=clip_index,
                         start_time=f'{frame / FPS:.4f}', start_frame=frame,
                         end_time=f'{(frame + length - 1) / FPS:.4f}',
                         end_frame=frame + length - 1, **{'class': class_id},
                         subject_id=sp.subject_id, subject_gender=sp.gender,
                         subject_nationality=sp.nationality,
                         win_or_lose='Win' if plan['emotion'] == 1 else 'Lose'))
        frame += length
    idle()
    return np.concatenate(pieces), rows


def _bystander(det: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A second person: a smaller, fainter copy of a body elsewhere in the frame."""
    other = det.copy()
    scale = rng.uniform(0.4, 0.9)
    shift = rng.uniform([0, 100], [IMG_W * 0.6, IMG_H * 0.6])
    other[:, :2] = np.where(other[:, 2:] > 0, other[:, :2] * scale + shift, 0)
    other[:, 2] *= rng.uniform(0.15, 0.5)
    return other


def write_video(plan: dict, cfg: InterviewConfig, skeleton_root: str) -> Tuple[List[dict], int]:
    """Render one video and write its frames as OpenPose 1.3 JSON; returns (rows, frames)."""
    frames, rows = render_video(plan, cfg)
    rng = np.random.default_rng([cfg.seed, 13, plan['index']])
    num_frames = len(frames)
    empty = np.zeros(num_frames, bool)
    for s in np.flatnonzero(rng.random(num_frames) < cfg.empty_run_prob):
        empty[s:s + rng.integers(1, 7)] = True
    # a second person shows up in a few stretches of some videos
    bystander = np.zeros(num_frames, bool)
    if rng.random() < 0.5:
        for s in rng.integers(0, num_frames, rng.integers(1, 4)):
            bystander[s:s + rng.integers(10, 120)] = True

    def people(t, det):
        found = [] if empty[t] else [person_json(det)]
        if found and bystander[t]:  # listed before or after the speaker
            found.insert(int(rng.integers(0, 2)), person_json(_bystander(det, rng)))
        return found

    write_frames(skeleton_root, plan['video_id'], (people(t, d) for t, d in enumerate(frames)))
    return rows, num_frames


def generate_interview_imigue(out_dir: str, cfg: Optional[InterviewConfig] = None,
                              workers: int = 1) -> dict:
    """Write ``OUT_DIR/labels.csv`` and ``OUT_DIR/skeleton/<video_id>/...json``.

    Returns:
        dict: counts (subjects, videos, clips, frames) and the paths written.
    """
    cfg = cfg or InterviewConfig()
    speakers = make_speakers(cfg)
    return write_release(out_dir, plan_videos(cfg, speakers), cfg, write_video, workers)
