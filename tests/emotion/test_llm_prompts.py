"""Transcript / MG-timeline inputs and the paper's prompts."""
import json

import numpy as np
import pytest

from mmimigue.emotion.llm_inputs import (
    format_timestamp,
    load_transcript,
    mg_timeline,
    parse_timestamp,
    parse_transcript_table,
    transcript_table,
)
from mmimigue.emotion.llm_prompts import (
    MASKING_PROMPT,
    NO_TRANSCRIPT,
    REASONING_PROMPT,
    SYSTEM_PROMPT,
    build_masking_messages,
    build_reasoning_messages,
)


def test_timestamps_round_trip():
    assert format_timestamp(0) == '00:00.0'
    assert format_timestamp(75.34) == '01:15.3'
    assert format_timestamp(3725) == '1:02:05.0'
    for s in (0.0, 8.5, 75.3, 3725.0):
        assert parse_timestamp(format_timestamp(s)) == pytest.approx(s)
    assert parse_timestamp(12) == 12.0
    assert parse_timestamp('01:02:03') == 3723.0
    for bad in ('soon', '-1:00', True, '1:2:3:4'):
        with pytest.raises(ValueError, match='timestamp'):
            parse_timestamp(bad, 'x.json')


def _video():
    return dict(video_id='0007', start_frame=np.array([0, 50, 250]),
                end_frame=np.array([24, 99, 274]),
                pred_label=np.array([16, 31, 5]), gt_label=np.array([16, 2, 5]))


def test_mg_timeline_from_clip_outputs():
    names = [f'mg{i}' for i in range(32)]
    tl = mg_timeline(_video(), names, fps=25.0)
    assert tl == [dict(start='00:00.0', end='00:01.0', micro_gesture='mg16'),
                  dict(start='00:02.0', end='00:04.0', micro_gesture='mg31'),
                  dict(start='00:10.0', end='00:11.0', micro_gesture='mg5')]
    assert [e['micro_gesture'] for e in mg_timeline(_video(), names, 25, 'gt_label')] == \
        ['mg16', 'mg2', 'mg5']
    assert len(mg_timeline(_video(), names, 25, exclude_labels=(31, ))) == 2
    with pytest.raises(ValueError, match='class names'):
        mg_timeline(_video(), names[:10], 25)


def test_transcript_file_and_errors(tmp_path):
    path = tmp_path / '0007.json'
    path.write_text(json.dumps({'video_id': 7, 'segments': [
        {'start': '00:08.0', 'end': 15.5, 'speaker': 'player', 'text': 'It was [MASK].'},
        {'start': 3.2, 'end': 7.9, 'speaker': 'reporter', 'text': 'How was the [MASK]?'}]}))
    tr = load_transcript(str(path))
    assert tr['video_id'] == '0007' and not tr['masked']
    assert [s['start'] for s in tr['segments']] == [3.2, 8.0]  # sorted by time
    table = transcript_table(tr['segments'])
    assert '| 00:03.2 - 00:07.9 | reporter: How was the [MASK]? |' in table
    back = parse_transcript_table(table)
    assert [(s['start'], s['speaker'], s['text']) for s in back] == \
        [(3.2, 'reporter', 'How was the [MASK]?'), (8.0, 'player', 'It was [MASK].')]
    for content, msg in (('{not json', 'not valid JSON'), ('{"text": "x"}', 'segments'),
                         ('{"segments": [{"start": 1}]}', 'needs "start" and "text"'),
                         ('{"segments": [{"start": 5, "end": 1, "text": "x"}]}', 'before start')):
        path.write_text(content)
        with pytest.raises(ValueError, match=msg):
            load_transcript(str(path))
    with pytest.raises(FileNotFoundError):
        load_transcript(str(tmp_path / 'none.json'))


def test_reasoning_prompt_holds_transcript_and_mg_json():
    segments = [dict(start=3.2, end=7.9, speaker='reporter', text='How was the [MASK]?')]
    timeline = mg_timeline(_video(), [f'mg{i}' for i in range(32)], 25.0)
    msgs = build_reasoning_messages(segments, timeline)
    assert msgs[0] == dict(role='system', content=SYSTEM_PROMPT)
    user = msgs[1]['content']
    assert msgs[1]['role'] == 'user' and user.startswith(REASONING_PROMPT)
    assert 'text-only: win: confidence score, lose: confidence score. text+micro-gestures:' in user
    assert '| 00:03.2 - 00:07.9 | reporter: How was the [MASK]? |' in user
    mg_json = user.split('Micro-gestures (JSON):\n', 1)[1]
    assert json.loads(mg_json) == timeline
    no_text = build_reasoning_messages(None, timeline, system_prompt=None)
    assert len(no_text) == 1 and NO_TRANSCRIPT in no_text[0]['content']


def test_masking_prompt():
    msgs = build_masking_messages([dict(start=1.0, end=2.0, speaker='', text='Congratulations!')])
    assert msgs[0]['content'].startswith(MASKING_PROMPT)
    assert 'replace the text that needs to be hidden with [MASK]' in MASKING_PROMPT
    assert '| 00:01.0 - 00:02.0 | Congratulations! |' in msgs[0]['content']


# The paper's reasoning prompt (dual-stream paper, sec. 5.2.2), sentence by sentence, typed in
# from the paper independently of mmimigue/emotion/llm_prompts.py.
PAPER_REASONING_SENTENCES = [
    'Below, I will send you the transcription of a post-match interview with an athlete, along '
    'with their micro-gestures during this process.',
    'Both types of information include timestamps, so you can match them up.',
    'First, please analyze only the text to determine the outcome of the athlete\'s performance '
    'in the match.',
    'Then, integrate the text with the micro-gesture information to analyze the outcome of the '
    'athlete\'s performance in the match.',
    'Please output the results in the following format: text-only: win: confidence score, lose: '
    'confidence score. text+micro-gestures: win: confidence score, lose: confidence score.',
    'Please indicate to what extent you think the athlete lost/won, and ensure that the sum of '
    'the confidence levels is 100 in both text-only and text+micro-gestures.',
    'When adding micro-gestures to the analysis, if clues indicate that the inference is '
    'contrary to the analysis using only text, please output it truthfully.',
    'You don\'t need to keep the results consistent between text-only analysis and '
    'micro-gesture analysis.',
    'Please do not output anything else.',
]


def test_reasoning_prompt_is_the_papers_every_sentence():
    assert ' '.join(PAPER_REASONING_SENTENCES) == REASONING_PROMPT
