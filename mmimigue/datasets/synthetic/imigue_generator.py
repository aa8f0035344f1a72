"""Synthetic iMiGUE in the official raw layout: ``labels.csv`` + per-frame OpenPose 1.3 JSON.

What makes it a useful stand-in for the licensed release:

* 32 classes with the real long-tailed frequencies (flattened by ``tail_power``);
* subjects differ in body size, position, camera roll, speed, amplitude, handedness, rest pose
  and an idle habit, and the official cross-subject train list decides which subjects train;
* each video is a win or a loss, and the outcome shifts the video's mix of gestures
  (self-adaptors after losses, open postures after wins), so MG results predict emotion;
* detector realities: confidence noise, jitter, hands lost for spans, frames with
  ``people: []``, and now and then a second, faint person in the background.

Generation is deterministic by seed (each video has its own random stream, so the result does not
depend on the number of worker processes).
"""
import csv
import json
import os
import os.path as osp
from dataclasses import dataclass
from multiprocessing import Pool
from typing import List, Optional, Sequence, Tuple

import numpy as np

from ...protocol import imigue_emotion_split, imigue_protocol, imigue_subject_split
from ...protocol.imigue import IMIGUE_CSV_COLUMNS
from . import upper_body as ub
from .micro_gestures import Subject, render_micro_gesture, render_non_mg_motion

IMG_W, IMG_H = 1280, 720
# Self-adaptors read as stress after a loss; open, upright postures and illustrators after a win.
LOSE_CLASSES = (1, 2, 4, 5, 6, 7, 10, 12, 17, 29)
WIN_CLASSES = (20, 21, 23, 25, 28, 30, 31, 99)
NATIONALITIES = ('United States', 'Spain', 'Switzerland', 'Serbia', 'Germany', 'Japan',
                 'Australia', 'Russia', 'Canada', 'France', 'Argentina', 'China')


@dataclass
class SyntheticConfig:
    """Size and difficulty of the synthetic release (defaults: ~700 clips in ~10 s)."""
    num_train_subjects: int = 18
    num_test_subjects: int = 12
    videos_per_subject: int = 2
    clips_per_video: Tuple[int, int] = (9, 15)
    clip_frames: Tuple[int, int] = (24, 56)
    gap_frames: Tuple[int, int] = (4, 14)
    #: between MGs: idle rest only (False), or talking with beat gestures (True, for streams)
    gap_motion: bool = False
    tail_power: float = 0.5
    emotion_boost: float = 3.0
    jitter: float = 0.015
    empty_frame_prob: float = 0.004
    second_person_prob: float = 0.02
    hand_dropout_prob: float = 0.12
    seed: int = 0


def _class_weights(emotion: int, cfg: SyntheticConfig) -> Tuple[np.ndarray, np.ndarray]:
    counts = imigue_protocol()['annotation_statistics']['class_counts']
    ids = np.array(sorted(int(c) for c in counts))
    w = np.array([counts[str(c)] for c in ids], np.float64)**cfg.tail_power
    boosted = WIN_CLASSES if emotion == 1 else LOSE_CLASSES
    w[np.isin(ids, boosted)] *= cfg.emotion_boost
    return ids, w / w.sum()


def make_subjects(cfg: SyntheticConfig) -> List[Subject]:
    """Train subjects from the official train list, test subjects from the other ids."""
    rng = np.random.default_rng([cfg.seed, 0])
    train_pool, _ = imigue_subject_split()
    test_pool = [s for s in range(1, 73) if s not in set(train_pool)]
    if cfg.num_train_subjects > len(train_pool) or cfg.num_test_subjects > len(test_pool):
        raise ValueError(f'at most {len(train_pool)} train and {len(test_pool)} test subjects')
    ids = sorted(rng.choice(train_pool, cfg.num_train_subjects, replace=False).tolist() +
                 rng.choice(test_pool, cfg.num_test_subjects, replace=False).tolist())
    subjects = []
    for sid in ids:
        subjects.append(Subject(
            subject_id=int(sid), scale=float(rng.uniform(60, 100)),
            center=(float(IMG_W / 2 + rng.uniform(-140, 140)), float(rng.uniform(260, 360))),
            tilt=float(rng.uniform(-0.08, 0.08)), speed=float(rng.uniform(0.7, 1.4)),
            amplitude=float(rng.uniform(0.7, 1.3)), right_handed=bool(rng.random() < 0.75),
            rest_offset=rng.uniform(-0.2, 0.2, (2, 2)).astype(np.float32),
            tic_freq=float(rng.uniform(0.1, 0.6)), gender=str(rng.choice(['M', 'F'])),
            nationality=str(rng.choice(NATIONALITIES))))
    return subjects


def plan_videos(cfg: SyntheticConfig, subjects: Sequence[Subject]) -> List[dict]:
    """Assign video ids (from the official emotion train / test lists) and outcomes."""
    rng = np.random.default_rng([cfg.seed, 1])
    emo_train, emo_test = imigue_emotion_split()
    n = len(subjects) * cfg.videos_per_subject
    n_train = (n + 1) // 2
    if n_train > len(emo_train) or n - n_train > len(emo_test):
        raise ValueError(f'too many videos ({n}); the emotion lists hold '
                         f'{len(emo_train)} + {len(emo_test)}')
    vids = (sorted(rng.choice(emo_train, n_train, replace=False).tolist()) +
            sorted(rng.choice(emo_test, n - n_train, replace=False).tolist()))
    # Balanced outcomes inside each emotion split.
    emotions = np.concatenate([rng.permutation(np.arange(n_train) % 2),
                               rng.permutation(np.arange(n - n_train) % 2)])
    owners = rng.permutation(np.repeat(np.arange(len(subjects)), cfg.videos_per_subject))
    return [dict(video_id=vids[i], emotion=int(emotions[i]), subject=subjects[owners[i]],
                 index=i) for i in range(n)]


def _to_detections(pts: np.ndarray, occluded: np.ndarray, subject: Subject,
                   rng: np.random.Generator, cfg: SyntheticConfig) -> np.ndarray:
    """Body units -> (T, 137, 3) pixel keypoints with detector-like confidence and misses."""
    num_frames = len(pts)
    pts = pts + rng.normal(0, cfg.jitter, pts.shape).astype(np.float32)
    xy = ub.to_pixels(pts, subject.scale, subject.center, subject.tilt)
    conf = ub.visibility()[None] * rng.uniform(0.55, 0.95, (num_frames, pts.shape[1]))
    conf[:, ub.LHAND_OFFSET:] *= 0.8
    for k, (lo, side_occluded) in enumerate(((ub.LHAND_OFFSET, occluded[0]),
                                             (ub.RHAND_OFFSET, occluded[1]))):
        if side_occluded:
            conf[:, lo:lo + ub.HAND] = 0
        elif rng.random() < cfg.hand_dropout_prob:  # the detector loses a hand for a span
            start = rng.integers(0, num_frames)
            conf[start:start + rng.integers(3, 15), lo:lo + ub.HAND] = 0
    outside = (xy[..., 0] < 0) | (xy[..., 0] >= IMG_W) | (xy[..., 1] < 0) | (xy[..., 1] >= IMG_H)
    conf[outside] = 0
    xy[conf == 0] = 0  # OpenPose writes zeros for undetected points
    return np.concatenate([xy, conf[..., None]], -1).astype(np.float32)


def _render_gap(num_frames: int, subject: Subject, rng: np.random.Generator,
                cfg: SyntheticConfig) -> Tuple[np.ndarray, np.ndarray]:
    if cfg.gap_motion:
        return render_non_mg_motion(num_frames, subject, rng)
    return render_micro_gesture(None, num_frames, subject, rng)


def render_video(plan: dict, cfg: SyntheticConfig) -> Tuple[np.ndarray, List[dict]]:
    """All frames of one video (T, 137, 3) and its clip rows."""
    rng = np.random.default_rng([cfg.seed, 2, plan['index']])
    subject: Subject = plan['subject']
    ids, probs = _class_weights(plan['emotion'], cfg)
    num_clips = int(rng.integers(cfg.clips_per_video[0], cfg.clips_per_video[1] + 1))
    pieces, rows, frame = [], [], 0
    for clip_index in range(1, num_clips + 1):
        gap = int(rng.integers(*cfg.gap_frames))
        rest, occ = _render_gap(gap, subject, rng, cfg)
        pieces.append(_to_detections(rest, occ, subject, rng, cfg))
        frame += gap
        class_id = int(rng.choice(ids, p=probs))
        lo, hi = cfg.clip_frames
        length = int(np.clip(rng.integers(lo, hi + 1) / subject.speed, 8, 3 * hi))
        pts, occ = render_micro_gesture(class_id, length, subject, rng)
        pieces.append(_to_detections(pts, occ, subject, rng, cfg))
        rows.append(dict(video_id=str(int(plan['video_id'])), label_id=clip_index,
                         start_time=f'{frame / 25:.4f}', start_frame=frame,
                         end_time=f'{(frame + length - 1) / 25:.4f}',
                         end_frame=frame + length - 1, **{'class': class_id},
                         subject_id=subject.subject_id, subject_gender=subject.gender,
                         subject_nationality=subject.nationality,
                         win_or_lose='Win' if plan['emotion'] == 1 else 'Lose'))
        frame += length
    tail, occ = _render_gap(int(rng.integers(*cfg.gap_frames)), subject, rng, cfg)
    pieces.append(_to_detections(tail, occ, subject, rng, cfg))
    return np.concatenate(pieces), rows


def person_json(det: np.ndarray) -> dict:
    flat = np.round(det, 3)
    return {
        'person_id': [-1],
        'pose_keypoints_2d': flat[:25].ravel().tolist(),
        'face_keypoints_2d': flat[25:95].ravel().tolist(),
        'hand_left_keypoints_2d': flat[95:116].ravel().tolist(),
        'hand_right_keypoints_2d': flat[116:137].ravel().tolist(),
        'pose_keypoints_3d': [], 'face_keypoints_3d': [],
        'hand_left_keypoints_3d': [], 'hand_right_keypoints_3d': [],
    }


def write_video(plan: dict, cfg: SyntheticConfig, skeleton_root: str) -> Tuple[List[dict], int]:
    """Render one video and write its frames as OpenPose 1.3 JSON; returns (rows, frames)."""
    frames, rows = render_video(plan, cfg)
    rng = np.random.default_rng([cfg.seed, 3, plan['index']])

    def people(det):
        found = [] if rng.random() < cfg.empty_frame_prob else [person_json(det)]
        if found and rng.random() < cfg.second_person_prob:  # a faint person in the back
            other = det.copy()
            other[:, :2] = other[:, :2] * 0.4 + rng.uniform(50, 300, 2)
            other[:, 2] *= 0.25
            found.append(person_json(other))
        return found

    write_frames(skeleton_root, plan['video_id'], (people(det) for det in frames))
    return rows, len(frames)


def write_frames(skeleton_root: str, video_id, people_per_frame) -> None:
    """Write ``<root>/<vid>/<vid>_<12-digit frame>_keypoints.json`` (OpenPose 1.3) for each
    frame's list of people, in order."""
    vid = str(video_id).zfill(4)
    out_dir = osp.join(skeleton_root, vid)
    os.makedirs(out_dir, exist_ok=True)
    for t, people in enumerate(people_per_frame):
        with open(osp.join(out_dir, f'{vid}_{t:012d}_keypoints.json'), 'w') as f:
            json.dump({'version': 1.3, 'people': people}, f, separators=(',', ':'))


def _write_video_job(args):
    write_fn, *rest = args
    return write_fn(*rest)


def write_release(out_dir: str, plans: Sequence[dict], cfg, write_fn, workers: int = 1) -> dict:
    """Write every planned video with ``write_fn(plan, cfg, skeleton_root) -> (rows, frames)``
    (in ``workers`` processes), then ``OUT_DIR/labels.csv``; returns the counts."""
    skeleton_root = osp.join(out_dir, 'skeleton')
    os.makedirs(skeleton_root, exist_ok=True)
    jobs = [(write_fn, p, cfg, skeleton_root) for p in plans]
    if workers > 1:
        with Pool(workers) as pool:
            results = pool.map(_write_video_job, jobs)
    else:
        results = [_write_video_job(j) for j in jobs]
    rows = [r for video_rows, _ in results for r in video_rows]
    ann_file = osp.join(out_dir, 'labels.csv')
    with open(ann_file, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(IMIGUE_CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return dict(ann_file=ann_file, skeleton_root=skeleton_root,
                subjects=len({p['subject'].subject_id for p in plans}), videos=len(plans),
                clips=len(rows), frames=sum(n for _, n in results))


def generate_synthetic_imigue(out_dir: str, cfg: Optional[SyntheticConfig] = None,
                              workers: int = 1) -> dict:
    """Write ``OUT_DIR/labels.csv`` and ``OUT_DIR/skeleton/<video_id>/...json``.

    Returns:
        dict: counts (subjects, videos, clips, frames) and the paths written.
    """
    cfg = cfg or SyntheticConfig()
    return write_release(out_dir, plan_videos(cfg, make_subjects(cfg)), cfg, write_video, workers)
