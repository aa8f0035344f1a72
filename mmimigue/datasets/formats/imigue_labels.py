"""Reader of the iMiGUE release annotation file ``labels.csv`` (one row per clip)."""
import csv
import os.path as osp
from collections import Counter
from typing import List

from ...protocol import imigue_class_to_index
from ...protocol.imigue import IMIGUE_CSV_COLUMNS, normalize_video_id
from .errors import ConversionError

REQUIRED_COLUMNS = ('video_id', 'label_id', 'start_frame', 'end_frame', 'class', 'subject_id',
                    'win_or_lose')


def read_labels_csv(path: str) -> List[dict]:
    """Read and validate ``labels.csv``; returns one dict per clip with typed fields.

    Each row becomes ``dict(video_id, clip_index, start_frame, end_frame, label, class_id,
    subject_id, emotion)`` (``emotion`` 1 for a win) plus ``start_time`` / ``end_time`` /
    ``subject_gender`` / ``subject_nationality`` where the file has them.

    Raises:
        ConversionError: missing file or column, a non-numeric field, an unknown class id,
            ``end_frame < start_frame``, an outcome other than Win / Lose, or a duplicate
            ``(video_id, label_id)``; the message names the file and line.
    """
    if not osp.isfile(path):
        raise ConversionError(f'{path}: annotation file not found (pass the release labels.csv '
                              'with --ann)')
    with open(path, newline='') as f:
        reader = csv.DictReader(f)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise ConversionError(
                f'{path}: missing column(s) {missing}; the iMiGUE header is '
                f'{",".join(IMIGUE_CSV_COLUMNS)}')
        rows = []
        for line, raw in enumerate(reader, start=2):
            raw = {k.strip(): (v or '').strip() for k, v in raw.items() if k is not None}
            rows.append(_parse_row(raw, path, line))
    seen = Counter((r['video_id'], r['clip_index']) for r in rows)
    dup = [k for k, n in seen.items() if n > 1]
    if dup:
        raise ConversionError(f'{path}: duplicate (video_id, label_id) pairs {dup[:5]}; each '
                              'clip must have its own label_id within its video')
    return rows


def _parse_row(raw: dict, path: str, line: int) -> dict:
    where = f'{path}:{line}'
    try:
        start, end = int(float(raw['start_frame'])), int(float(raw['end_frame']))
        class_id, subject = int(float(raw['class'])), int(float(raw['subject_id']))
        clip_index = int(float(raw['label_id']))
    except ValueError as e:
        raise ConversionError(f'{where}: non-numeric field ({e}); fix or remove this row')
    try:
        label = imigue_class_to_index(class_id)
    except ValueError as e:
        raise ConversionError(f'{where}: {e}; fix the class column or remove this row')
    if end < start:
        raise ConversionError(f'{where}: end_frame {end} < start_frame {start}')
    outcome = raw['win_or_lose'].lower()
    if outcome not in ('win', 'lose'):
        raise ConversionError(f'{where}: win_or_lose is {raw["win_or_lose"]!r}, expected Win or Lose')
    row = dict(video_id=normalize_video_id(raw['video_id']), clip_index=clip_index,
               start_frame=start, end_frame=end, label=label, class_id=class_id,
               subject_id=subject, emotion=int(outcome == 'win'))
    for key in ('start_time', 'end_time'):
        if raw.get(key):
            row[key] = float(raw[key])
    for key in ('subject_gender', 'subject_nationality'):
        if key in raw:
            row[key] = raw[key]
    return row
