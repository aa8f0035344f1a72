"""What the LLM reads: timestamped (masked) interview transcripts and MG timelines.

Transcript format (one JSON file per video, ``<transcript_dir>/<video_id>.json``; transcripts
are not part of the public iMiGUE release, so users bring their own)::

    {
      "video_id": "0371",
      "masked": true,                      # optional: already masked (Sec. 4.3.2)
      "segments": [
        {"start": 3.2, "end": 7.9, "speaker": "reporter", "text": "How did the [MASK] go?"},
        {"start": "00:08.0", "end": "00:15.5", "speaker": "player", "text": "..."}
      ]
    }

``start`` / ``end`` are seconds (number) or ``"MM:SS(.s)"`` / ``"HH:MM:SS(.s)"`` strings;
``speaker`` is optional. The MG timeline is built from a video of the clip-outputs file: one
entry per clip ``{"start": "MM:SS.s", "end": "MM:SS.s", "micro_gesture": name}`` in temporal
order, times from the clip's frames and the frame rate.
"""
import json
import os.path as osp
from typing import Dict, List, Optional, Sequence, Union

import numpy as np

Number = Union[int, float]


def format_timestamp(seconds: float) -> str:
    """``75.34 -> '01:15.3'``; ``3725 -> '1:02:05.0'``."""
    if seconds < 0:
        raise ValueError(f'negative timestamp {seconds}')
    tenths = int(round(seconds * 10))
    hours, rest = divmod(tenths, 36000)
    minutes, rest = divmod(rest, 600)
    secs = rest / 10
    if hours:
        return f'{hours}:{minutes:02d}:{secs:04.1f}'
    return f'{minutes:02d}:{secs:04.1f}'


def parse_timestamp(value: Union[Number, str], where: str = '') -> float:
    """Seconds from a number or a ``'[HH:]MM:SS[.s]'`` string.

    Raises:
        ValueError: naming ``where`` for anything else.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value < 0:
            raise ValueError(f'{where}: negative timestamp {value}')
        return float(value)
    if isinstance(value, str):
        parts = value.strip().split(':')
        try:
            nums = [float(p) for p in parts]
        except ValueError:
            nums = []
        if 1 <= len(nums) <= 3 and all(n >= 0 for n in nums):
            total = 0.0
            for n in nums:
                total = total * 60 + n
            return total
    raise ValueError(f'{where}: timestamp {value!r} is neither seconds nor "[HH:]MM:SS[.s]"')


def load_transcript(path: str) -> Dict:
    """Read and check a transcript file (format in the module docstring).

    Returns:
        dict: ``{'video_id': str | None, 'masked': bool, 'segments': [{'start': float,
        'end': float, 'speaker': str, 'text': str}]}`` with segments sorted by start.

    Raises:
        FileNotFoundError / ValueError: naming the file and what is wrong.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'transcript {path} does not exist')
    try:
        with open(path, encoding='utf-8') as f:
            data = json.load(f)
    except json.JSONDecodeError as e:
        raise ValueError(f'{path}: transcript is not valid JSON ({e}); see the format in '
                         'docs/emotion.md')
    if isinstance(data, list):  # a bare list of segments is accepted
        data = dict(segments=data)
    if not isinstance(data, dict) or not isinstance(data.get('segments'), list):
        raise ValueError(f'{path}: transcript must be {{"segments": [{{"start", "end", "text"}}]}}'
                         ' (see docs/emotion.md)')
    segments = []
    for i, seg in enumerate(data['segments']):
        where = f'{path}: segment {i}'
        if not isinstance(seg, dict) or 'text' not in seg or 'start' not in seg:
            raise ValueError(f'{where} needs "start" and "text" (and optionally "end", '
                             '"speaker")')
        start = parse_timestamp(seg['start'], where)
        end = parse_timestamp(seg.get('end', seg['start']), where)
        if end < start:
            raise ValueError(f'{where}: end {seg.get("end")} is before start {seg["start"]}')
        segments.append(dict(start=start, end=end, speaker=str(seg.get('speaker', '')),
                             text=str(seg['text'])))
    segments.sort(key=lambda s: s['start'])
    vid = data.get('video_id')
    return dict(video_id=None if vid is None else str(vid).zfill(4) if str(vid).isdigit()
                else str(vid), masked=bool(data.get('masked', False)), segments=segments)


def transcript_table(segments: Sequence[Dict]) -> str:
    """Markdown table ``| timestamp | text |`` (the masking step's output layout)."""
    lines = ['| timestamp | text |', '| --- | --- |']
    for s in segments:
        speaker = f"{s['speaker']}: " if s.get('speaker') else ''
        text = f"{speaker}{s['text']}".replace('|', '/').replace('\n', ' ')
        lines.append(f"| {format_timestamp(s['start'])} - {format_timestamp(s['end'])} | "
                     f'{text} |')
    return '\n'.join(lines)


def parse_transcript_table(markdown: str) -> List[Dict]:
    """Segments from a ``| timestamp | text |`` table (the masking LLM's answer).

    Rows whose first cell is not ``start[ - end]`` are ignored; returns ``[]`` if none parse.
    """
    segments = []
    for line in markdown.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) < 2:
            continue
        times = [t.strip() for t in cells[0].replace('–', '-').split(' - ')]
        try:
            start = parse_timestamp(times[0])
            end = parse_timestamp(times[-1])
        except ValueError:
            continue
        text = ' | '.join(cells[1:])
        speaker = ''
        if ': ' in text and len(text.split(': ', 1)[0].split()) == 1:
            speaker, text = text.split(': ', 1)
        segments.append(dict(start=start, end=max(end, start), speaker=speaker, text=text))
    return segments


def mg_timeline(video: Dict, class_names: Sequence[str], fps: float,
                label_field: str = 'pred_label',
                exclude_labels: Sequence[int] = ()) -> List[Dict]:
    """The MG timeline of one clip-outputs video entry.

    Args:
        video: Entry of ``clip_outputs['videos']`` (clips in temporal order).
        class_names: Name of each label index.
        fps: Frame rate converting frames to seconds.
        label_field: ``'pred_label'`` (what the clip model recognised) or ``'gt_label'``.
        exclude_labels: Labels left out (e.g. the non-MG class 31 of iMiGUE).

    Returns:
        list: ``[{'start': 'MM:SS.s', 'end': 'MM:SS.s', 'micro_gesture': name}, ...]``.
    """
    if fps <= 0:
        raise ValueError(f'fps must be positive, got {fps}')
    labels = np.asarray(video[label_field], dtype=np.int64)
    if len(labels) and (labels.min() < 0 or labels.max() >= len(class_names)):
        raise ValueError(f'video {video.get("video_id")}: {label_field} outside the '
                         f'{len(class_names)} class names')
    start = np.asarray(video['start_frame']) / fps
    end = (np.asarray(video['end_frame']) + 1) / fps
    order = np.argsort(start, kind='stable')
    skip = set(int(x) for x in exclude_labels)
    return [dict(start=format_timestamp(float(start[i])), end=format_timestamp(float(end[i])),
                 micro_gesture=class_names[labels[i]])
            for i in order if int(labels[i]) not in skip]


def transcript_path(transcript_dir: str, video_id: str) -> Optional[str]:
    """``<dir>/<video_id>.json`` if it exists, else None; an id that is not a plain name
    (``../secret``) is refused rather than read from outside ``transcript_dir``."""
    from ..datasets.formats.clip_id import check_path_component
    check_path_component(video_id, 'video id', 'the clip outputs')
    path = osp.join(transcript_dir, f'{video_id}.json')
    return path if osp.isfile(path) else None


def collect_reasoning_videos(args) -> List[dict]:
    """The videos to reason about, with their MG timelines and transcripts.

    ``args`` holds the options of ``tools/emotion/llm_reasoning.py`` (``clip_outputs``,
    ``transcripts`` / ``transcript`` / ``video_id``, ``split``, ``split_file``, ``labels``,
    ``exclude_non_mg``, ``max_videos``). Video ids from the clip outputs become transcript file
    names only through :func:`transcript_path`, which refuses ids that leave the folder.
    """
    from ..protocol import IMIGUE_NUM_CLASSES, imigue_emotion_split, load_split_file
    from ..protocol.imigue import normalize_video_id
    from .clip_outputs import load_clip_outputs
    content = load_clip_outputs(args.clip_outputs)
    meta, videos = content['meta'], content['videos']
    classes = list(meta.get('classes') or [])
    fps = float(meta.get('fps') or 25.0)
    exclude = (IMIGUE_NUM_CLASSES - 1, ) if args.exclude_non_mg else ()

    one = None
    if args.transcript:
        one = load_transcript(args.transcript)
        vid = normalize_video_id(args.video_id or one['video_id'] or '')
        if not vid:
            raise SystemExit(f'{args.transcript} has no "video_id"; pass --video-id')
        ids = [vid]
    elif args.split == 'all':
        ids = sorted(videos)
    else:
        train, test = imigue_emotion_split()
        if args.split_file:
            user = load_split_file(args.split_file)
            train = user.get('emotion_train_videos', train)
            test = user.get('emotion_test_videos', test)
        ids = list(train if args.split == 'train' else test)
    missing = [v for v in ids if v not in videos]
    ids = [v for v in ids if v in videos and int(videos[v]['emotion']) in (0, 1)]
    if missing:
        print(f'[llm_reasoning] {len(missing)} video(s) of the split are not in '
              f'{args.clip_outputs} (skipped), e.g. {missing[:5]}')
    if not ids:
        raise SystemExit('no video to evaluate: the clip outputs hold none of the requested videos')
    if args.max_videos:
        ids = ids[:args.max_videos]

    out, no_transcript = [], 0
    for vid in ids:
        entry = videos[vid]
        names = classes or [str(i) for i in range(int(meta.get('num_classes') or 0) or
                                                  int(max(entry[args.labels], default=0)) + 1)]
        tr = one
        if tr is None and args.transcripts:
            path = transcript_path(args.transcripts, vid)
            tr = load_transcript(path) if path else None
        if tr is None:
            no_transcript += 1
        out.append(dict(video_id=vid, emotion=int(entry['emotion']),
                        timeline=mg_timeline(entry, names, fps, args.labels, exclude),
                        segments=None if tr is None else tr['segments'],
                        masked=bool(tr and tr['masked'])))
    if no_transcript:
        print(f'[llm_reasoning] {no_transcript}/{len(out)} video(s) have no transcript: '
              'MG timeline only (text-only answers then carry no information)')
    return out
