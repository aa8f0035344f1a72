"""Reader of OpenPose 1.x per-frame JSON (``<name>_<12-digit frame>_keypoints.json``).

One file per frame, ``{"people": [{"pose_keypoints_2d": [x, y, c] * 25, "face_keypoints_2d":
[...] * 70, "hand_left_keypoints_2d": [...] * 21, "hand_right_keypoints_2d": [...] * 21}, ...]}``.
A frame becomes one (137, 3) float32 array in that order (BODY_25, face, left hand, right
hand): the layout :mod:`mmimigue.skeleton.layouts` selects joints from.

The hot path (``parser='fast'``): a plain frame is parsed by simdjson straight into a float32
array (no Python float objects); any other file (a missing or empty list, booleans, strings,
nested lists, the ``NaN`` literal, broken JSON) is re-read by the validating path, orjson then
:mod:`json`, whose errors name the file and whose counts report what was repaired. The speaker is
chosen by a vectorised sum over the people and the checks run once per video
(:func:`read_openpose_frames`). ``tools/analysis/benchmark_data.py --converter`` measures the
converter against the stdlib-json path on the same files.
"""
import json
import os
import os.path as osp
import re
from collections import Counter
from typing import Callable, Dict, Optional, Tuple

import numpy as np

from ...skeleton.layouts import NUM_OPENPOSE_KEYPOINTS
from .errors import ConversionError

try:  # orjson is in install_requires; the stdlib parser keeps a broken install working
    import orjson
    _FAST_LOADS: Callable = orjson.loads
except ImportError:  # pragma: no cover
    _FAST_LOADS = json.loads
try:  # pysimdjson (install_requires): numeric arrays straight to numpy, no Python floats
    import simdjson as _simdjson
except ImportError:  # pragma: no cover
    _simdjson = None

JSON_PARSERS: Dict[str, Callable] = {'fast': _FAST_LOADS, 'stdlib': json.loads}
FRAME_RE = re.compile(r'_(\d{12})_keypoints\.json$')
PARTS = (('pose_keypoints_2d', 25), ('face_keypoints_2d', 70),
         ('hand_left_keypoints_2d', 21), ('hand_right_keypoints_2d', 21))
_ZEROS = {n: [0.0] * (3 * n) for _, n in PARTS}
_FULL_LENGTHS = tuple(3 * n for _, n in PARTS)
_KEYS = [key for key, _ in PARTS]
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
    raw = _read_bytes(path)
    if parser == 'fast' and _simdjson is not None:
        people = _plain_people(raw)
        if people is not None:
            return people
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
        try:  # the common case in one expression: all four lists, each of its full length
            pose, face = person['pose_keypoints_2d'], person['face_keypoints_2d']
            left, right = person['hand_left_keypoints_2d'], person['hand_right_keypoints_2d']
            if (len(pose), len(face), len(left), len(right)) == _FULL_LENGTHS:
                flat.append(pose + face + left + right)
                continue
        except (KeyError, TypeError):
            pass
        flat.append(_person_values(person, path, counts))
    try:
        arr = np.array(flat, np.float32)
    except (TypeError, ValueError) as e:
        raise _corrupt(path, f'non-numeric keypoint value: {e}') from None
    return arr.reshape(len(flat), NUM_OPENPOSE_KEYPOINTS, 3)


def _plain_rows(raw: bytes) -> Optional[Tuple[bytes, int]]:
    """The common frame (every person with all four lists, each flat, numeric and of its full
    length) as ``(float64 bytes of its people, number of people)``, parsed by simdjson without
    Python float objects; None for anything else, which the validating path then reads (its
    errors and counts apply). The caller turns many frames' bytes into one array at once.

    ``as_buffer`` flattens nested lists, so a list passes only when its top-level length and the
    flattened count both match (a nested list changes one of them, except the contrived pair of
    an empty and a longer nested list inside one keypoint list).
    """
    try:
        people = _simdjson.Parser().parse(raw)['people']  # a fresh parser: old proxies may live
        buffers = []
        for person in people:
            parts = [person[key] for key in _KEYS]
            if tuple(map(len, parts)) != _FULL_LENGTHS:
                return None
            buffers += [part.as_buffer(of_type='d') for part in parts]
        flat = b''.join(buffers)
        num = len(buffers) // 4
        if len(flat) != num * NUM_OPENPOSE_KEYPOINTS * 3 * 8:
            return None
    except Exception:  # any surprise: the validating path decides and names the file
        return None
    return flat, num


def _plain_people(raw: bytes) -> Optional[np.ndarray]:
    """:func:`_plain_rows` as a (P, 137, 3) float32 array (one frame)."""
    rows = _plain_rows(raw)
    if rows is None:
        return None
    return np.frombuffer(rows[0], np.float64).astype(np.float32).reshape(
        -1, NUM_OPENPOSE_KEYPOINTS, 3)


def _person_values(person, path: str, counts: Optional[Counter]) -> list:
    """The 411 values of a person with a missing, empty or malformed list (the slow path)."""
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
    return values


def _read_bytes(path: str, chunk: int = 1 << 15) -> bytes:
    """The whole file with raw ``os`` calls (cheaper per frame than ``open()``)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        raw = os.read(fd, chunk)
        if len(raw) < chunk:
            return raw
        parts = [raw]
        while True:
            more = os.read(fd, chunk)
            if not more:
                return b''.join(parts)
            parts.append(more)
    finally:
        os.close(fd)


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
    frames, _ = read_openpose_frames([path], counts, skip_corrupt=False, parser=parser)
    return frames[0]


def _speakers(people: np.ndarray, per_frame: np.ndarray) -> np.ndarray:
    """Index into ``people`` (P, 137, 3) of each frame's speaker, for frames with at least one
    person (``per_frame`` people each, in order): the person with the highest total body
    confidence, the first of them on a tie. Non-finite points count as undetected (as the
    frame's clean-up does after the choice): a faint person with one Infinity score must not
    win."""
    body = people[:, :NUM_BODY]
    score = np.where(np.isfinite(body).all(-1), np.clip(body[..., 2], 0, 1), 0).sum(1)
    frame = np.repeat(np.arange(len(per_frame)), per_frame)
    order = np.lexsort((np.arange(len(people)), -score, frame))  # by frame, best first
    first = np.concatenate([[0], np.cumsum(per_frame)[:-1]])
    return order[first[per_frame > 0]]


def read_openpose_frames(paths, counts: Counter, skip_corrupt: bool = False,
                         parser: str = 'fast') -> Tuple[np.ndarray, np.ndarray]:
    """Frame files -> ``(frames (F, 137, 3), missing (F,) bool)``, cleaned in one vectorised pass.

    ``paths`` may hold None (a missing frame file); with ``skip_corrupt`` a corrupt file is
    counted as ``corrupt_files`` and read as missing. Missing and empty frames are zeros.
    Counts as :func:`parse_openpose_frame` does; the array work (people to float32, the speaker
    of several-person frames, non-finite points, scores outside [0, 1], frames without hands)
    runs once over all frames instead of once per frame: per frame only the file is read and
    parsed.
    """
    n = len(paths)
    missing = np.zeros(n, bool)
    per_frame = np.zeros(n, np.int64)
    fast: list = []  # float64 bytes of the plain frames' people, in frame order
    slow: Dict[int, np.ndarray] = {}  # frame -> people read by the validating path
    use_fast = parser == 'fast' and _simdjson is not None
    for i, path in enumerate(paths):
        if path is None:
            missing[i] = True
            continue
        if use_fast:
            rows = _plain_rows(_read_bytes(path))
            if rows is not None:
                fast.append(rows[0])
                per_frame[i] = rows[1]
                continue
        try:
            people = read_openpose_people(path, parser, counts)
        except ConversionError:
            if not skip_corrupt:
                raise
            counts['corrupt_files'] += 1
            missing[i] = True
            continue
        slow[i] = people
        per_frame[i] = len(people)
    people = np.empty((int(per_frame.sum()), NUM_OPENPOSE_KEYPOINTS, 3), np.float32)
    start = np.concatenate([[0], np.cumsum(per_frame)[:-1]])
    is_fast = np.ones(n, bool)
    is_fast[list(slow)] = False
    fast_slots = np.repeat(start[is_fast], per_frame[is_fast]) + _ranks(per_frame[is_fast])
    people[fast_slots] = np.frombuffer(b''.join(fast), np.float64).reshape(
        -1, NUM_OPENPOSE_KEYPOINTS, 3)
    for i, arr in slow.items():
        people[start[i]:start[i] + per_frame[i]] = arr
    detected = per_frame > 0
    counts['empty_frames'] += int((~detected & ~missing).sum())
    counts['multi_person_frames'] += int((per_frame > 1).sum())
    out = np.zeros((n, NUM_OPENPOSE_KEYPOINTS, 3), np.float32)
    if len(people):
        out[detected] = people[_speakers(people, per_frame)]
    if not np.isfinite(out).all():
        bad = ~np.isfinite(out).all(-1)
        counts['nan_keypoints'] += int(bad.sum())
        out[bad] = 0
    score = out[..., 2]
    outside = (score < 0) | (score > 1)
    if outside.any():
        counts['scores_outside_0_1'] += int(outside.sum())
        np.clip(score, 0, 1, out=score)
    counts['frames_without_hands'] += int((detected & (score[:, HANDS_START:].max(1) <= 0)).sum())
    return out, missing


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, .., s - 1 for each size s, concatenated."""
    total = int(sizes.sum())
    return np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)


def list_frames(video_dir: str, counts: Optional[Counter] = None) -> Dict[int, str]:
    """Frame index -> file path for one video's OpenPose folder.

    OpenPose names every file of a run ``<prefix>_<12-digit frame>_keypoints.json`` with one
    prefix; files with another prefix (a frame of another video copied in by mistake) are not
    read as this video's frames: the most common prefix wins, the others are counted as
    ``stray_frame_files``.
    """
    by_prefix: Dict[str, Dict[int, str]] = {}
    folder = osp.join(video_dir, '')
    search = FRAME_RE.search
    for name in os.listdir(video_dir):  # no sort: frames are keyed by index
        m = search(name)
        if m:
            by_prefix.setdefault(name[:m.start()], {})[int(m.group(1))] = folder + name
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
