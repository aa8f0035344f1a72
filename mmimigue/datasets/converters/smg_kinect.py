"""SMG (Kinect v2) release -> mmaction2 PoseDataset pickle with 3D keypoints.

The SMG release holds one folder per subject, ``SampleXXXX/`` (XXXX = subject id 1..40), with

* ``SampleXXXX_skeleton.csv``: one row per frame, 25 joints (NTU RGB+D / Kinect v2 order) x 11
  values: world xyz ``[0:3]`` (metres), orientation quaternion ``[3:7]``, colour-pixel xy
  ``[7:9]`` and two undocumented values;
* ``SampleXXXX_finelabels.csv``: ``label,start,end`` per micro-gesture clip, labels 1-based;
* ``SampleXXXX_data.csv``: ``numFrames,fps,maxDepth``;
* ``SampleXXXX_tflabels_new.csv`` (optional): ``emo_id,startf,endf,emo_label`` story segments,
  ``hidden = emo_label // 10`` and ``normal = emo_label % 10 - 1`` (relaxed / stressed).

Frame numbers in the label files are 1-based and inclusive (``frame_base=1``), following the
dataset's own sample-access class (``getSkeleton(frameNum)`` reads row ``frameNum - 1``); the
public challenge script reads rows ``[start, end)`` instead (one frame earlier): pass
``frame_base=0`` to reproduce it.

Output (mmaction2 ``PoseDataset`` schema, like mmaction2's NTU 3D pickles)::

    {'split': {'xsub_train': [frame_dir, ...], 'xsub_test': [...]},
     'annotations': [{'frame_dir': 'Sample0001_0', 'label': int, 'total_frames': T,
                      'keypoint': float32 (1, T, 25, 3),  # world xyz, no keypoint_score
                      'keypoint_2d': float32 (1, T, 25, 2),  # colour-pixel xy [7:9], where
                                                             # the release has them
                      'subject_id': 1, 'sample': 'Sample0001', 'clip_index': 0,
                      'start_frame': int, 'end_frame': int,   # as in the label file, inclusive
                      'fps': int, 'stress': 0 | 1 | -1, 'stress_hidden': int,
                      'emo_label': int}, ...],
     'meta': {'dataset': 'SMG', 'layout': 'ntu25', 'classes': [...],
              'stress_names': ['relaxed', 'stressed'], 'frame_base': 1, 'summary': {...}}}

``stress`` is the story segment's ``normal`` value (0 relaxed, 1 stressed, which of the two is
which is not confirmed by the release, so the names are configurable); clips outside every
segment, or samples without a ``tflabels`` file, get ``stress = -1``, ``stress_hidden = -1``.
"""
import os.path as osp
import warnings
from typing import List, Optional, Sequence

import numpy as np

from ...protocol import smg_class_names, smg_protocol
from ...protocol.smg_splits import build_smg_splits, smg_subject_split
from ..formats.smg_kinect import (
    SMGFormatError,
    find_smg_samples,
    read_smg_data,
    read_smg_finelabels,
    read_smg_skeleton,
    read_smg_tflabels,
    segment_of_clips,
)
from ..keypoint_store import write_pose_pickle

#: The colour-camera pixel xy of each joint in the release's 11 values (SMGaccessSample.py
#: reads values 7:9 of every joint as its third field).
COLOUR_XY = slice(7, 9)

__all__ = ['SMGFormatError', 'convert_smg', 'convert_smg_sample', 'format_smg_summary']


def convert_smg_sample(sample_dir: str, subject_id: int, num_classes: int,
                       frame_base: int = 1, strict: bool = False,
                       summary: Optional[dict] = None) -> List[dict]:
    """Clip annotations of one ``SampleXXXX`` folder.

    Args:
        sample_dir (str): The sample folder.
        subject_id (int): Its subject id.
        num_classes (int): Number of MG classes (labels must be in ``1..num_classes``).
        frame_base (int): 1 when label frames are 1-based (row ``frame - 1``), 0 when they are
            0-based row indices. Defaults to 1.
        strict (bool): Raise instead of skipping clips that run past the skeleton's last frame.
        summary (dict, optional): Counters updated in place.

    Returns:
        list[dict]: One annotation per kept clip.
    """
    name = osp.basename(osp.normpath(sample_dir))
    stem = osp.join(sample_dir, name)
    summary = {} if summary is None else summary
    skel = read_smg_skeleton(stem + '_skeleton.csv')
    labels = read_smg_finelabels(stem + '_finelabels.csv', num_classes)
    info = read_smg_data(stem + '_data.csv')
    num_rows = skel.shape[0]
    if info['num_frames'] != num_rows:
        summary.setdefault('frame_count_mismatch', {})[name] = (info['num_frames'], num_rows)
        warnings.warn(f'{stem}_data.csv says {info["num_frames"]} frames but '
                      f'{stem}_skeleton.csv has {num_rows} rows; clips are cut from the rows '
                      'that exist')
    tf_path = stem + '_tflabels_new.csv'
    segments = read_smg_tflabels(tf_path) if osp.isfile(tf_path) else np.zeros((0, 4), np.int64)
    if not osp.isfile(tf_path):
        summary['samples_without_tflabels'] = summary.get('samples_without_tflabels', 0) + 1
    seg_idx = segment_of_clips(labels[:, 1:3], segments[:, 1:3])

    first = labels[:, 1] - frame_base  # row of the first frame
    last = labels[:, 2] - frame_base
    annos = []
    for i in range(len(labels)):
        label, start, end = (int(v) for v in labels[i])
        if first[i] < 0 or last[i] >= num_rows:
            msg = (f'{stem}_finelabels.csv row {i + 1}: clip frames {start}..{end} fall outside '
                   f'the {num_rows} skeleton rows of {stem}_skeleton.csv (frame_base={frame_base})')
            if strict:
                raise SMGFormatError(msg + '; the label file does not match the skeleton file')
            summary['skipped_past_end'] = summary.get('skipped_past_end', 0) + 1
            summary.setdefault('skipped', []).append(msg)
            continue
        kp = np.ascontiguousarray(skel[first[i]:last[i] + 1, :, 0:3])[None]
        s = int(seg_idx[i])
        emo = int(segments[s, 3]) if s >= 0 else -1
        extra = {}
        pixels = skel[first[i]:last[i] + 1, :, COLOUR_XY]
        if np.isfinite(pixels).all() and np.abs(pixels).max() > 0:  # the release's own 2D
            extra['keypoint_2d'] = np.ascontiguousarray(pixels, np.float32)[None]
            summary['clips_with_release_2d'] = summary.get('clips_with_release_2d', 0) + 1
        annos.append(dict(**extra,
            frame_dir=f'{name}_{i}', label=label - 1, total_frames=int(kp.shape[1]),
            keypoint=kp, subject_id=int(subject_id), sample=name, clip_index=i,
            start_frame=start, end_frame=end, fps=info['fps'],
            stress=(emo % 10 - 1) if s >= 0 else -1,
            stress_hidden=(emo // 10) if s >= 0 else -1, emo_label=emo))
        summary['frames'] = summary.get('frames', 0) + int(kp.shape[1])
    summary['clips'] = summary.get('clips', 0) + len(annos)
    return annos


def convert_smg(root: str,
                out: Optional[str] = None,
                test_subjects: Sequence[int] = tuple(smg_protocol()['test_subjects']),
                split_file: Optional[str] = None,
                class_names: Optional[Sequence[str]] = None,
                stress_names: Sequence[str] = ('relaxed', 'stressed'),
                frame_base: int = 1,
                strict: bool = False,
                storage: str = 'inline') -> dict:
    """Convert an SMG skeleton release into one PoseDataset pickle.

    Args:
        root (str): Folder holding ``SampleXXXX/`` sub-folders.
        out (str, optional): Where to write the pickle; nothing is written when None.
        test_subjects (Sequence[int]): Test subjects; every other subject trains.
            Defaults to the protocol's 36-40.
        split_file (str, optional): JSON ``{"train_subjects": [...], "test_subjects": [...]}``
            overriding ``test_subjects`` (a missing key means "every other subject").
        class_names (Sequence[str], optional): Class names in label order (label = finelabel
            - 1). Defaults to the 17 names of ``smg.json`` (their order is not confirmed).
        stress_names (Sequence[str]): Names of ``stress`` 0 and 1.
        frame_base (int): 1 (default) or 0, see the module docstring.
        strict (bool): Raise on clips past the skeleton's end instead of a counted skip.
        storage (str): ``'inline'`` (keypoints inside the pickle) or ``'mmap'`` (one shared
            memory-mapped ``<out stem>.keypoints.npy``, see
            :mod:`mmimigue.datasets.keypoint_store`).

    Returns:
        dict: The content (``split``, ``annotations`` with inline keypoints, ``meta``).
    """
    if frame_base not in (0, 1):
        raise ValueError(f'frame_base must be 0 or 1, got {frame_base}')
    classes = list(class_names) if class_names is not None else smg_class_names()
    samples = find_smg_samples(root)
    summary: dict = dict(samples=len(samples))
    annotations: List[dict] = []
    for subject, sample_dir in samples:
        annotations += convert_smg_sample(sample_dir, subject, len(classes), frame_base, strict,
                                          summary)
    subjects = [s for s, _ in samples]
    train, test = smg_subject_split(subjects, test_subjects, split_file)
    unsplit = sorted(set(subjects) - train - test)
    if unsplit:
        summary['subjects_in_no_split'] = unsplit
    content = dict(
        split=build_smg_splits([(a['frame_dir'], a['subject_id']) for a in annotations],
                               test_subjects, split_file),
        annotations=annotations,
        meta=dict(dataset='SMG', layout='ntu25', classes=classes,
                  stress_names=list(stress_names), frame_base=frame_base, summary=summary))
    if out is not None:
        write_pose_pickle(content, out, storage, [split_file])
    return content


def format_smg_summary(content: dict) -> str:
    """A short human-readable report of a conversion."""
    s = content['meta']['summary']
    lines = [f"samples: {s.get('samples', 0)}  clips: {s.get('clips', 0)}  "
             f"frames: {s.get('frames', 0)}",
             f"xsub_train: {len(content['split']['xsub_train'])}  "
             f"xsub_test: {len(content['split']['xsub_test'])}"]
    if s.get('skipped_past_end'):
        lines.append(f"skipped {s['skipped_past_end']} clips past the skeleton end "
                     f"(first: {s['skipped'][0]})")
    if s.get('frame_count_mismatch'):
        lines.append(f"{len(s['frame_count_mismatch'])} samples whose _data.csv frame count "
                     'differs from the skeleton rows')
    if s.get('samples_without_tflabels'):
        lines.append(f"{s['samples_without_tflabels']} samples without _tflabels_new.csv "
                     '(stress = -1)')
    if s.get('subjects_in_no_split'):
        lines.append(f"subjects in neither split: {s['subjects_in_no_split']}")
    return '\n'.join(lines)

