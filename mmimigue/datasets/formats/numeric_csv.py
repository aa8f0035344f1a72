"""Strict, vectorised reading of the numeric CSV files of the SMG and iMiGUE challenge releases."""
import os.path as osp
from typing import Sequence, Type, Union

import numpy as np


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def read_numeric_csv(path: str, columns: Union[int, Sequence[int]], what: str,
                     error: Type[Exception] = ValueError) -> np.ndarray:
    """Read a comma-separated numeric file into a float64 array (rows, columns).

    A header line (first field not a number), blank lines and one trailing comma per row are
    tolerated, and empty cells read as NaN (the caller decides what NaN means); anything else that
    breaks the documented layout is an error naming the file, the row and the fix.

    Args:
        path (str): The csv file.
        columns (int | Sequence[int]): Allowed column counts.
        what (str): What the file should hold, for the error message.
        error (type): Exception class for format errors. Defaults to ValueError.

    Raises:
        FileNotFoundError: the file is missing.
        error: ragged rows, a wrong column count or a non-numeric value.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} is missing; expected {what}')
    allowed = (columns, ) if isinstance(columns, int) else tuple(columns)
    with open(path) as f:
        lines = [ln.strip() for ln in f if ln.strip()]
    if lines and not _is_number(lines[0].split(',')[0]) and lines[0].split(',')[0] != '':
        lines = lines[1:]  # header
    if not lines:
        return np.zeros((0, allowed[0]), np.float64)
    counts = np.fromiter((ln.count(',') + 1 for ln in lines), np.int64, len(lines))
    trailing = np.fromiter((ln.endswith(',') for ln in lines), bool, len(lines))
    ok = np.isin(counts, allowed)
    strip = ~ok & trailing & np.isin(counts - 1, allowed)  # a trailing comma is not a column
    bad = np.flatnonzero(~ok & ~strip)
    if bad.size:
        row = int(bad[0])
        raise error(
            f'{path}: data row {row + 1} has {counts[row]} columns, expected '
            f'{" or ".join(map(str, allowed))} ({what}); {bad.size} of {len(lines)} rows are '
            'affected. Re-export the file from the release (it may be truncated or from '
            'another dataset).')
    if strip.any():
        lines = [ln[:-1] if s else ln for ln, s in zip(lines, strip)]
    if any(',,' in ln or ln.startswith(',') or ln.endswith(',') for ln in lines):
        lines = [_fill_empty(ln) for ln in lines]
    try:
        return np.loadtxt(lines, delimiter=',', dtype=np.float64, ndmin=2)
    except ValueError as e:
        raise error(f'{path}: non-numeric value ({e}); expected {what}') from None


def _fill_empty(line: str) -> str:
    return ','.join(tok if tok.strip() else 'nan' for tok in line.split(','))


def read_integer_csv(path: str, columns: Union[int, Sequence[int]], what: str,
                     error: Type[Exception] = ValueError) -> np.ndarray:
    """:func:`read_numeric_csv` for tables of whole numbers (labels, frame ranges) -> int64.

    Raises:
        error: an empty cell or a fractional value (it would be truncated), naming the row.
    """
    data = read_numeric_csv(path, columns, what, error)
    bad = ~np.isfinite(data) | (data != np.round(data))
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise error(f'{path}: data row {row + 1}, column {col + 1} is {float(data[row, col])!r}, not a '
                    f'whole number ({what}); fix the file')
    return data.astype(np.int64)
