"""Synthetic iMiGUE in the challenge package formats (per-video CSVs and packed arrays).

Renders videos with the official-layout generator (:mod:`.imigue_generator`), then writes

* ``OUT/labels.csv``: the release annotation file of the same clips (for metadata joins);
* ``OUT/csv/imigue_skeleton_{train,test}/<vid>/<vid>_light_hand.csv`` and ``<vid>_label.csv``;
* ``OUT/packed/{train,test}_data.npy`` ``(N, 3, T, 22, 1)`` (the last ``T`` frames of each
  clip, zero-padded at the end) and ``{train,test}_label.pkl`` ``(names, labels)``;

split by the official cross-subject train list. Returns the rendered frames so tests can compare
conversions with the ground truth.
"""
import csv
import os
import os.path as osp
import pickle
from typing import Dict, Optional

import numpy as np

from ...protocol import imigue_class_to_index, imigue_subject_split
from ...protocol.imigue import IMIGUE_CSV_COLUMNS
from ...skeleton.layouts import layout_indices
from ..formats.challenge_csv import CHALLENGE_TO_OPENPOSE
from .imigue_generator import SyntheticConfig, make_subjects, plan_videos, render_video


def make_synthetic_challenge(out_dir: str, cfg: Optional[SyntheticConfig] = None,
                             packed_frames: int = 90) -> Dict[str, object]:
    """Write the challenge formats of a synthetic release; returns paths and ground truth.

    Returns:
        dict: ``labels_csv``, ``csv_roots`` (split -> folder), ``packed_parts``
        (split -> (data, labels)), ``frames`` (video id -> (F, 137, 3) rendered frames) and
        ``rows`` (the labels.csv rows).
    """
    cfg = cfg or SyntheticConfig()
    plans = plan_videos(cfg, make_subjects(cfg))
    train_subjects = set(imigue_subject_split()[0])
    frames: Dict[str, np.ndarray] = {}
    all_rows = []
    packed = {'train': ([], [], []), 'test': ([], [], [])}
    csv_roots = {'xsub_train': osp.join(out_dir, 'csv', 'imigue_skeleton_train'),
                 'xsub_test': osp.join(out_dir, 'csv', 'imigue_skeleton_test')}
    idx22 = layout_indices('imigue22')
    for plan in plans:
        video, rows = render_video(plan, cfg)
        vid = str(plan['video_id']).zfill(4)
        frames[vid] = video
        all_rows += rows
        part = 'train' if plan['subject'].subject_id in train_subjects else 'test'
        folder = osp.join(csv_roots[f'xsub_{part}'], vid)
        os.makedirs(folder, exist_ok=True)
        table = np.concatenate([np.arange(len(video))[:, None].astype(np.float32),
                                video[:, CHALLENGE_TO_OPENPOSE].reshape(len(video), -1)], 1)
        # No header line: the public kit reads these with pandas ``header=None``.
        np.savetxt(osp.join(folder, f'{vid}_light_hand.csv'), table, fmt='%.3f', delimiter=',')
        labels = np.array([[int(r['class']), r['start_frame'], r['end_frame']] for r in rows])
        np.savetxt(osp.join(folder, f'{vid}_label.csv'), labels, fmt='%d', delimiter=',')
        for k, r in enumerate(rows):
            clip = video[r['start_frame']:r['end_frame'] + 1][-packed_frames:][:, idx22]
            arr = np.zeros((3, packed_frames, len(idx22), 1), np.float32)
            arr[:, :len(clip), :, 0] = clip.transpose(2, 0, 1)
            packed[part][0].append(arr)
            packed[part][1].append(f'{vid}_{k}')
            packed[part][2].append(imigue_class_to_index(int(r['class'])))
    labels_csv = osp.join(out_dir, 'labels.csv')
    with open(labels_csv, 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(IMIGUE_CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(all_rows)
    parts = {}
    os.makedirs(osp.join(out_dir, 'packed'), exist_ok=True)
    for part, (arrays, names, labels) in packed.items():
        data_path = osp.join(out_dir, 'packed', f'{part}_data.npy')
        label_path = osp.join(out_dir, 'packed', f'{part}_label.pkl')
        np.save(data_path, np.stack(arrays) if arrays else
                np.zeros((0, 3, packed_frames, len(idx22), 1), np.float32))
        with open(label_path, 'wb') as f:
            pickle.dump((names, labels), f)
        parts[f'xsub_{part}'] = (data_path, label_path)
    return dict(labels_csv=labels_csv, csv_roots=csv_roots, packed_parts=parts, frames=frames,
                rows=all_rows)

