"""Parsing of the LLM outcome answers, malformed ones included."""
import pytest

from mmimigue.emotion.llm_answer import parse_llm_answer


@pytest.mark.parametrize('text,text_only,text_mg', [
    ('text-only: win: 60, lose: 40. text+micro-gestures: win: 30, lose: 70.', (60, 40), (30, 70)),
    ('Text-only: Win: 55%, Lose: 45%\nText+Micro-gestures: Win: 20%, Lose: 80%', (55, 45),
     (20, 80)),
    ('**text-only**: win = 70, lose = 30\n**text + micro-gestures**: win = 35, lose = 65',
     (70, 30), (35, 65)),
    ('text_only:\n  win: 0.6\n  lose: 0.4\ntext and micro-gestures:\n  win: 0.25\n  lose: 0.75',
     (60, 40), (25, 75)),  # 0-1 scale is rescaled to 100
    ('text+micro-gestures: win: 10, lose: 90\ntext-only: win: 50, lose: 50', (50, 50), (10, 90)),
    ('text-only: win: confidence score 65, lose: confidence score 35. text+micro-gestures: '
     'win: confidence score 45, lose: confidence score 55', (65, 35), (45, 55)),
    ('Format: text-only: win: confidence score, lose: confidence score.\n'
     'text-only: win: 40, lose: 60\ntext+micro-gestures: win: 30, loss: 70', (40, 60), (30, 70)),
    ('text-only: win (62.5), lose (37.5); text+MG: win 12, lose 88', (62.5, 37.5), (12, 88)),
])
def test_parses_answer_variants(text, text_only, text_mg):
    ans = parse_llm_answer(text)
    assert not ans.malformed, ans.problems
    assert ans.text_only == pytest.approx(text_only)
    assert ans.text_mg == pytest.approx(text_mg)


def test_decisions_and_ties():
    ans = parse_llm_answer('text-only: win: 50, lose: 50. text+micro-gestures: win: 30, lose: 70')
    assert ans.decision('text_only') is None  # a tie is no decision
    assert ans.decision('text_mg') == 0
    assert parse_llm_answer('text-only: win: 80, lose: 20. text+micro-gestures: win: 51, '
                            'lose: 49').decision('text_mg') == 1


def test_sum_not_100_is_rescaled_and_noted():
    ans = parse_llm_answer('text-only: win: 30, lose: 30. text+micro-gestures: win: 3, lose: 1')
    assert ans.text_only == pytest.approx((50, 50))
    assert ans.text_mg == pytest.approx((75, 25))
    assert not ans.malformed
    assert any('rescaled' in p for p in ans.problems)


@pytest.mark.parametrize('text,problem', [
    (None, 'empty answer'),
    ('   ', 'empty answer'),
    ('I cannot determine the outcome of this match.', 'section missing'),
    ('text-only: win: 60, lose: 40', 'text+micro-gestures: section missing'),
    ('text-only: the athlete probably won. text+micro-gestures: win: 20, lose: 80',
     'text-only: no win/lose score'),
    ('text-only: win: 0, lose: 0. text+micro-gestures: win: 20, lose: 80', 'win + lose is 0'),
    ('text-only: win: 70. text+micro-gestures: win: 20, lose: 80', 'no lose score'),
])
def test_malformed_answers_are_reported_not_raised(text, problem):
    ans = parse_llm_answer(text)
    assert ans.malformed
    assert any(problem in p for p in ans.problems), ans.problems
    assert ans.to_dict()['malformed'] is True
    for section in ('text_only', 'text_mg'):  # unreadable sections give no decision
        if getattr(ans, section) is None:
            assert ans.decision(section) is None
