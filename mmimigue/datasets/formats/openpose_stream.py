"""Whole-video OpenPose streams: every frame of one video's OpenPose folder as one
(T, V, 3) float32 array (x, y, score), read in chunks so memory follows the chunk.

The one reader of a release video as a stream: the streams converter, ``tools/online_detect.py``
and the demo all read a video through :func:`read_video_stream` / :func:`iter_stream_chunks`.
Frames are numbered by their file names (``<id>_<12-digit frame>_keypoints.json``); a missing
file inside the stream is a zero frame (score 0) counted as ``missing_frames``.
"""
import os.path as osp
from collections import Counter
from typing import Dict, Iterator, Optional, Sequence, Tuple

import numpy as np

from .errors import ConversionError
from .openpose_json import find_video_dir, list_frames, read_openpose_frames

CHUNK_FRAMES = 2048
#: A stream may miss at most this many frame files beyond as many as it has: a folder whose
#: numbering leaves more gaps holds a stray file (a frame numbered 10**9 would otherwise
#: allocate a stream of a billion frames).
MAX_EXTRA_MISSING_FRAMES = 25 * 60 * 10


def check_frame_numbers(frames: Dict[int, str], folder: str, from_zero: bool = False) -> int:
    """The number of frames the stream of ``frames`` spans, checked before anything is
    allocated.

    Raises:
        ConversionError: the numbering leaves more missing frames than the folder has files
            plus :data:`MAX_EXTRA_MISSING_FRAMES`; names the folder and the largest frame file.
    """
    first = 0 if from_zero else min(frames)
    last = max(frames)
    span = last - first + 1
    missing = span - len(frames)
    if missing > len(frames) + MAX_EXTRA_MISSING_FRAMES:
        raise ConversionError(
            f'{folder}: {len(frames)} frame files span frames {first}..{last}, so {missing} '
            f'frames would be missing; the last one, {frames[last]}, is probably a stray file of '
            'another run. Remove it (or move the files of the other run out of the folder).')
    return span


def stream_frame_files(skeleton_root: str, video_id: str, counts: Counter) -> Dict[int, str]:
    """Frame index -> JSON file of ``video_id``'s OpenPose folder ({} when it has none)."""
    video_dir = find_video_dir(skeleton_root, video_id)
    return list_frames(video_dir, counts) if video_dir else {}


def find_frame_dir(skeleton_dir: str, video_id: str) -> str:
    """``skeleton_dir/<video_id>`` if it holds frame files, else ``skeleton_dir`` itself.

    Raises:
        FileNotFoundError: neither holds OpenPose frame files.
    """
    for cand in (osp.join(skeleton_dir, video_id), skeleton_dir):
        if osp.isdir(cand) and list_frames(cand):
            return cand
    raise FileNotFoundError(
        f'no OpenPose frame files (<id>_<12-digit frame>_keypoints.json) in '
        f'{osp.join(skeleton_dir, video_id)} or {skeleton_dir}; extract them with '
        '`python tools/data/extract_pose.py VIDEO DIR` or omit --skeleton-dir')


def iter_stream_chunks(frames: Dict[int, str], num_frames: int,
                       joints: Optional[Sequence[int]], counts: Counter,
                       skip_corrupt: bool = False, chunk: int = CHUNK_FRAMES,
                       first: int = 0) -> Iterator[np.ndarray]:
    """(F, V, 3) float32 chunks of frames ``first .. first + num_frames - 1`` of one video,
    ``chunk`` frames at a time; ``joints`` selects points of the 137 (None keeps all)."""
    for start in range(first, first + num_frames, chunk):
        idx = range(start, min(start + chunk, first + num_frames))
        kp, missing = read_openpose_frames([frames.get(t) for t in idx], counts, skip_corrupt)
        counts['missing_frames'] += int(missing.sum())
        yield kp if joints is None else kp[:, joints]


def read_video_stream(frame_dir: str, joints: Optional[Sequence[int]] = None,
                      counts: Optional[Counter] = None, from_zero: bool = False,
                      max_frames: Optional[int] = None, skip_corrupt: bool = False
                      ) -> Tuple[np.ndarray, int, Counter]:
    """Every frame of one OpenPose folder -> ``(stream (T, V, 3), first frame index, counts)``.

    Args:
        frame_dir (str): The folder of one video's frame files.
        joints (Sequence[int], optional): Points of the 137 to keep (a layout's
            :func:`~mmimigue.skeleton.layout_indices`); None keeps all.
        counts (Counter, optional): Adds to it (missing / empty / multi-person frames ...).
        from_zero (bool): Start at frame 0 (release streams, whose labels count from the
            video's first frame) instead of at the first frame file.
        max_frames (int, optional): Read at most this many frames.
        skip_corrupt (bool): Count corrupt frame files as missing instead of stopping.

    Raises:
        ConversionError: no frame files in ``frame_dir``, or a corrupt one (without
            ``skip_corrupt``).
    """
    counts = Counter() if counts is None else counts
    frames = list_frames(frame_dir, counts)
    if not frames:
        raise ConversionError(f'{frame_dir}: no OpenPose frame files '
                              '(<id>_<12-digit frame>_keypoints.json)')
    first = 0 if from_zero else min(frames)
    num = check_frame_numbers(frames, frame_dir, from_zero)
    if max_frames is not None:
        num = min(num, max_frames)
    chunks = list(iter_stream_chunks(frames, num, joints, counts, skip_corrupt, first=first))
    return np.concatenate(chunks), first, counts
