"""MGNormalizeBody2D: body-frame coordinates, invariance to where and how large a person is."""
import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

import mmimigue.registration  # noqa: F401  (compat shims + registration)


def _clip(seed=0, m=1, t=8, v=6):
    rng = np.random.default_rng(seed)
    kp = rng.normal(0, 1, (m, t, v, 2)).astype(np.float32)
    kp[:, :, 2] = kp[:, :, 1] + [-1., 0.]  # shoulders one unit either side of the neck ...
    kp[:, :, 5] = kp[:, :, 1] + [1., 0.]  # ... so the shoulder width is 2
    score = np.ones((m, t, v), np.float32)
    return kp, score


def _norm(kp, score=None, **kw):
    results = dict(keypoint=kp.copy())
    if score is not None:
        results['keypoint_score'] = score.copy()
    return TRANSFORMS.build(dict(type='MGNormalizeBody2D', **kw))(results)['keypoint']


def test_equation_mean_neck_origin_and_mean_shoulder_width():
    kp, score = _clip()
    out = _norm(kp, score)
    origin = kp[0, :, 1].mean(0)
    assert np.allclose(out, (kp - origin) / 2., atol=1e-6)
    assert out.dtype == np.float32
    assert np.allclose(out[0, :, 1].mean(0), 0, atol=1e-6)


def test_invariant_to_translation_and_scale_but_keeps_motion():
    kp, score = _clip(1)
    moved = kp * 37.5 + np.array([640., 310.], np.float32)  # pixels: another seat, another size
    assert np.allclose(_norm(kp, score), _norm(moved, score), atol=1e-5)
    assert _norm(kp, score)[0, :, 1].std(0).min() > 0.1  # the neck still moves within the clip


def test_undetected_joints_go_to_the_origin_and_are_ignored_in_the_statistics():
    kp, score = _clip(2)
    ref = _norm(kp, score)
    kp2, score2 = kp.copy(), score.copy()
    kp2[0, 3, :] = 0.  # OpenPose: a missed person is written as zeros with score 0 ...
    score2[0, 3, :] = 0.
    kp2[0, 5, 4] = np.nan  # ... and a NaN point is treated as missed too
    out = _norm(kp2, score2)
    assert np.all(out[0, 3] == 0) and np.all(out[0, 5, 4] == 0) and np.isfinite(out).all()
    # the statistics come from the detected frames only: the others keep their values
    kept = np.ones(kp.shape[1], bool)
    kept[3] = False
    origin = kp[0, kept, 1].mean(0)
    assert np.allclose(out[0, kept][:, :4], ((kp[0, kept] - origin) / 2.)[:, :4], atol=1e-5)
    assert not np.allclose(ref[0, 3], 0)


def test_fallbacks_without_neck_or_shoulders_and_empty_person():
    kp, score = _clip(3, m=2)
    score[0, :, 1] = 0  # person 0: neck never detected -> origin = mean of detected joints
    score[0, :, 5] = 0  # ... and no shoulder pair -> scale = RMS distance to that origin
    score[1] = 0  # person 1: nothing detected (padding)
    out = _norm(kp, score)
    det = score[0] > 0
    origin = kp[0][det].mean(0)
    rms = np.sqrt((((kp[0] - origin) ** 2).sum(-1) * det).sum() / det.sum())
    assert np.allclose(out[0][det], ((kp[0] - origin) / rms)[det], atol=1e-5)
    assert np.all(out[1] == 0)


def test_without_scores_every_finite_point_counts():
    kp, score = _clip(4)
    assert np.allclose(_norm(kp), _norm(kp, score), atol=1e-6)


def test_bad_input_is_a_clear_error():
    kp, score = _clip()
    with pytest.raises(ValueError, match='PreNormalize3D'):
        _norm(np.zeros((1, 4, 6, 3), np.float32))
    with pytest.raises(ValueError, match='6-joint layout'):
        _norm(kp, score, center=7)
    with pytest.raises(ValueError, match='two joints'):
        TRANSFORMS.build(dict(type='MGNormalizeBody2D', scale_joints=(2, )))
    assert 'scale_joints=(2, 5)' in repr(TRANSFORMS.build(dict(type='MGNormalizeBody2D')))


def test_scale_is_the_mean_shoulder_width_not_the_max():
    kp, score = _clip(2)
    widths = np.array([1., 2., 3., 6., 1., 2., 3., 6.])  # per frame; mean 3, max 6
    kp[0, :, 2] = kp[0, :, 1] - np.stack([widths / 2, 0 * widths], -1)
    kp[0, :, 5] = kp[0, :, 1] + np.stack([widths / 2, 0 * widths], -1)
    out = _norm(kp, score)
    origin = kp[0, :, 1].mean(0)
    assert np.allclose(out, (kp - origin) / 3., atol=1e-5)
