"""MiGA challenge track-1 submission files, written atomically.

- 2023 (``--submission-2023``): ``id,label`` lines, no header, ``\\n`` line ends; given a
  ``.zip`` path, a zip holding that csv as ``Submission.csv``, as the organisers' baseline and the
  winner (repository ``VUT-HFUT/MiGA2023_Track1``, ``ensemble/ensemble.py``: ``Submission.zip``
  holding ``Submission.csv``) wrote it;
- 2024+ (``--submission-2024 FILE.zip``): a zip holding one csv with the header ``Id,Target`` and
  one ``id,label`` line per clip; the member is ``submission.csv`` by default, ``member``
  (``--submission-member``) names it otherwise (the 2025 winner's ``prediction.csv``; the rows
  are the same).

Ids are the challenge packages' sample names (``0187_0``) or 0-based positions; each is checked
before any row is written, so a comma, a quote or a line break inside an id can never add a row.
"""
import io
import re
import zipfile
from typing import List, Sequence, Tuple

import numpy as np

from ..fileio import atomic_write

# A fixed timestamp makes the zip's bytes depend on its content only.
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SUBMISSION_MEMBER = 'submission.csv'
SUBMISSION_2023_MEMBER = 'Submission.csv'
#: What a submission id may hold: the packages' sample names and 0-based indices.
ID_PATTERN = re.compile(r'[A-Za-z0-9_.-]+')


def submission_rows(ids: Sequence[str], scores: np.ndarray, index_ids: bool
                    ) -> List[Tuple[str, int]]:
    """``(id, label)`` per clip: the argmax of its fused scores.

    Raises:
        ValueError: non-finite scores, or an id the challenge pattern refuses (naming it).
    """
    scores = np.asarray(scores, np.float64)
    bad = ~np.isfinite(scores).all(1)
    if bad.any():
        raise ValueError(f'{int(bad.sum())} clips have non-finite fused scores (e.g. '
                         f'{ids[int(np.flatnonzero(bad)[0])]}); no submission is written')
    names = [str(i) for i in range(len(ids))] if index_ids else [str(i) for i in ids]
    for n in names:
        if not ID_PATTERN.fullmatch(n):
            raise ValueError(f'clip id {n!r} is not a challenge sample name (letters, digits, '
                             '"_", "-", "."); no submission is written')
    return [(n, int(y)) for n, y in zip(names, scores.argmax(1))]


def _zip_one(member: str, text: str) -> bytes:
    """A deflated zip holding ``member`` only; its bytes depend on the content alone."""
    if not ID_PATTERN.fullmatch(member) or not member.endswith('.csv'):
        raise ValueError(f'zip member {member!r} must be a plain csv file name, e.g. '
                         'submission.csv')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo(member, date_time=_ZIP_DATE), text.encode(),
                   compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def write_submission_2023(path: str, rows: Sequence[Tuple[str, int]]) -> None:
    """MiGA 2023 track 1: ``id,label`` lines, no header; a ``.zip`` path holds them as
    ``Submission.csv``."""
    csv = ''.join(f'{i},{y}\n' for i, y in rows)
    atomic_write(path, _zip_one(SUBMISSION_2023_MEMBER, csv) if path.endswith('.zip') else csv)


def write_submission_2024(path: str, rows: Sequence[Tuple[str, int]],
                          member: str = SUBMISSION_MEMBER) -> None:
    """MiGA 2024+ track 1: ``member`` (header ``Id,Target``) in a zip."""
    if not path.endswith('.zip'):
        raise ValueError(f'--submission-2024 must be a .zip file, got {path}')
    atomic_write(path, _zip_one(member, 'Id,Target\n' + ''.join(f'{i},{y}\n' for i, y in rows)))
