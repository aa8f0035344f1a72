"""Class-specific micro-gesture programs for the synthetic iMiGUE generator.

Each of the 32 iMiGUE classes is a small motion program on the seated upper body of
:mod:`.upper_body`: a hand (or both) travelling to a body landmark and dwelling there with a
class-specific oscillation (scratching, rubbing, brushing), or a head / shoulder / torso
motion. Similar classes stay similar (touching jaw vs neck differ by a few centimetres), so
the data is learnable but not trivial.
"""
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import numpy as np

from ...skeleton.layouts import FACE_OFFSET
from . import upper_body as ub


@dataclass(frozen=True)
class HandGesture:
    """A hand travelling to ``anchor`` (right-hand coordinates, mirrored for the left).

    hands: 'one' (the subject's preferred hand) or 'both' (the left hand to the mirrored
    anchor). ``osc`` is (amplitude, frequency in Hz); ``spread`` the
    finger spread while dwelling; ``occluded`` hands lose their detections (behind the body).
    """
    anchor: Tuple[float, float]
    hands: str = 'one'
    osc: Tuple[float, float] = (0.0, 0.0)
    spread: float = 1.0
    occluded: bool = False


@dataclass(frozen=True)
class BodyGesture:
    """A head / shoulder / torso / face motion (see :func:`_apply_body`)."""
    kind: str
    amount: float
    freq: float = 0.0


# Class id (csv id) -> program. Anchors are wrist targets in body units for the right hand.
PROGRAMS: Dict[int, object] = {
    1: BodyGesture('turtle', 0.35),
    2: BodyGesture('breath', 0.14),
    3: HandGesture((-0.15, -1.95), osc=(0.04, 1.0), spread=0.8),
    4: HandGesture((-0.30, -1.80), osc=(0.12, 3.0), spread=0.5),
    5: HandGesture((-0.10, -1.50), osc=(0.08, 3.0), spread=0.5),
    6: HandGesture((-0.20, -1.05), hands='both', osc=(0.02, 0.5), spread=1.0),
    7: HandGesture((-0.20, -1.25), osc=(0.07, 4.0), spread=0.4),
    8: HandGesture((-0.35, -0.95), osc=(0.06, 3.0), spread=0.5),
    9: HandGesture((-0.55, -1.15), osc=(0.03, 1.0), spread=0.7),
    10: HandGesture((-0.05, -0.85), osc=(0.03, 5.0), spread=0.3),
    11: HandGesture((-0.20, -0.62), osc=(0.02, 1.0), spread=0.6),
    12: HandGesture((-0.15, -0.30), osc=(0.08, 3.0), spread=0.5),
    13: HandGesture((-0.50, -1.60), osc=(0.15, 1.5), spread=1.0),
    14: HandGesture((-0.20, 0.15), hands='both', osc=(0.05, 2.0), spread=0.4),
    15: HandGesture((0.00, 0.25), osc=(0.02, 1.0), spread=0.8),
    16: HandGesture((-0.95, 0.05), osc=(0.10, 3.0), spread=0.5),
    17: HandGesture((0.85, 1.15), hands='both', spread=0.3),
    18: HandGesture((0.30, 0.90), osc=(0.20, 2.0), spread=1.0),
    19: HandGesture((-0.90, 2.40), hands='both', occluded=True),
    20: BodyGesture('sway', 0.12, 0.8),
    21: BodyGesture('straighten', 0.25),
    22: HandGesture((0.95, 0.80), osc=(0.10, 3.0), spread=0.5),
    23: HandGesture((-0.08, 1.60), hands='both', osc=(0.08, 3.0), spread=0.5),
    24: HandGesture((-0.05, 1.55), hands='both', spread=0.2),
    25: HandGesture((-0.10, 1.15), hands='both', spread=0.9),
    26: HandGesture((-0.25, 1.65), osc=(0.05, 4.0), spread=0.6),
    27: HandGesture((-1.50, 1.70), hands='both', occluded=True),
    28: BodyGesture('head_up', 0.22),
    29: BodyGesture('press_lips', 0.7),
    30: HandGesture((-0.95, 2.20), hands='both', spread=0.6),
    31: BodyGesture('shake_shoulders', 0.12, 3.0),
    99: HandGesture((-0.15, 1.10), hands='both', osc=(0.35, 1.0), spread=1.0),
}


@dataclass
class Subject:
    """Person-specific appearance and motion style (what cross-subject evaluation must ignore)."""
    subject_id: int
    scale: float  # pixels per body unit
    center: Tuple[float, float]  # neck position in pixels
    tilt: float  # camera roll, radians
    speed: float  # gesture speed multiplier
    amplitude: float  # motion amplitude multiplier
    right_handed: bool
    rest_offset: np.ndarray  # (2, 2) wrist rest offsets (right, left)
    tic_freq: float  # idle head-nod habit
    gender: str
    nationality: str


def envelope(num_frames: int, rng: np.random.Generator) -> np.ndarray:
    """Smooth 0 -> 1 -> 0 profile: approach, dwell, return (random phase lengths)."""
    t = np.arange(num_frames, dtype=np.float32)
    rise = max(2.0, num_frames * rng.uniform(0.15, 0.35))
    fall = max(2.0, num_frames * rng.uniform(0.15, 0.35))
    up = np.clip(t / rise, 0, 1)
    down = np.clip((num_frames - 1 - t) / fall, 0, 1)
    e = np.minimum(up, down)
    return (e * e * (3 - 2 * e)).astype(np.float32)  # smoothstep


def _idle(pts: np.ndarray, subject: Subject, t: np.ndarray, rng: np.random.Generator) -> None:
    """Small idle motion every frame: breathing sway and the subject's head-nod habit."""
    phase = rng.uniform(0, 2 * np.pi)
    sway = 0.03 * np.sin(2 * np.pi * 0.3 * t + phase)
    pts[:, :19, 0] += sway[:, None]
    nod = 0.04 * np.sin(2 * np.pi * subject.tic_freq * t + phase)
    head = ub.HEAD_JOINTS + list(range(FACE_OFFSET, FACE_OFFSET + 70))
    pts[:, head, 1] += nod[:, None]


def _apply_body(pts: np.ndarray, g: BodyGesture, e: np.ndarray, t: np.ndarray,
                subject: Subject) -> None:
    amt = g.amount * subject.amplitude
    head = ub.HEAD_JOINTS + list(range(FACE_OFFSET, FACE_OFFSET + 70))
    face = slice(FACE_OFFSET, FACE_OFFSET + 70)
    if g.kind == 'turtle':
        pts[:, head, 1] += amt * e[:, None]
        pts[:, [2, 5], 1] -= 0.4 * amt * e[:, None]
    elif g.kind == 'breath':
        center = pts[:, FACE_OFFSET + 30:FACE_OFFSET + 31]
        pts[:, face] = center + (pts[:, face] - center) * (1 + amt * e)[:, None, None]
        pts[:, [2, 5], 1] -= 0.6 * amt * e[:, None]
    elif g.kind == 'sway':
        ang = amt * np.sin(2 * np.pi * g.freq * subject.speed * t) * e
        pivot = pts[:, 8:9]
        c, s = np.cos(ang)[:, None], np.sin(ang)[:, None]
        d = pts - pivot
        pts[:] = pivot + np.stack([c * d[..., 0] - s * d[..., 1], s * d[..., 0] + c * d[..., 1]], -1)
    elif g.kind == 'straighten':
        upper = list(range(0, 8)) + list(range(15, 19)) + list(range(FACE_OFFSET, 137))
        pts[:, upper, 1] -= amt * e[:, None]
        pts[:, [2, 5], 0] *= (1 + 0.2 * amt * e)[:, None]
    elif g.kind == 'head_up':
        pts[:, head, 1] -= amt * e[:, None]
        center = ub.HEAD_CENTER[1] - amt * e[:, None]
        pts[:, face, 1] = center + (pts[:, face, 1] - center) * (1 - amt * e)[:, None]
    elif g.kind == 'press_lips':
        lips = slice(FACE_OFFSET + 48, FACE_OFFSET + 68)
        mid = pts[:, lips, 1].mean(1, keepdims=True)
        pts[:, lips, 1] = mid + (pts[:, lips, 1] - mid) * (1 - min(amt, 0.95) * e)[:, None]
        pts[:, lips, 0] *= (1 - 0.15 * e)[:, None]
    elif g.kind == 'shake_shoulders':
        shake = amt * np.sin(2 * np.pi * g.freq * subject.speed * t) * e
        pts[:, [2, 5], 1] += shake[:, None]
        pts[:, [3, 6], 1] += 0.8 * shake[:, None]
    else:
        raise ValueError(f'unknown body gesture {g.kind!r}')


def _hand_targets(g: HandGesture, subject: Subject, rng: np.random.Generator):
    """(side -> wrist target) for the hands this gesture moves."""
    ax, ay = g.anchor
    right, left = (ax, ay), (-ax, ay)
    if g.hands == 'one':
        use_right = rng.random() < (0.8 if subject.right_handed else 0.2)
        return {'right': right} if use_right else {'left': left}
    return {'right': right, 'left': left}


def render_non_mg_motion(num_frames: int, subject: Subject, rng: np.random.Generator,
                         fps: float = 25.0) -> Tuple[np.ndarray, np.ndarray]:
    """Talking motion between MGs: the rest pose with idle motion, and now and then beat
    gestures of one or both hands in front of the chest (2-3 Hz, the wrists kept well away from
    the head, neck and shoulders that the touching MGs reach), the
    non-MG movement of an interview that an online recogniser must not report."""
    t = np.arange(num_frames, dtype=np.float32) / fps
    pts = ub.rest_skeleton(num_frames)
    pts[:, 4] += subject.rest_offset[0]
    pts[:, 7] += subject.rest_offset[1]
    _idle(pts, subject, t, rng)
    start = 0
    while start < num_frames:
        length = int(rng.integers(20, 80))
        if rng.random() < 0.5:  # a beat phrase, else keep resting
            e = envelope(min(length, num_frames - start), rng)
            freq, amp = rng.uniform(2, 3), rng.uniform(0.05, 0.12) * subject.amplitude
            beat = amp * np.sin(2 * np.pi * freq * t[start:start + len(e)])
            lift = np.asarray([0.0, -0.35], np.float32)  # up towards the chest, body units
            for wrist in (4, 7):
                if rng.random() < 0.6:
                    pts[start:start + len(e), wrist] += e[:, None] * (
                        lift + np.stack([0.3 * beat, beat], 1))
        start += length
    for shoulder, elbow, wrist, bend in ((2, 3, 4, 1.0), (5, 6, 7, -1.0)):
        pts[:, elbow] = ub.two_bone_elbow(pts[:, shoulder], pts[:, wrist], bend)
    ub.attach_hands(pts, {'left': np.ones(num_frames, np.float32),
                          'right': np.ones(num_frames, np.float32)})
    return pts, np.zeros(2, bool)


def render_micro_gesture(class_id: Optional[int], num_frames: int, subject: Subject,
                         rng: np.random.Generator, fps: float = 25.0
                         ) -> Tuple[np.ndarray, np.ndarray]:
    """Animate one clip; ``class_id=None`` gives the rest pose with idle motion only.

    Returns:
        (points (T, 137, 2) in body units, occluded-hands mask (2,) for [left, right]).
    """
    t = np.arange(num_frames, dtype=np.float32) / fps
    pts = ub.rest_skeleton(num_frames)
    pts[:, 4] += subject.rest_offset[0]
    pts[:, 7] += subject.rest_offset[1]
    _idle(pts, subject, t, rng)
    e = envelope(num_frames, rng)
    spread = {'left': np.ones(num_frames, np.float32), 'right': np.ones(num_frames, np.float32)}
    occluded = np.zeros(2, bool)
    program = None if class_id is None else PROGRAMS[class_id]
    if program is None:
        pass
    elif isinstance(program, BodyGesture):
        _apply_body(pts, program, e, t, subject)
    else:
        amp, freq = program.osc
        for side, target in _hand_targets(program, subject, rng).items():
            wrist = 4 if side == 'right' else 7
            jitter = rng.normal(0, 0.06, 2)
            goal = np.asarray(target, np.float32) + jitter
            path = pts[:, wrist] + e[:, None] * (goal - pts[:, wrist])
            if amp > 0:
                direction = rng.normal(0, 1, 2)
                direction /= np.linalg.norm(direction) + 1e-6
                phase = rng.uniform(0, 2 * np.pi)
                osc = amp * subject.amplitude * np.sin(
                    2 * np.pi * freq * subject.speed * t + phase)
                path += (osc * e)[:, None] * direction
            pts[:, wrist] = path
            spread[side] = 1 + e * (program.spread - 1)
            occluded[0 if side == 'left' else 1] |= program.occluded
    for shoulder, elbow, wrist, bend in ((2, 3, 4, 1.0), (5, 6, 7, -1.0)):
        pts[:, elbow] = ub.two_bone_elbow(pts[:, shoulder], pts[:, wrist], bend)
    ub.attach_hands(pts, spread)
    return pts, occluded
