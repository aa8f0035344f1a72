"""Reader of OpenPose 1.x per-frame JSON (``<name>_<12-digit frame>_keypoints.json``).

One file per frame, ``{"people": [{"pose_keypoints_2d": [x, y, c] * 25, "face_keypoints_2d":
[...] * 70, "hand_left_keypoints_2d": [...] * 21, "hand_right_keypoints_2d": [...] * 21}, ...]}``.
A frame becomes one (137, 3) float32 array in that order (BODY_25, face, left hand, right
hand): the layout :mod:`mmimigue.graphs` selects joints from.

The hot path: files are parsed with ``orjson`` when it is installed (a dependency of the
package; the converter is 1.5-2.6x faster than with the stdlib parser, measured by
``tools/analysis/benchmark_data.py --converter``; a file orjson refuses, such as one with the
``NaN`` literal, is re-read with :mod:`json`), each person's four
lists are joined and converted to one array in a single numpy call, and the speaker is chosen
by a vectorised sum over the people.
"""
import json
import os
import os.path as osp
import re
from collections import Counter
from typing import Callable, Dict, Optional

import numpy as np

from ...graphs import NUM_OPENPOSE_KEYPOINTS
from .errors import ConversionError

try:  # orjson is in install_requires; the stdlib parser keeps a broken install working
    import orjson
    _FAST_LOADS: Callable = orjson.loads
except ImportError:  # pragma: no cover
    _FAST_LOADS = json.loads

JSON_PARSERS: Dict[str, Callable] = {'fast': _FAST_LOADS, 'stdlib': json.loads}
FRAME_RE = re.compile(r'_(\d{12})_keypoints\.json$')
PARTS = (('pose_keypoints_2d', 25), ('face_keypoints_2d', 70),
         ('hand_left_keypoints_2d', 21), ('hand_right_keypoints_2d', 21))
_ZEROS = {n: [0.0] * (3 * n) for _, n in PARTS}
NUM_BODY = 25
HANDS_START = 95  # left hand 95..115, right hand 116..136


def _corrupt(path: str, why: str) -> ConversionError:
    return ConversionError(
        f'{path}: corrupt OpenPose JSON ({why}). Re-run OpenPose on this frame, delete the file '
        '(it then counts as a missing frame), or pass --skip-corrupt to count corrupt files as '
        'missing frames.')


def read_openpose_people(path: str, parser: str = 'fast',
                         counts: Optional[Counter] = None) -> np.ndarray:
    """Every person of one frame file as a (P, 137, 3) float32 array (x, y, score).

    Args:
        path (str): The frame's JSON file.
        parser (str): ``'fast'`` (orjson) or ``'stdlib'`` (:mod:`json`).
        counts (Counter, optional): ``missing_keypoint_lists`` (a person without one of the
            four lists, or with an empty one: OpenPose run without face / hands) is counted.

    Raises:
        ConversionError: unreadable JSON, no ``people`` list, a person that is not an object,
            a keypoint list of the wrong length or with non-numeric values.
    """
    with open(path, 'rb', buffering=0) as f:  # one read of the whole file, no buffer copy
        raw = f.readall()
    try:
        content = JSON_PARSERS[parser](raw)
    except ValueError:  # orjson refuses the NaN / Infinity literals that json (and OpenPose) allow
        try:
            content = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as e:  # JSONDecodeError is a ValueError
            raise _corrupt(path, f'{type(e).__name__}: {e}') from None
    people = content.get('people') if isinstance(content, dict) else None
    if not isinstance(people, list):
        raise _corrupt(path, "no 'people' list at the top level")
    if b'true' in raw or b'false' in raw:  # cheap screen; JSON booleans would read as 1 / 0
        if any(type(v) is bool for person in people if isinstance(person, dict)
               for _, part in _lists(person) for v in part):
            raise _corrupt(path, 'a keypoint value is true / false, not a number')
    flat = []
    for person in people:
        if not isinstance(person, dict):
            raise _corrupt(path, f'a person is {type(person).__name__}, not an object')
        values = []
        for key, n in PARTS:
            part = person.get(key)
            if not part:  # face / hands off in OpenPose: empty list
                part = _ZEROS[n]
                if counts is not None:
                    counts['missing_keypoint_lists'] += 1
            if not isinstance(part, list) or len(part) != 3 * n:
                size = len(part) if isinstance(part, list) else type(part).__name__
                raise ConversionError(f'{path}: {key} has {size} values, expected {3 * n} '
                                      '(OpenPose BODY_25 + face + hands output is required)')
            values += part
        flat.append(values)
    try:
        arr = np.array(flat, np.float32)
    except (TypeError, ValueError) as e:
        raise _corrupt(path, f'non-numeric keypoint value: {e}') from None
    return arr.reshape(len(flat), NUM_OPENPOSE_KEYPOINTS, 3)


def _lists(person: dict):
    return [(key, person[key]) for key, _ in PARTS if isinstance(person.get(key), list)]


def parse_openpose_frame(path: str, counts: Counter, parser: str = 'fast') -> np.ndarray:
    """One OpenPose JSON frame -> (137, 3) array (x, y, score); zeros when nobody is detected.

    With several people, the one with the highest total body confidence is the speaker. Counts
    ``empty_frames``, ``multi_person_frames``, ``nan_keypoints`` (zeroed, score 0),
    ``scores_outside_0_1`` (clipped into [0, 1]), ``missing_keypoint_lists`` and
    ``frames_without_hands`` in ``counts``.

    Raises:
        ConversionError: the file is not valid OpenPose JSON (see :func:`read_openpose_people`).
    """
    people = read_openpose_people(path, parser, counts)
    if len(people) == 0:
        counts['empty_frames'] += 1
        return np.zeros((NUM_OPENPOSE_KEYPOINTS, 3), np.float32)
    out = people[0]
    if len(people) > 1:
        counts['multi_person_frames'] += 1
        out = people[int(np.argmax(np.nansum(people[:, :NUM_BODY, 2], axis=1)))]
    if not np.isfinite(out).all():  # one reduction on the common, clean frame
        bad = ~np.isfinite(out).all(-1)
        counts['nan_keypoints'] += int(bad.sum())
        out[bad] = 0
    score = out[:, 2]
    if score.min() < 0 or score.max() > 1:
        counts['scores_outside_0_1'] += int(((score < 0) | (score > 1)).sum())
        np.clip(score, 0, 1, out=score)
    if out[HANDS_START:, 2].max() <= 0:
        counts['frames_without_hands'] += 1
    return out


def load_frame(path: Optional[str], counts: Counter, skip_corrupt: bool,
               parser: str = 'fast') -> Optional[np.ndarray]:
    """:func:`parse_openpose_frame`, or None for a missing file (and, with ``skip_corrupt``, a
    corrupt one, counted as ``corrupt_files``)."""
    if path is None:
        return None
    try:
        return parse_openpose_frame(path, counts, parser)
    except ConversionError:
        if not skip_corrupt:
            raise
        counts['corrupt_files'] += 1
        return None


def list_frames(video_dir: str, counts: Optional[Counter] = None) -> Dict[int, str]:
    """Frame index -> file path for one video's OpenPose folder.

    OpenPose names every file of a run ``<prefix>_<12-digit frame>_keypoints.json`` with one
    prefix; files with another prefix (a frame of another video copied in by mistake) are not
    read as this video's frames: the most common prefix wins, the others are counted as
    ``stray_frame_files``.
    """
    by_prefix: Dict[str, Dict[int, str]] = {}
    for name in sorted(os.listdir(video_dir)):
        m = FRAME_RE.search(name)
        if m:
            by_prefix.setdefault(name[:m.start()], {})[int(m.group(1))] = osp.join(video_dir, name)
    if not by_prefix:
        return {}
    main = max(by_prefix, key=lambda p: (len(by_prefix[p]), p))
    if counts is not None:
        counts['stray_frame_files'] += sum(len(v) for p, v in by_prefix.items() if p != main)
    return by_prefix[main]


def find_video_dir(skeleton_root: str, video_id: str) -> Optional[str]:
    """The OpenPose folder of ``video_id`` under ``skeleton_root`` (``'0371'`` or ``'371'``)."""
    for name in (video_id, str(int(video_id)) if video_id.isdigit() else video_id):
        path = osp.join(skeleton_root, name)
        if osp.isdir(path):
            return path
    return None
