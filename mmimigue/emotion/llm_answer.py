"""Parsing of the LLM's outcome answer ``text-only: win: x, lose: y. text+micro-gestures: ...``.

Answers vary in case, markdown, separators (``:`` / ``=`` / ``-``), percent signs, line breaks,
0-1 versus 0-100 scales and extra prose. Parsing never raises: a section that cannot be read is
``None`` and the reason is listed in :attr:`LLMAnswer.problems`, so callers count malformed
answers instead of crashing.
"""
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

SECTIONS = ('text_only', 'text_mg')

_HEADERS = {
    'text_only': re.compile(r'\btext[\s_\-]*only', re.I),
    'text_mg': re.compile(
        r'\btext\s*(?:\+|&|and|plus|with)\s*(?:micro[\s_\-]*gestures?|mgs?\b)', re.I),
}
_NUM = r'(\d+(?:\.\d+)?)\s*%?'
_FILLER = r'[\s:=\-–(\[]*(?:confidence(?:\s*(?:score|level))?[\s:=\-–(\[]*)?'
_WIN = re.compile(r'\bwin(?:s|ning)?\b' + _FILLER + _NUM, re.I)
_LOSE = re.compile(r'\b(?:lose|loss|lost|losing)\b' + _FILLER + _NUM, re.I)


@dataclass
class LLMAnswer:
    """A parsed answer.

    Attributes:
        text_only: (win, lose) confidences rescaled to sum to 100, or None if unreadable.
        text_mg: Same for text + micro-gestures.
        problems: Why a section is None, or notes such as rescaled sums.
        raw: The answer text.
    """

    text_only: Optional[Tuple[float, float]] = None
    text_mg: Optional[Tuple[float, float]] = None
    problems: List[str] = field(default_factory=list)
    raw: str = ''

    @property
    def malformed(self) -> bool:
        """True when either section could not be read."""
        return self.text_only is None or self.text_mg is None

    def decision(self, section: str) -> Optional[int]:
        """1 (win) / 0 (lose) for ``section`` in ``('text_only', 'text_mg')``; None when the
        section is unreadable or a tie."""
        pair = getattr(self, section)
        if pair is None or pair[0] == pair[1]:
            return None
        return int(pair[0] > pair[1])

    def to_dict(self) -> Dict:
        return dict(text_only=self.text_only, text_mg=self.text_mg, problems=self.problems,
                    malformed=self.malformed, raw=self.raw)


def _clean(text: str) -> str:
    text = re.sub(r'[*_`#>]+(?=\w)|(?<=\w)[*_`#]+', ' ', text)  # markdown emphasis / code
    return text.replace('＋', '+').replace('：', ':')


def _read_pair(span: str) -> Tuple[Optional[Tuple[float, float]], Optional[str]]:
    win = _WIN.search(span)
    lose = _LOSE.search(span)
    if win is None or lose is None:
        missing = [n for n, m in (('win', win), ('lose', lose)) if m is None]
        return None, f'no {"/".join(missing)} score'
    w, lo = float(win.group(1)), float(lose.group(1))
    total = w + lo
    if total <= 0:
        return None, 'win + lose is 0'
    note = None
    if abs(total - 100) > 1:
        note = f'win + lose = {total:g}, rescaled to 100'
    return (100 * w / total, 100 * lo / total), note


def parse_llm_answer(text: Optional[str]) -> LLMAnswer:
    """Parse an answer; never raises.

    The last occurrence of each section header wins (models sometimes restate the format
    before answering); a section spans up to the next header.
    """
    answer = LLMAnswer(raw='' if text is None else str(text))
    if not answer.raw.strip():
        answer.problems.append('empty answer')
        return answer
    clean = _clean(answer.raw)
    hits = []  # (position, end, section)
    for name, pattern in _HEADERS.items():
        hits.extend((m.start(), m.end(), name) for m in pattern.finditer(clean))
    hits.sort()
    bounds = [h[0] for h in hits] + [len(clean)]
    spans: Dict[str, str] = {}
    for i, (pos, end, name) in enumerate(hits):
        span = clean[end:bounds[i + 1]]
        pair, _ = _read_pair(span)
        if pair is not None or name not in spans:  # keep the last readable occurrence
            spans[name] = span
    for name in SECTIONS:
        label = name.replace('_mg', '+micro-gestures').replace('_', '-')
        if name not in spans:
            answer.problems.append(f'{label}: section missing')
            continue
        pair, note = _read_pair(spans[name])
        if pair is None:
            answer.problems.append(f'{label}: {note}')
        else:
            setattr(answer, name, pair)
            if note:
                answer.problems.append(f'{label}: {note}')
    return answer
