"""How an emotion estimate is worded for people: an outcome only where the model leans."""


def emotion_wording(prob_win: float, margin: float = 0.1) -> str:
    """A calibrated phrase: an outcome only when p(win) is at least ``margin`` from 0.5."""
    if prob_win >= 0.5 + margin:
        verdict = 'leans win'
    elif prob_win <= 0.5 - margin:
        verdict = 'leans lose'
    else:
        verdict = 'undecided'
    return f'{verdict} (p(win) = {prob_win:.2f})'
