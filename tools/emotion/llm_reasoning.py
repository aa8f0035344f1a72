"""LLM-assisted emotion reasoning from (masked) transcripts and MG timelines (Sec. 4.3).

Usage::

    export MMIMIGUE_LLM_URL=https://api.openai.com/v1 MMIMIGUE_LLM_API_KEY=... \\
           MMIMIGUE_LLM_MODEL=gpt-3.5-turbo
    python tools/emotion/llm_reasoning.py data/imigue/clip_outputs.pkl \\
        [--transcripts DIR | --transcript FILE [--video-id 0371]] [--split test] \\
        [--labels pred_label|gt_label] [--exclude-non-mg] [--repeats 5] [--mask] \\
        [--out work_dirs/llm/results.json] [--dry-run]

MG timelines come from the clip-outputs file (``tools/extract_clip_outputs.py``); transcripts
are optional JSON files ``DIR/<video_id>.json`` (format in docs/emotion.md). Videos without a
transcript are sent with the MG timeline only. ``--dry-run`` writes the prompts and sends
nothing. Prints text-only and text+micro-gestures accuracies with malformed / failed counts.
"""
import argparse
import json
import os.path as osp
from typing import List, Optional

from mmimigue.emotion.clip_outputs import load_clip_outputs
from mmimigue.emotion.llm_client import ChatClient
from mmimigue.emotion.llm_inputs import (load_transcript, mg_timeline,
                                         transcript_path)
from mmimigue.emotion.llm_prompts import build_reasoning_messages
from mmimigue.emotion.llm_reasoning import reason_about_videos
from mmimigue.fileio import atomic_write
from mmimigue.protocol import (IMIGUE_NUM_CLASSES, imigue_emotion_split,
                               load_split_file)
from mmimigue.protocol.imigue import normalize_video_id


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description='LLM-assisted emotion reasoning (iMiGUE)')
    p.add_argument('clip_outputs', help='clip-outputs pickle (tools/extract_clip_outputs.py)')
    src = p.add_mutually_exclusive_group()
    src.add_argument('--transcripts', help='directory of <video_id>.json transcripts')
    src.add_argument('--transcript', help='one transcript file (runs that video only)')
    p.add_argument('--video-id', help='video of --transcript (default: its "video_id")')
    p.add_argument('--split', choices=['train', 'test', 'all'], default='test',
                   help='emotion split to evaluate (default test)')
    p.add_argument('--split-file', help='JSON split file with emotion_*_videos')
    p.add_argument('--labels', choices=['pred_label', 'gt_label'], default='pred_label',
                   help='MG timeline from predicted (default) or ground-truth clip labels')
    p.add_argument('--exclude-non-mg', action='store_true',
                   help='leave the non-MG class (iMiGUE 99 / index 31) out of the timeline')
    p.add_argument('--repeats', type=int, default=1, help='ask each video N times (paper: 5)')
    p.add_argument('--mask', action='store_true',
                   help='mask unmasked transcripts with the LLM first (paper masking prompt)')
    p.add_argument('--max-videos', type=int, help='only the first N videos')
    p.add_argument('--timeout', type=float, default=60.0)
    p.add_argument('--max-retries', type=int, default=3)
    p.add_argument('--temperature', type=float, help='sampling temperature sent to the LLM')
    p.add_argument('--out', help='write summary, per-video records (and prompts) as JSON')
    p.add_argument('--dry-run', action='store_true', help='build prompts only, send nothing')
    return p.parse_args(argv)


def collect_videos(args: argparse.Namespace) -> List[dict]:
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


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    videos = collect_videos(args)
    if args.dry_run:
        prompts = {v['video_id']: build_reasoning_messages(v['segments'], v['timeline'])
                   for v in videos}
        result = dict(summary=dict(num_videos=len(videos), dry_run=True), prompts=prompts)
        first = next(iter(prompts.values()))
        print(first[-1]['content'][:2000])
    else:
        options = {} if args.temperature is None else dict(temperature=args.temperature)
        client = ChatClient.from_env(timeout=args.timeout, max_retries=args.max_retries,
                                     request_options=options)
        done = previous_records(args.out)
        new: List[dict] = []

        def save(rec: dict) -> None:  # every answer reaches --out at once; a rerun resumes
            new.append(rec)
            if args.out:
                write_json_atomic(args.out, dict(partial=True, records=done + new))

        result = reason_about_videos(client.chat, videos, repeats=args.repeats,
                                     mask_with_llm=args.mask, done=done, on_record=save)
        reused = len(result['records']) - len(new)
        if reused:
            print(f'[llm_reasoning] reused {reused} answer(s) from {args.out}')
        s = result['summary']
        print(f'[llm_reasoning] {s["num_videos"]} videos x {s["repeats"]} repeat(s) via '
              f'{client.url} ({client.model}); request errors {s["request_errors"]}, '
              f'malformed answers {s["malformed"]}, masking failures {s["mask_failures"]}')
        for section, name in (('text_only', 'text-only'), ('text_mg', 'text+micro-gestures')):
            r = s[section]
            print(f'  {name:20s} accuracy {r["accuracy"]:.4f} (std {r["accuracy_std"]:.4f}; '
                  f'{r["accuracy_answered"]:.4f} over answered; unreadable {r["unreadable"]}, '
                  f'ties {r["ties"]})')
    if args.out:
        write_json_atomic(args.out, result)
        print(f'[llm_reasoning] wrote {args.out}')
    return result


def previous_records(out: Optional[str]) -> List[dict]:
    """The records an earlier run of the same --out saved (none when absent or unreadable)."""
    if not out or not osp.isfile(out):
        return []
    try:
        with open(out) as f:
            return list(json.load(f).get('records', []))
    except (ValueError, AttributeError):
        print(f'[llm_reasoning] {out} is not a results file; starting afresh')
        return []


def write_json_atomic(path: str, obj: dict) -> None:
    atomic_write(path, json.dumps(obj, indent=1))


if __name__ == '__main__':
    main()
