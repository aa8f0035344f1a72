"""Clip metadata for iMiGUE formats that lack it (challenge CSV, packed arrays).

The challenge packages carry skeletons, labels and a train / test grouping, but no subject ids,
win / lose outcomes, timings or demographics. This module gives their clips the fields of the
shared schema: ``-1`` where a field is unknown, or the values of the release's ``labels.csv``
when the user has it (the clip is then renamed to its official ``frame_dir``
``<video_id>_<label_id>`` so every modality uses the same ids), and builds the splits: the
cross-subject split from the package's own train / test grouping, the emotion split from the
protocol's video lists.
"""
from collections import defaultdict
from typing import Dict, List, Optional, Sequence

from ...protocol import imigue_emotion_split
from ...protocol.imigue import load_split_file
from .imigue_openpose import OPTIONAL_ROW_KEYS, ConversionError, read_labels_csv

# Fields the challenge formats cannot provide without labels.csv.
UNAVAILABLE_WITHOUT_LABELS_CSV = ('subject_id', 'emotion') + OPTIONAL_ROW_KEYS


def unknown_row(video_id: str, clip_index: int, label: int) -> dict:
    """Clip fields of the shared schema with -1 for what the format does not know."""
    return dict(video_id=video_id, clip_index=clip_index, label=label, subject_id=-1,
                emotion=-1)


class ReleaseMetadata:
    """The rows of a release ``labels.csv``, indexed for joining challenge clips.

    Args:
        ann_file (str): The release ``labels.csv``.
    """

    def __init__(self, ann_file: str) -> None:
        self.ann_file = ann_file
        self.by_video: Dict[str, List[dict]] = defaultdict(list)
        for row in read_labels_csv(ann_file):
            self.by_video[row['video_id']].append(row)
        self.by_range = {(vid, r['start_frame'], r['end_frame']): r
                         for vid, rows in self.by_video.items() for r in rows}

    def by_frames(self, video_id: str, start: int, end: int) -> Optional[dict]:
        """The row of ``video_id`` spanning exactly ``start..end`` (None when absent)."""
        return self.by_range.get((video_id, start, end))

    def by_position(self, video_id: str, position: int, label: int, source: str) -> dict:
        """The ``position``-th row (file order, 0-based) of ``video_id``, checked by label.

        Raises:
            ConversionError: no such row, or its class differs from ``label``: the two label
                sources do not describe the same clips.
        """
        rows = self.by_video.get(video_id, [])
        if position >= len(rows):
            raise ConversionError(
                f'{source}: clip {video_id}_{position} has no row in {self.ann_file} (video '
                f'{video_id} has {len(rows)} rows there); the files are from different '
                'releases. Convert without --ann to keep the package\'s own metadata.')
        row = rows[position]
        if row['label'] != label:
            raise ConversionError(
                f'{source}: clip {video_id}_{position} has label {label} but row '
                f'{position + 1} of video {video_id} in {self.ann_file} has label '
                f'{row["label"]}; the label files do not describe the same clips. Convert '
                'without --ann to keep the package\'s own metadata.')
        return row


def joined_name(row: dict) -> str:
    """Official ``frame_dir`` of a labels.csv row."""
    return f'{row["video_id"]}_{row["clip_index"]}'


def copy_row_metadata(row: dict) -> dict:
    """The metadata of a labels.csv row in the shared schema's fields."""
    out = dict(video_id=row['video_id'], clip_index=row['clip_index'], label=row['label'],
               subject_id=row['subject_id'], emotion=row['emotion'])
    out.update({k: row[k] for k in OPTIONAL_ROW_KEYS if k in row})
    return out


def challenge_splits(groups: Dict[str, Sequence[str]], annotations: Sequence[dict],
                     split_file: Optional[str] = None) -> Dict[str, list]:
    """Splits for a challenge package.

    Args:
        groups (dict): Split name (``'xsub_train'``, ``'xsub_test'``, ...) -> ``frame_dir`` list,
            from the package's own grouping (folders / files).
        annotations (Sequence[dict]): The converted clips (for their ``video_id``).
        split_file (str, optional): Split JSON; only its emotion video lists are used here.

    Returns:
        dict: ``groups`` plus ``emotion_train`` / ``emotion_test`` (by video id).
    """
    emo_train, emo_test = imigue_emotion_split()
    if split_file:
        custom = load_split_file(split_file)
        emo_train = custom.get('emotion_train_videos', emo_train)
        emo_test = custom.get('emotion_test_videos', emo_test)
    emo_train, emo_test = set(emo_train), set(emo_test)
    split = {k: list(v) for k, v in groups.items()}
    split['emotion_train'] = [a['frame_dir'] for a in annotations if a['video_id'] in emo_train]
    split['emotion_test'] = [a['frame_dir'] for a in annotations if a['video_id'] in emo_test]
    return split
