"""Prompts of the LLM-assisted emotion reasoning (dual-stream paper, Sec. 4.3).

Two steps: (1) optionally mask a transcript so that it reveals neither the match result nor the
player's identity or emotions (``MASKING_PROMPT``); (2) ask for the match outcome from the
masked text alone and from text plus the MG timeline (``REASONING_PROMPT``), answered as
``text-only: win: x, lose: y. text+micro-gestures: win: x, lose: y``.
"""
import json
from typing import Dict, List, Optional, Sequence

from .llm_inputs import transcript_table

#: Sec. 4.3.1: the model acts as a psychology expert who knows tennis and micro-gestures.
SYSTEM_PROMPT = ('You are a psychology expert with knowledge of psychology, of tennis events and '
                 'of the relationship between psychology and micro-gestures.')

#: Sec. 4.3.2, the masking prompt (given to GPT-3.5 in the paper).
MASKING_PROMPT = (
    "You are a professional text encryption expert. You will need to process the following "
    "text so that any information related to the outcome of the game and the player's "
    "identity is hidden within the text. 1) Please replace the text that needs to be hidden "
    "with [MASK]. 2) Please process each sentence separately and output each sentence after "
    "hiding the key information according to the original format. 3) As an expert, you will "
    "not only hide information that directly reveals \"game results and player identity and "
    "emotions\", but also hide clues that may reveal information, such as some emotion-related "
    "descriptors, or about some in-game situations). The text you're dealing with is a "
    "post-match interview between a player and a reporter, a conversation between two people. "
    "Please organize the output into a Markdown table. The first column is the timestamp and "
    "the second column is the text behind the hidden information. Every sentence must be "
    "strictly hidden, and words that may reveal the game situation in questions asked by "
    "reporters also need to be hidden. For example, words such as congratulations, winner, "
    "etc.")

#: Sec. 4.3.2, the reasoning prompt.
REASONING_PROMPT = (
    "Below, I will send you the transcription of a post-match interview with an athlete, along "
    "with their micro-gestures during this process. Both types of information include "
    "timestamps, so you can match them up. First, please analyze only the text to determine "
    "the outcome of the athlete's performance in the match. Then, integrate the text with the "
    "micro-gesture information to analyze the outcome of the athlete's performance in the "
    "match. Please output the results in the following format: text-only: win: confidence "
    "score, lose: confidence score. text+micro-gestures: win: confidence score, lose: "
    "confidence score. Please indicate to what extent you think the athlete lost/won, and "
    "ensure that the sum of the confidence levels is 100 in both text-only and "
    "text+micro-gestures. When adding micro-gestures to the analysis, if clues indicate that "
    "the inference is contrary to the analysis using only text, please output it truthfully. "
    "You don't need to keep the results consistent between text-only analysis and "
    "micro-gesture analysis. Please do not output anything else.")

#: Stands in for the transcript when only the MG timeline is available (e.g. synthetic data).
NO_TRANSCRIPT = '(no transcript available: every sentence of the interview is masked)'


def build_masking_messages(segments: Sequence[Dict]) -> List[Dict[str, str]]:
    """Chat messages asking the LLM to mask a transcript (answer: a markdown table)."""
    return [dict(role='user', content=f'{MASKING_PROMPT}\n\n{transcript_table(segments)}')]


def build_reasoning_messages(segments: Optional[Sequence[Dict]],
                             timeline: Sequence[Dict],
                             system_prompt: Optional[str] = SYSTEM_PROMPT
                             ) -> List[Dict[str, str]]:
    """Chat messages for the outcome inference.

    Args:
        segments: (Masked) transcript segments ``{start, end, speaker, text}`` in seconds, or
            None / empty when no transcript exists.
        timeline: MG timeline entries ``{start, end, micro_gesture}``, sent as JSON.
        system_prompt: System message; omitted when None.

    Returns:
        list: OpenAI-style ``[{'role', 'content'}]`` messages.
    """
    text = transcript_table(segments) if segments else NO_TRANSCRIPT
    mg_json = json.dumps(list(timeline), ensure_ascii=False, indent=None)
    content = (f'{REASONING_PROMPT}\n\nTranscription (masked):\n{text}\n\n'
               f'Micro-gestures (JSON):\n{mg_json}')
    messages = [] if system_prompt is None else [dict(role='system', content=system_prompt)]
    messages.append(dict(role='user', content=content))
    return messages
