"""LLM-assisted emotion reasoning over a set of videos (dual-stream paper, Sec. 4.3 / 5.2.2).

For each video: (optionally mask the transcript with the LLM), send the masked transcript and
the MG timeline, parse ``text-only`` / ``text+micro-gestures`` win / lose confidences and score
them against the video's emotion label. Request failures and malformed answers are counted and
scored as wrong (a tie counts as wrong too); accuracies over answered videos are reported
alongside.
"""
import hashlib
import json
import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

from .llm_answer import SECTIONS, parse_llm_answer
from .llm_client import LLMRequestError
from .llm_inputs import parse_transcript_table
from .llm_prompts import build_masking_messages, build_reasoning_messages

ChatFn = Callable[[List[Dict[str, str]]], str]


def mask_transcript(chat: ChatFn, segments: Sequence[Dict]) -> Optional[List[Dict]]:
    """Ask the LLM to mask ``segments``; None if the request fails or no row parses."""
    try:
        answer = chat(build_masking_messages(segments))
    except LLMRequestError:
        return None
    masked = parse_transcript_table(answer or '')
    return masked or None


def reason_about_videos(chat: ChatFn,
                        videos: Sequence[Dict],
                        repeats: int = 1,
                        mask_with_llm: bool = False,
                        done: Optional[Sequence[Dict]] = None,
                        on_record: Optional[Callable[[Dict], None]] = None,
                        model: str = '') -> Dict:
    """Run the reasoning prompt on every video ``repeats`` times.

    Args:
        chat: ``messages -> answer text`` (e.g. ``ChatClient(...).chat``); may raise
            :class:`LLMRequestError`.
        videos: ``{'video_id', 'emotion' (1 win / 0 lose), 'timeline': [...],
            'segments': [...] or None, 'masked': bool}``.
        repeats: Times each video is asked (the paper repeats five times and averages).
        mask_with_llm: Mask unmasked transcripts with the masking prompt first.
        done: Records of an earlier, interrupted run; a (video, repeat) answered there without
            an error *for the same inputs* (:func:`input_key`: prompt, transcript, timeline,
            masking and model) is not asked again (a rerun resumes; other inputs ask again).
        on_record: Called with every new record as soon as it exists (to save answers
            incrementally).
        model: The LLM's name (part of :func:`input_key`).

    Returns:
        dict: ``summary`` (accuracies per section: mean / std over repeats, over all videos and
        over answered ones; counts of request errors, malformed answers, ties, masking
        failures) and ``records`` (one per video and repeat, with the parsed answer).
    """
    records: List[Dict] = []
    mask_failures = 0
    prepared = []
    answered = {(r['video_id'], r['repeat'], r.get('input_key')): r for r in (done or [])
                if not r.get('error')}
    keys = {video['video_id']: input_key(video, mask_with_llm, model) for video in videos}
    for video in videos:
        if all((video['video_id'], r, keys[video['video_id']]) in answered
               for r in range(repeats)):
            prepared.append((video, None))  # every repeat answered before: no masking needed
            continue
        segments = video.get('segments')
        if segments and mask_with_llm and not video.get('masked', False):
            masked = mask_transcript(chat, segments)
            if masked is None:
                mask_failures += 1  # the video is skipped: unmasked text would leak the outcome
                records.extend(dict(video_id=video['video_id'], repeat=r, emotion=video['emotion'],
                                    error='masking failed') for r in range(repeats))
                continue
            segments = masked
        prepared.append((video, build_reasoning_messages(segments, video['timeline'])))

    for r in range(repeats):
        for video, messages in prepared:
            key = keys[video['video_id']]
            if (video['video_id'], r, key) in answered:
                records.append(answered[(video['video_id'], r, key)])
                continue
            rec = dict(video_id=video['video_id'], repeat=r, emotion=int(video['emotion']),
                       has_transcript=bool(video.get('segments')), input_key=key)
            try:
                answer = parse_llm_answer(chat(messages))
            except LLMRequestError as e:
                rec['error'] = str(e)
            else:
                rec.update(answer.to_dict())
                for section in SECTIONS:
                    rec[f'{section}_pred'] = answer.decision(section)
            records.append(rec)
            if on_record is not None:
                on_record(rec)
    return dict(summary=summarize(records, repeats, mask_failures), records=records)


def input_key(video: Dict, mask_with_llm: bool, model: str) -> str:
    """A hash of everything an answer depends on: the prompt built from the video's transcript
    and MG timeline, whether the LLM masks the transcript first, and the model."""
    messages = build_reasoning_messages(video.get('segments'), video['timeline'])
    text = json.dumps([model, bool(mask_with_llm), bool(video.get('masked')), messages],
                      sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def summarize(records: Sequence[Dict], repeats: int, mask_failures: int = 0) -> Dict:
    """Accuracy per section and repeat, and the failure counts."""
    summary: Dict = dict(num_videos=len({r['video_id'] for r in records}), repeats=repeats,
                         request_errors=sum(1 for r in records if r.get('error')
                                            and r['error'] != 'masking failed'),
                         mask_failures=mask_failures,
                         malformed=sum(1 for r in records if r.get('malformed')))
    for section in SECTIONS:
        accs, answered_accs, ties, unreadable = [], [], 0, 0
        for rep in range(repeats):
            rows = [r for r in records if r['repeat'] == rep]
            if not rows:
                continue
            preds = [r.get(f'{section}_pred') for r in rows]
            correct = [p is not None and p == r['emotion'] for p, r in zip(preds, rows)]
            accs.append(float(np.mean(correct)))
            answered = [c for p, c in zip(preds, correct) if p is not None]
            if answered:
                answered_accs.append(float(np.mean(answered)))
            for r in rows:
                if r.get('error'):
                    continue  # counted as a request error / masking failure
                pair = r.get(section)
                if pair is None:
                    unreadable += 1
                elif pair[0] == pair[1]:
                    ties += 1
        summary[section] = dict(
            accuracy=float(np.mean(accs)) if accs else 0.0,
            accuracy_std=float(np.std(accs)) if accs else 0.0,
            accuracy_answered=float(np.mean(answered_accs)) if answered_accs else 0.0,
            unreadable=unreadable, ties=ties)
    return summary


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
