"""Reader of the iMiGUE release annotation file ``labels.csv`` (one row per clip)."""
import csv
import os.path as osp
from collections import Counter
from typing import List

from ...protocol import imigue_class_to_index
from ...protocol.imigue import IMIGUE_CSV_COLUMNS, normalize_video_id
from .clip_id import check_path_component
from .errors import ConversionError

REQUIRED_COLUMNS = ('video_id', 'label_id', 'start_frame', 'end_frame', 'class', 'subject_id',
                    'win_or_lose')


def read_labels_csv(path: str) -> List[dict]:
    """Read and validate ``labels.csv``; returns one dict per clip with typed fields.

    Each row becomes ``dict(video_id, clip_index, start_frame, end_frame, label, class_id,
    subject_id, emotion)`` (``emotion`` 1 for a win) plus ``start_time`` / ``end_time`` /
    ``subject_gender`` / ``subject_nationality`` where the file has them.

    Raises:
        ConversionError: missing file or column, no rows, a non-numeric field, an unknown class id,
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
        lines = []
        for line, raw in enumerate(reader, start=2):
            raw = {k.strip(): (v or '').strip() for k, v in raw.items() if k is not None}
            rows.append(_parse_row(raw, path, line))
            lines.append(line)
    if not rows:
        raise ConversionError(f'{path}: the header only, no clip rows; pass the release\'s '
                              'labels.csv (one row per clip)')
    _check_conflicting_rows(rows, lines, path)
    seen = Counter((r['video_id'], r['clip_index']) for r in rows)
    dup = [k for k, n in seen.items() if n > 1]
    if dup:
        raise ConversionError(f'{path}: duplicate (video_id, label_id) pairs {dup[:5]}; each '
                              'clip must have its own label_id within its video')
    return rows


def _check_conflicting_rows(rows: List[dict], lines: List[int], path: str) -> None:
    """Two rows over exactly the same frames of a video with different classes cannot both be
    right (a copy-paste or merge error in the annotation file)."""
    first = {}
    for i, row in enumerate(rows):
        key = (row['video_id'], row['start_frame'], row['end_frame'])
        j = first.setdefault(key, i)
        if rows[j]['label'] != row['label']:
            raise ConversionError(
                f'{path}:{lines[i]}: video {row["video_id"]} frames {row["start_frame"]}..'
                f'{row["end_frame"]} are labelled class {row["class_id"]} here and class '
                f'{rows[j]["class_id"]} on line {lines[j]}; keep the right row')


def _int_field(raw: dict, key: str, where: str) -> int:
    """An integer column: ``13`` or ``13.0``; ``13.7`` or ``abc`` is an error, never truncated."""
    text = raw[key]
    try:
        value = float(text)
    except ValueError:
        raise ConversionError(f'{where}: {key} is {text!r}, not a number; fix or remove this '
                              'row') from None
    if not value.is_integer():
        raise ConversionError(f'{where}: {key} is {text!r}, not a whole number (it would be '
                              'truncated); fix this row')
    return int(value)


def _parse_row(raw: dict, path: str, line: int) -> dict:
    where = f'{path}:{line}'
    start, end = _int_field(raw, 'start_frame', where), _int_field(raw, 'end_frame', where)
    class_id, subject = _int_field(raw, 'class', where), _int_field(raw, 'subject_id', where)
    clip_index = _int_field(raw, 'label_id', where)
    try:
        label = imigue_class_to_index(class_id)
    except ValueError as e:
        raise ConversionError(f'{where}: {e}; fix the class column or remove this row')
    if end < start:
        raise ConversionError(f'{where}: end_frame {end} < start_frame {start}')
    outcome = raw['win_or_lose'].lower()
    if outcome not in ('win', 'lose'):
        raise ConversionError(f'{where}: win_or_lose is {raw["win_or_lose"]!r}, expected Win or Lose')
    try:
        video_id = check_path_component(normalize_video_id(raw['video_id']), 'video_id', where)
    except ValueError as e:
        raise ConversionError(str(e)) from None
    row = dict(video_id=video_id, clip_index=clip_index,
               start_frame=start, end_frame=end, label=label, class_id=class_id,
               subject_id=subject, emotion=int(outcome == 'win'))
    for key in ('start_time', 'end_time'):
        if raw.get(key):
            row[key] = float(raw[key])
    for key in ('subject_gender', 'subject_nationality'):
        if key in raw:
            row[key] = raw[key]
    return row
