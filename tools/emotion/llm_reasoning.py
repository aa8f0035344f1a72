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
import sys
from typing import List, Optional


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


def main(argv: Optional[List[str]] = None) -> dict:
    args = parse_args(argv)
    from mmimigue.emotion.llm_client import ChatClient
    from mmimigue.emotion.llm_inputs import collect_reasoning_videos
    from mmimigue.emotion.llm_prompts import build_reasoning_messages
    from mmimigue.emotion.llm_reasoning import previous_records, reason_about_videos
    try:
        videos = collect_reasoning_videos(args)
    except ValueError as e:
        sys.exit(f'llm_reasoning: {e}')
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
                                     mask_with_llm=args.mask, done=done, on_record=save,
                                     model=client.model)
        reused = len(result['records']) - len(new)
        if reused:
            print(f'[llm_reasoning] reused {reused} answer(s) from {args.out}')
        s = result['summary']
        print(f'[llm_reasoning] {s["num_videos"]} videos x {s["repeats"]} repeat(s) via '
              f'{client.shown_url} ({client.model}); request errors {s["request_errors"]}, '
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


def write_json_atomic(path: str, obj: dict) -> None:
    from mmimigue.fileio import atomic_write
    atomic_write(path, json.dumps(obj, indent=1))


if __name__ == '__main__':
    main()
