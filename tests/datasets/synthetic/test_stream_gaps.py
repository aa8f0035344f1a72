"""The iMiGUE generator's stream options: talking between MGs moves the hands, away from the
body parts the touching MGs reach; the rest gaps only idle."""
import numpy as np

from mmimigue.datasets.synthetic import SyntheticConfig
from mmimigue.datasets.synthetic.imigue_generator import _render_gap, make_subjects

HEAD_AND_SHOULDERS = [0, 1, 2, 5, 15, 16, 17, 18]  # BODY_25 nose, neck, shoulders, eyes, ears


def _wrist_motion(gap_motion: bool):
    cfg = SyntheticConfig(gap_motion=gap_motion, seed=3)
    rng = np.random.default_rng(0)
    spread, closest = [], []
    for subject in make_subjects(cfg)[:8]:
        pts, occluded = _render_gap(400, subject, rng, cfg)
        assert pts.shape == (400, 137, 2) and not occluded.any()
        for wrist in (4, 7):
            spread.append(pts[:, wrist].std(0).max())
            closest.append(np.linalg.norm(pts[:, HEAD_AND_SHOULDERS] - pts[:, wrist:wrist + 1],
                                          axis=-1).min())
    return np.array(spread), np.array(closest)


def test_talking_moves_the_hands_but_never_to_head_or_shoulders():
    idle_spread, _ = _wrist_motion(False)
    talk_spread, talk_closest = _wrist_motion(True)
    assert np.median(talk_spread) > 3 * np.median(idle_spread)  # beats, not only sway
    assert talk_closest.min() > 1.0  # body units: nowhere near a touching MG's target
