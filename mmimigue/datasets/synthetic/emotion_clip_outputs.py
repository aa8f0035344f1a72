"""Toy clip outputs (``tools/extract_clip_outputs.py``'s file) for the emotion models' tests and
the device check: videos of the official emotion split with a win / lose signal in their MGs."""
import pickle

import numpy as np

from ...emotion.clip_outputs import group_clips_by_video
from ...fileio import atomic_write
from ...protocol import imigue_emotion_split

NUM_CLASSES = 32


def make_toy_records(num_train: int = 24, num_test: int = 24, seed: int = 0,
                     feature_dim: int = 8, shuffle: bool = True, signal: float = 0.75):
    """Per-clip records of toy videos from the official emotion split.

    Win videos draw a fraction ``signal`` of their MG labels from classes 0-7, lose videos from
    8-15, the rest uniformly;
    predictions keep the true label 70% of the time. Clip records come in shuffled order.
    """
    rng = np.random.default_rng(seed)
    train, test = imigue_emotion_split()
    vids = train[:num_train] + test[:num_test]
    records = []
    for i, vid in enumerate(vids):
        emotion = i % 2
        n = int(rng.integers(4, 14))
        own = rng.random(n) < signal
        gt = np.where(own, rng.integers(0, 8, n) + 8 * (1 - emotion),
                      rng.integers(0, NUM_CLASSES, n))
        pred = np.where(rng.random(n) < 0.7, gt, rng.integers(0, NUM_CLASSES, n))
        score = rng.normal(0, 1, (n, NUM_CLASSES)).astype(np.float32)
        score[np.arange(n), pred] += 4.0
        prob = np.exp(score) / np.exp(score).sum(1, keepdims=True)
        starts = np.sort(rng.choice(np.arange(0, 5000, 50), n, replace=False))
        feat = rng.normal(0, 1, (n, feature_dim)).astype(np.float32)
        feat[:, 0] += 2 * emotion - 1
        for k in range(n):
            records.append(dict(
                video_id=vid, subject_id=100 + i, emotion=emotion, frame_dir=f'{vid}_{k + 1}',
                clip_split='xsub_train' if k % 3 else 'xsub_test', clip_index=k + 1,
                start_frame=int(starts[k]), end_frame=int(starts[k]) + 40, gt_label=int(gt[k]),
                pred_label=int(pred[k]), cls_score=score[k], prob=prob[k], feature=feat[k]))
    if shuffle:
        order = rng.permutation(len(records))
        records = [records[j] for j in order]
    return records


def write_toy_clip_outputs(path: str, **kwargs) -> str:
    """:func:`make_toy_records` grouped by video and written (atomically) as a clip-outputs
    pickle; returns ``path``."""
    content = group_clips_by_video(
        make_toy_records(**kwargs),
        dict(num_classes=NUM_CLASSES, feature_dim=kwargs.get('feature_dim', 8), fps=25.0,
             classes=[f'mg{i}' for i in range(NUM_CLASSES)]))
    atomic_write(path, pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    return path
