"""The rows of a release ``labels.csv`` indexed for joining the clips of the challenge formats
(which lack subject ids, outcomes, timings and demographics) to their official metadata."""
from collections import defaultdict
from typing import Dict, List, Optional, Sequence, Tuple

from .errors import ConversionError
from .imigue_labels import read_labels_csv


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
        self.videos_by_clip: Dict[Tuple[int, int, int], set] = defaultdict(set)
        for (vid, start, end), r in self.by_range.items():
            self.videos_by_clip[(start, end, r['label'])].add(vid)

    def check_label_file_owner(self, video_id: str, clips: Sequence[Tuple[int, int, int]],
                               source: str) -> None:
        """Refuse a label file whose clips are another video's (swapped or misplaced files).

        Args:
            clips: ``(start, end, label)`` of every row of the file.

        Raises:
            ConversionError: none of the clips is a row of ``video_id`` but all of them are rows
                of one other video.
        """
        if not clips or any(self.by_frames(video_id, s, e) is not None for s, e, _ in clips):
            return
        owners = set.intersection(*(self.videos_by_clip.get(c, set()) for c in clips))
        owners.discard(video_id)
        if owners:
            raise ConversionError(
                f'{source}: its {len(clips)} clips are those of video {sorted(owners)[0]} in '
                f'{self.ann_file}, none is a clip of video {video_id}; the label files of these '
                'videos look swapped or misplaced. Put each <vid>_label.csv in its own folder.')

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
