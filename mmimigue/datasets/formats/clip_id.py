"""The clip id of iMiGUE: ``'<video_id>_<clip_index>'`` (``frame_dir`` of every modality).

Video ids are 4-digit zero-padded strings (``'0371'``); the clip index is ``label_id`` of
``labels.csv`` (or the 0-based row of the challenge packages). Every format builds and parses
clip ids here, so skeleton, RGB and emotion files of one clip share its name.
"""
import os
import re
from typing import Tuple

_CLIP_ID_RE = re.compile(r'^(\d+)_(\d+)$')


def clip_id(video_id: str, clip_index: int) -> str:
    """``'<video_id>_<clip_index>'``, e.g. ``clip_id('0371', 1) == '0371_1'``."""
    return f'{video_id}_{clip_index}'


def row_clip_id(row: dict) -> str:
    """The clip id of a clip-fields dict (a ``labels.csv`` row or an annotation)."""
    return clip_id(row['video_id'], row['clip_index'])


def parse_clip_id(name: str) -> Tuple[str, int]:
    """``'187_0'`` -> ``('0187', 0)``.

    Raises:
        ValueError: ``name`` is not ``<digits>_<digits>``.
    """
    m = _CLIP_ID_RE.match(name)
    if m is None:
        raise ValueError(f'{name!r} is not a clip id "<video id>_<clip index>" (e.g. "0187_0")')
    return m.group(1).zfill(4), int(m.group(2))


def is_clip_id(name: str) -> bool:
    """Whether ``name`` parses with :func:`parse_clip_id`."""
    return _CLIP_ID_RE.match(name) is not None


def check_path_component(value: str, what: str, where: str) -> str:
    """``value`` if it can name a file or folder inside its parent folder, else an error.

    Video ids and clip ids become paths (``skeleton/<video_id>/``, ``videos/<video_id>.mp4``,
    ``clips/<clip id>.mp4``); an id such as ``../outside`` must not read or write elsewhere.

    Raises:
        ValueError: empty, ``.`` / ``..``, or containing a path separator or NUL; the message
            names ``where`` (file and line) and ``what``.
    """
    text = str(value)
    seps = [s for s in (os.sep, os.altsep, '/', '\\', '\0') if s]
    if text in ('', '.', '..') or any(s in text for s in seps):
        raise ValueError(f'{where}: {what} {text!r} is not a plain name (it would point outside '
                         'its folder); ids are names like 0371 or 0371_1. Fix the file.')
    return text
