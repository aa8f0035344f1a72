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
import threading
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
_FULL_BYTES = tuple(8 * length for length in _FULL_LENGTHS)  # as float64
_POSE, _FACE, _LEFT, _RIGHT = (key for key, _ in PARTS)
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


def _add_plain_rows(raw: bytes, parser, buffers: list) -> Optional[int]:
    """The common frame (every person with all four lists, each flat, numeric and of its full
    length), parsed by simdjson without Python float objects: its float64 buffers (four per
    person) are appended to ``buffers`` (joined once for many frames) and its number of people
    returned; None, with ``buffers`` as it was, for anything else, which the validating path
    then reads (its errors and counts apply).

    ``as_buffer`` flattens nested lists, so a list passes only when its top-level length and the
    flattened count both match (a nested list changes one of them, except the contrived pair of
    an empty and a longer nested list inside one keypoint list). ``parser`` (from
    :func:`_thread_parser`) is reused across frames: a fresh simdjson parser per frame costs
    about as much as the parse itself.
    """
    mark = len(buffers)
    try:
        try:
            people = parser.parse(raw)['people']
        except RuntimeError:  # simdjson: the previous document is still referenced somewhere
            people = _simdjson.Parser().parse(raw)['people']
        for person in people:  # unrolled over the four lists: this runs for every person
            pose, face = person[_POSE], person[_FACE]
            left, right = person[_LEFT], person[_RIGHT]
            if (len(pose), len(face), len(left), len(right)) != _FULL_LENGTHS:
                break
            pose, face = pose.as_buffer(of_type='d'), face.as_buffer(of_type='d')
            left, right = left.as_buffer(of_type='d'), right.as_buffer(of_type='d')
            if (pose.size, face.size, left.size, right.size) != _FULL_BYTES:  # nested lists
                break
            buffers += (pose, face, left, right)
        else:
            return len(people)
    except Exception:  # any surprise: the validating path decides and names the file
        pass
    del buffers[mark:]
    return None


_LOCAL = threading.local()


def _thread_parser():
    """This thread's simdjson parser (a parser is not shared between threads)."""
    parser = getattr(_LOCAL, 'parser', None)
    if parser is None:
        parser = _LOCAL.parser = _simdjson.Parser()
    return parser


def _plain_people(raw: bytes) -> Optional[np.ndarray]:
    """One plain frame's people as a (P, 137, 3) float32 array (None: see
    :func:`_add_plain_rows`)."""
    buffers: list = []
    if _add_plain_rows(raw, _thread_parser(), buffers) is None:
        return None
    return np.frombuffer(b''.join(buffers), np.float64).astype(np.float32).reshape(
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
    body = people[:, :NUM_BODY].astype(np.float32)  # as stored: beyond float32 is not finite
    finite = np.isfinite(body)
    finite = finite[..., 0] & finite[..., 1] & finite[..., 2]  # .all(-1) is slow on 3 values
    score = np.where(finite, np.clip(body[..., 2], 0, 1), 0).sum(1)
    frame = np.repeat(np.arange(len(per_frame)), per_frame)
    order = np.lexsort((np.arange(len(people)), -score, frame))  # by frame, best first
    first = np.concatenate([[0], np.cumsum(per_frame)[:-1]])
    return order[first[per_frame > 0]]


def read_openpose_frames(paths, counts: Counter, skip_corrupt: bool = False,
                         parser: str = 'fast') -> Tuple[np.ndarray, np.ndarray]:
    """Frame files -> ``(frames (F, 137, 3), missing (F,) bool)``, cleaned in vectorised passes.

    ``paths`` may hold None (a missing frame file); with ``skip_corrupt`` a corrupt file is
    counted as ``corrupt_files`` and read as missing. Missing and empty frames are zeros.
    Counts as :func:`parse_openpose_frame` does; the array work (people to float32, the speaker
    of several-person frames, non-finite points, scores outside [0, 1], frames without hands)
    runs once per block of frames (:func:`_clean_block`) instead of once per frame: per frame
    only the file is read and parsed.
    """
    n = len(paths)
    out = np.zeros((n, NUM_OPENPOSE_KEYPOINTS, 3), np.float32)
    per_frame = np.zeros(n, np.int64)
    missing = np.zeros(n, bool)
    simd = _thread_parser() if parser == 'fast' and _simdjson is not None else None
    for begin in range(0, n, _BLOCK_FRAMES):
        end = min(n, begin + _BLOCK_FRAMES)
        buffers: list = []  # float64 keypoints of the block's people, in frame order
        for i in range(begin, end):
            path = paths[i]
            if path is None:
                missing[i] = True
                continue
            if simd is not None:
                num = _add_plain_rows(_read_bytes(path), simd, buffers)
                if num is not None:
                    per_frame[i] = num
                    continue
            try:
                people = read_openpose_people(path, parser, counts)
            except ConversionError:
                if not skip_corrupt:
                    raise
                counts['corrupt_files'] += 1
                missing[i] = True
                continue
            buffers.append(people.astype(np.float64).tobytes())  # exact: float32 in float64
            per_frame[i] = len(people)
        people = np.frombuffer(b''.join(buffers), np.float64).reshape(
            -1, NUM_OPENPOSE_KEYPOINTS, 3)
        _clean_block(out[begin:end], people, per_frame[begin:end], missing[begin:end], counts)
    return out, missing


def _clean_block(out: np.ndarray, people: np.ndarray, per_frame: np.ndarray,
                 missing: np.ndarray, counts: Counter) -> None:
    """Fill ``out`` (a block of frames, zeros) with each frame's speaker from ``people`` (float64,
    ``per_frame`` people each, in order), zero non-finite points, clip scores into [0, 1] and
    count what was found."""
    if (per_frame == 1).all():  # one person in every frame: no choice to make
        out[:] = people
    elif len(people):
        out[per_frame > 0] = people[_speakers(people, per_frame)]
    detected = per_frame > 0
    counts['empty_frames'] += int((~detected & ~missing).sum())
    counts['multi_person_frames'] += int((per_frame > 1).sum())
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


# Frames read before their people become one array: ~2 MB of float64 for one person a frame.
# Measured: joining a whole video's people at once (~40 MB of fresh memory) cost ~3 us a frame,
# blocks of 512 frames well under 1 us.
_BLOCK_FRAMES = 512


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
