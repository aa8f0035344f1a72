"""iMiGUE challenge CSV package -> the shared PoseDataset pickle schema.

Layout of the public challenge package (one folder per video, one package folder per split)::

    ROOT/<vid>/<vid>_light_hand.csv   column 0 (frame index) then 35 joints x (x, y, conf):
                                      the 25 BODY_25 joints, then the right-hand and the
                                      left-hand fingertips (thumb, index, middle, ring, little);
                                      a header line is allowed
    ROOT/<vid>/<vid>_label.csv        rows gestureID,startframe,endframe (gesture 1..31 or 99)

Label frames are 0-based data-row indices (data row ``i`` is frame ``i``; the challenge reader's
"+1" only skips the header line) and both ends are inclusive, like ``labels.csv``. The 35 points
are placed at their OpenPose positions in the 137-point layout (BODY_25 0-24, fingertips
95+{4,8,12,16,20} and 116+{4,8,12,16,20}); the other face and hand points are zero with score 0,
so the ``imigue22`` and ``body25`` layouts are complete and ``openpose137`` is not.

Without the release ``labels.csv`` this format cannot provide ``subject_id`` and ``emotion``
(stored as -1), nor ``start_time``, ``end_time``, ``subject_gender``, ``subject_nationality``;
``frame_dir`` is ``<vid>_<row>`` (0-based row of ``_label.csv``, as in the packed format's names).
With ``ann_file`` the clips are matched to ``labels.csv`` rows by video and frame range and take
their metadata and official ``frame_dir``. The cross-subject split is the package's own
(one root folder per split), the emotion split comes from the protocol's video lists.
"""
import os
import os.path as osp
from collections import Counter
from typing import Dict, List, Optional, Tuple

from ...protocol.imigue import normalize_video_id
from ..formats.challenge_csv import read_challenge_labels, read_light_hand_csv
from ..formats.clip_id import clip_id, row_clip_id
from ..formats.clip_schema import (
    UNAVAILABLE_WITHOUT_LABELS_CSV,
    clip_annotation,
    copy_row_metadata,
    unknown_row,
)
from ..formats.errors import ConversionError
from ..formats.imigue_release_metadata import ReleaseMetadata
from ..keypoint_store import check_output_path
from .challenge_package import challenge_content


def convert_challenge_csv(roots: Dict[str, str], out_file: Optional[str] = None,
                          ann_file: Optional[str] = None, split_file: Optional[str] = None,
                          img_shape: Tuple[int, int] = (720, 1280), strict: bool = False,
                          storage: str = 'inline') -> dict:
    """Convert challenge CSV package folders into the shared pickle schema.

    Args:
        roots (dict): Split name -> package folder of ``<vid>/`` sub-folders, e.g.
            ``{'xsub_train': 'imigue_skeleton_train', 'xsub_test': 'imigue_skeleton_test'}``.
        out_file (str, optional): Pickle to write.
        ann_file (str, optional): Release ``labels.csv`` to take the missing metadata from.
        split_file (str, optional): Split JSON (its emotion video lists are used).
        img_shape (tuple): (H, W) of the source videos. Defaults to (720, 1280).
        strict (bool): Raise on clips outside the skeleton file instead of a counted skip.
        storage (str): ``'inline'`` or ``'mmap'`` (see :mod:`mmimigue.datasets.keypoint_store`).

    Returns:
        dict: ``split``, ``annotations`` (inline keypoints), ``summary``, ``meta``.
    """
    if out_file:
        check_output_path(out_file, [ann_file, split_file])
    meta_src = ReleaseMetadata(ann_file) if ann_file else None
    counts: Counter = Counter()
    skipped: List[Tuple[str, str]] = []
    annotations: List[dict] = []
    groups: Dict[str, List[str]] = {}
    for split_name, root in roots.items():
        if not osp.isdir(root):
            raise ConversionError(f'{root}: package folder not found (expected one <vid>/ '
                                  'folder per video with <vid>_light_hand.csv and <vid>_label.csv)')
        groups[split_name] = []
        for vid_dir in sorted(os.listdir(root)):
            folder = osp.join(root, vid_dir)
            if not osp.isdir(folder):
                continue
            skel_path = osp.join(folder, f'{vid_dir}_light_hand.csv')
            label_path = osp.join(folder, f'{vid_dir}_label.csv')
            if not osp.isfile(skel_path):
                counts['videos_without_skeleton'] += 1
                skipped.append((vid_dir, f'no {skel_path}'))
                continue
            if not osp.isfile(label_path):
                counts['videos_without_labels'] += 1
                skipped.append((vid_dir, f'no {label_path} (unlabelled test video)'))
                continue
            video_id = normalize_video_id(vid_dir)
            frames = read_light_hand_csv(skel_path, counts)
            counts['videos'] += 1
            last = len(frames) - 1
            label_rows = read_challenge_labels(label_path)
            if meta_src is not None:
                meta_src.check_label_file_owner(video_id, [(s, e, lab) for lab, s, e, _ in
                                                           label_rows], label_path)
            for i, (label, start, end, _) in enumerate(label_rows):
                name = clip_id(video_id, i)
                if start > last or start < 0:
                    msg = (f'{label_path} row {i + 1}: frames {start}..{end} start outside the '
                           f'{len(frames)} rows of {skel_path}')
                    if strict:
                        raise ConversionError(msg + '; the label file does not match the data')
                    counts['skipped_clips'] += 1
                    skipped.append((name, msg))
                    continue
                if end > last:
                    if strict:
                        raise ConversionError(
                            f'{label_path} row {i + 1}: frames {start}..{end} end past the '
                            f'{len(frames)} rows of {skel_path}; the label file does not match '
                            'the data')
                    counts['clips_truncated_at_video_end'] += 1
                    end = last
                row = unknown_row(video_id, i, label)
                if meta_src is not None:
                    found = meta_src.by_frames(video_id, start, end)
                    if found is None or found['label'] != label:
                        counts['clips_without_labels_csv_row'] += 1
                    else:
                        row, name = copy_row_metadata(found), row_clip_id(found)
                clip = frames[start:end + 1]
                if not (clip[..., 2] > 0).any():
                    counts['skipped_clips'] += 1
                    skipped.append((name, 'no person detected in any frame'))
                    continue
                annotations.append(clip_annotation(name, row, clip, img_shape, start, end))
                groups[split_name].append(name)
                counts['frames'] += len(clip)
    if meta_src is not None and annotations and \
            counts['clips_without_labels_csv_row'] == len(annotations):
        raise ConversionError(f'none of the {len(annotations)} clips matches a row of '
                              f'{ann_file} (by video and frame range); it is not the labels '
                              'file of this package. Convert without --ann.')
    unavailable = [] if meta_src is not None else list(UNAVAILABLE_WITHOUT_LABELS_CSV)
    return challenge_content(
        'challenge_csv', groups, annotations, counts,
        ('videos', 'frames', 'nan_keypoints', 'missing_frames', 'clips_truncated_at_video_end',
         'videos_without_labels', 'videos_without_skeleton', 'clips_without_labels_csv_row',
         'skipped_clips'), skipped, split_file, 'openpose137', unavailable,
        'face and non-fingertip hand points (score 0)', out_file, storage, [ann_file, split_file])
