"""Equations and invariants of the six MG skeleton augmentations (dual-stream paper, eq. 2-8)."""
import math

import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.datasets.transforms.mg_augment import (
    MGCoordinatePerturb,
    MGPosterizeTime,
    MGRepeatClip,
    MGReverseClip,
    MGStretch,
    MGViewPerturb,
    rotation_matrix,
)
from mmimigue.skeleton.layouts import bone_pairs

ALL = [MGCoordinatePerturb, MGViewPerturb, MGStretch, MGRepeatClip, MGReverseClip,
       MGPosterizeTime]
TEMPORAL = [MGRepeatClip, MGReverseClip, MGPosterizeTime]
CENTER = 1  # imigue22 neck
BONES = np.array([(v, p) for v, p in bone_pairs('imigue22') if v != p])


def make_results(m=1, t=40, v=22, c=2, seed=0):
    """A smooth random-walk clip; score[m, t, v] encodes (m, t, v) so moved frames are traceable."""
    rng = np.random.default_rng(seed)
    kp = np.cumsum(rng.normal(0, 0.02, (m, t, v, c)), axis=1) + rng.normal(0, 0.3, (1, 1, v, c))
    score = (np.arange(m)[:, None, None] * 1e4 + np.arange(t)[None, :, None] * 100
             + np.arange(v)[None, None, :]).astype(np.float32)
    return dict(keypoint=kp.astype(np.float32), keypoint_score=score, total_frames=t)


def frame_of(score):
    return (score % 1e4) // 100


def bone_lengths(kp):
    return np.linalg.norm(kp[..., BONES[:, 0], :] - kp[..., BONES[:, 1], :], axis=-1)


def apply(t, res, params):
    return t.apply(dict(res, keypoint=res['keypoint'].copy(),
                        keypoint_score=res['keypoint_score'].copy()), params)


# ---------------------------------------------------------------- coordinate perturbation
def test_lambda_follows_eq2():
    t = MGCoordinatePerturb(temperature=4.0, max_ratio=100.0)
    res = make_results(m=2, t=9, c=3)
    kp = res['keypoint'].astype(np.float64)
    sta, mid, fin = kp[:, 0], kp[:, 4], kp[:, 8]
    expected = np.linalg.norm(fin - mid) / np.linalg.norm(mid - sta) / 4.0
    assert t.perturbation_coefficient(res['keypoint']) == pytest.approx(expected, rel=1e-5)
    # a hand-made round trip: back to the start -> ratio 1 -> lambda = 1 / tau
    x = np.zeros((1, 5, 3, 2))
    x[:, 2, 0, 0] = 0.5
    assert t.perturbation_coefficient(x) == pytest.approx(0.25)
    # one-way motion finished by the middle frame -> no perturbation
    x[:, 3:, 0, 0] = 0.5
    assert t.perturbation_coefficient(x) == pytest.approx(0.0)


def test_coordinate_perturb_moves_exactly_m_joints_by_constant_lambda_r():
    t = MGCoordinatePerturb(num_joints=5, temperature=2.0)
    res = make_results(m=2, t=30, c=3, seed=1)
    np.random.seed(3)
    params = t.sample_params(res['keypoint'])
    lam = t.perturbation_coefficient(res['keypoint'])
    assert lam > 0
    out = apply(t, res, params)
    diff = out['keypoint'] - res['keypoint']
    moved = np.abs(diff).max(axis=(1, 3)) > 0  # (M, V)
    assert (moved.sum(axis=1) == 5).all()
    assert set(np.flatnonzero(moved[0])) == set(params['joints'])
    assert np.allclose(diff, diff[:, :1], atol=1e-6)  # constant over time
    expected = lam * params['vectors']  # (M, m, C)
    assert np.allclose(diff[:, 0, params['joints']], expected, atol=1e-6)
    assert np.abs(params['vectors']).max() <= 1.0
    # every person gets its own vector per joint
    assert not np.allclose(params['vectors'][0], params['vectors'][1])
    np.testing.assert_array_equal(out['keypoint_score'], res['keypoint_score'])


def test_coordinate_perturb_zero_denominator_and_static_clip():
    t = MGCoordinatePerturb(num_joints=3, temperature=10.0, max_ratio=3.0)
    static = dict(keypoint=np.ones((1, 20, 22, 2), np.float32))
    assert t.perturbation_coefficient(static['keypoint']) == 0.0
    np.testing.assert_array_equal(t(dict(static))['keypoint'], static['keypoint'])
    # start == middle but the end moves: zero denominator -> clipped ratio, finite
    kp = np.zeros((1, 21, 22, 2), np.float32)
    kp[:, -1] = 1.0
    assert t.perturbation_coefficient(kp) == pytest.approx(0.3)
    assert np.isfinite(t(dict(keypoint=kp))['keypoint']).all()


def test_identity_parameters_give_identity():
    res = make_results(c=3)
    identities = [MGCoordinatePerturb(num_joints=0), MGCoordinatePerturb(scale=0.0),
                  MGViewPerturb(wide_range=0.0, narrow_range=0.0),
                  MGStretch(shape_range=(1.0, 1.0), tilt_range=(0.0, 0.0)),
                  MGRepeatClip(len_range=(0, 0)), MGReverseClip(len_range=(1, 1)),
                  MGPosterizeTime(speed_range=(1.0, 1.0))]
    for t in identities + [cls(p=0.0) for cls in ALL]:
        out = t(dict(res, keypoint=res['keypoint'].copy()))
        np.testing.assert_allclose(out['keypoint'], res['keypoint'], atol=1e-6, err_msg=repr(t))
        np.testing.assert_array_equal(out['keypoint_score'], res['keypoint_score'])


# ---------------------------------------------------------------- view perturbation
def test_rotation_matrices_are_eq_4_to_6():
    a = 0.3
    c, s = math.cos(a), math.sin(a)
    np.testing.assert_allclose(rotation_matrix(a, 0, 0), [[1, 0, 0], [0, c, s], [0, -s, c]])
    np.testing.assert_allclose(rotation_matrix(0, a, 0), [[c, 0, -s], [0, 1, 0], [s, 0, c]])
    np.testing.assert_allclose(rotation_matrix(0, 0, a), [[c, s, 0], [-s, c, 0], [0, 0, 1]])
    r = rotation_matrix(0.2, -1.0, 2.5)
    np.testing.assert_allclose(r, rotation_matrix(0.2, 0, 0) @ rotation_matrix(0, -1.0, 0)
                               @ rotation_matrix(0, 0, 2.5))
    np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(r) == pytest.approx(1.0)


def test_view_perturb_preserves_bone_lengths_and_centre_3d():
    res = make_results(m=2, t=25, c=3)
    np.random.seed(0)
    t = MGViewPerturb()
    for _ in range(5):
        out = t(dict(res))
        np.testing.assert_allclose(bone_lengths(out['keypoint']), bone_lengths(res['keypoint']),
                                   rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(out['keypoint'][:, :, CENTER], res['keypoint'][:, :, CENTER],
                                   atol=1e-6)
        assert not np.allclose(out['keypoint'], res['keypoint'])


def test_view_perturb_angle_ranges():
    t = MGViewPerturb(wide_range=1.0, narrow_range=0.1, wide_axis='y')
    np.random.seed(0)
    angles = np.array([t.sample_params(np.zeros((1, 1, 1, 3)))['angles'] for _ in range(400)])
    assert np.abs(angles[:, [0, 2]]).max() <= 0.1 and np.abs(angles[:, [0, 2]]).max() > 0.09
    assert np.abs(angles[:, 1]).max() <= 1.0 and np.abs(angles[:, 1]).max() > 0.9
    free = MGViewPerturb(wide_range=1.0, narrow_range=0.1)
    axes = {free.sample_params(np.zeros((1, 1, 1, 3)))['wide_axis'] for _ in range(60)}
    assert axes == {'x', 'y', 'z'}


def test_view_perturb_2d_is_orthographic_projection_of_3d_rotation():
    res2 = make_results(t=12, c=2, seed=4)
    kp2 = res2['keypoint'].astype(np.float64)
    t = MGViewPerturb()
    params = dict(wide_axis='y', angles=np.array([0.2, 0.9, -0.4]))
    out = apply(t, res2, params)['keypoint']
    # reference: lift to z = 0 about the centre, rotate column vectors by R, drop z
    rot = rotation_matrix(*params['angles'])
    pivot = kp2[:, :, CENTER:CENTER + 1]
    lifted = np.concatenate([kp2 - pivot, np.zeros(kp2.shape[:-1] + (1, ))], -1)
    ref = np.einsum('ij,mtvj->mtvi', rot, lifted)[..., :2] + pivot
    np.testing.assert_allclose(out, ref, atol=1e-5)
    # in-plane rotation keeps 2D bone lengths; out-of-plane only foreshortens
    inplane = apply(t, res2, dict(wide_axis='z', angles=np.array([0.0, 0.0, 1.2])))['keypoint']
    np.testing.assert_allclose(bone_lengths(inplane), bone_lengths(kp2), rtol=1e-4, atol=1e-6)
    assert (bone_lengths(out) <= bone_lengths(kp2) + 1e-5).all()


def test_view_perturb_with_score_channel_and_bad_channels():
    res = make_results(c=2)
    xys = np.concatenate([res['keypoint'], res['keypoint_score'][..., None]], -1)
    np.random.seed(1)
    out = MGViewPerturb(coord_dims=2)(dict(keypoint=xys.copy()))['keypoint']
    np.testing.assert_array_equal(out[..., 2], xys[..., 2])
    assert not np.allclose(out[..., :2], xys[..., :2])
    with pytest.raises(ValueError, match='coord_dims'):
        MGViewPerturb()(dict(keypoint=np.zeros((1, 4, 22, 4), np.float32)))
    with pytest.raises(ValueError, match='center'):
        MGViewPerturb(center=30)(dict(keypoint=np.zeros((1, 4, 22, 2), np.float32)))
    with pytest.raises(KeyError, match='keypoint'):
        MGViewPerturb()(dict(imgs=[]))
    with pytest.raises(ValueError, match='FormatGCNInput'):
        MGViewPerturb()(dict(keypoint=np.zeros((1, 1, 4, 22, 2), np.float32)))


# ---------------------------------------------------------------- stretch
def test_stretch_matrices_follow_eq_7_8():
    t = MGStretch()
    np.random.seed(0)
    kinds = []
    for _ in range(200):
        prm = t.sample_params(np.zeros((1, 1, 1, 3)))
        a = prm['matrix']
        kinds.append(prm['kind'])
        if prm['kind'] == 'shape':
            assert np.count_nonzero(a - np.diag(np.diag(a))) == 0
            assert ((np.diag(a) >= 1) & (np.diag(a) <= 2)).all()
        else:
            np.testing.assert_array_equal(np.diag(a), 1.0)
            off = a[~np.eye(3, dtype=bool)]
            assert ((off >= -1) & (off <= 1)).all() and np.count_nonzero(off) == 6
    assert 70 < kinds.count('shape') < 130


@pytest.mark.parametrize('c', [2, 3])
def test_stretch_is_x_times_a_about_the_centre(c):
    res = make_results(m=2, t=10, c=c, seed=5)
    kp = res['keypoint'].astype(np.float64)
    a = np.array([[1.0, 0.5, -0.3], [0.2, 1.0, 0.7], [-0.9, 0.4, 1.0]])
    out = apply(MGStretch(), res, dict(kind='tilt', matrix=a))['keypoint']
    pivot = kp[:, :, CENTER:CENTER + 1]
    np.testing.assert_allclose(out, (kp - pivot) @ a[:c, :c] + pivot, atol=1e-5)
    np.testing.assert_allclose(out[:, :, CENTER], kp[:, :, CENTER], atol=1e-6)
    plain = apply(MGStretch(center=None), res, dict(kind='tilt', matrix=a))['keypoint']
    np.testing.assert_allclose(plain, kp @ a[:c, :c], atol=1e-5)
    shape = apply(MGStretch(center=None), res,
                  dict(kind='shape', matrix=np.diag([2.0, 1.5, 1.25])))['keypoint']
    np.testing.assert_allclose(shape, kp * np.array([2.0, 1.5, 1.25])[:c], atol=1e-5)


# ---------------------------------------------------------------- temporal
def test_reverse_twice_with_same_draw_is_identity():
    res = make_results(m=2, t=33)
    t = MGReverseClip()
    for seed in range(5):
        np.random.seed(seed)
        once = t(dict(res))
        assert not np.array_equal(once['keypoint'], res['keypoint'])
        np.random.seed(seed)
        twice = t(dict(once))
        np.testing.assert_array_equal(twice['keypoint'], res['keypoint'])
        np.testing.assert_array_equal(twice['keypoint_score'], res['keypoint_score'])
    inds = t.frame_indices(10, dict(start=3, length=4))
    np.testing.assert_array_equal(inds, [0, 1, 2, 6, 5, 4, 3, 7, 8, 9])


def test_repeat_clip_indices_and_ends():
    t = MGRepeatClip()
    # segment [2, 5) played twice: 13 frames, resampled to 10 with rint(linspace(0, 12, 10))
    np.testing.assert_array_equal(t.frame_indices(10, dict(start=2, length=3)),
                                  [0, 1, 3, 4, 2, 4, 5, 6, 8, 9])
    np.testing.assert_array_equal(t.frame_indices(10, dict(start=2, length=0)), np.arange(10))
    res = make_results(t=40)
    np.random.seed(0)
    for _ in range(20):
        prm = t.sample_params(res['keypoint'])
        assert 0 <= prm['start'] <= 20 and 4 <= prm['length'] <= 12
        assert prm['start'] + prm['length'] <= 40
        inds = t.frame_indices(40, prm)
        assert len(inds) == 40 and inds[0] == 0 and inds[-1] == 39
    # start/length as frames (ints) instead of fractions
    fixed = MGRepeatClip(start_max=0, len_range=(5, 5))
    assert fixed.sample_params(res['keypoint']) == dict(start=0, length=5)


def test_posterize_keeps_length_ends_and_is_monotone():
    t = MGPosterizeTime()
    res = make_results(t=60)
    np.random.seed(0)
    changed = 0
    for _ in range(30):
        prm = t.sample_params(res['keypoint'])
        h, e = prm['head'], prm['tail']
        assert 3 <= h <= 9 and 3 <= e <= 9
        inds = t.frame_indices(60, prm)
        assert len(inds) == 60
        np.testing.assert_array_equal(inds[:h], np.arange(h))
        np.testing.assert_array_equal(inds[60 - e:], np.arange(60 - e, 60))
        assert (np.diff(inds) >= 0).all()
        mid = inds[h:60 - e]
        assert mid.min() >= h and mid.max() < 60 - e
        changed += not np.array_equal(inds, np.arange(60))
    assert changed >= 25
    # speeds (1, 2) on two halves: the slow first half spans 2/3 of the middle output
    inds = t.frame_indices(12, dict(head=0, tail=0, cuts=np.array([6]), speeds=[1.0, 2.0]))
    np.testing.assert_array_equal(inds, [0, 1, 1, 2, 3, 4, 4, 5, 6, 8, 9, 11])


@pytest.mark.parametrize('cls', TEMPORAL)
def test_temporal_scores_follow_their_frames(cls):
    res = make_results(m=2, t=37)
    np.random.seed(7)
    out = cls()(dict(res))
    assert out['keypoint'].shape == res['keypoint'].shape
    src = frame_of(out['keypoint_score']).astype(int)  # (M, T, V), the input frame of each entry
    assert (src == src[:, :, :1]).all() and (src == src[:1]).all()  # whole frames move
    np.testing.assert_array_equal(out['keypoint'], res['keypoint'][:, src[0, :, 0]])


@pytest.mark.parametrize('cls', ALL)
@pytest.mark.parametrize('t', [0, 1, 2, 3])
def test_short_clips_do_not_crash(cls, t):
    res = make_results(t=max(t, 1))
    res = dict(keypoint=res['keypoint'][:, :t], keypoint_score=res['keypoint_score'][:, :t])
    np.random.seed(0)
    for _ in range(5):
        out = cls()(dict(res))
        assert out['keypoint'].shape == res['keypoint'].shape
        assert np.isfinite(out['keypoint']).all()


@pytest.mark.parametrize('cls', ALL)
def test_nans_stay_where_they_were(cls):
    res = make_results(m=1, t=30, c=3)
    kp = res['keypoint']
    kp[0, 0, 3] = np.nan  # a missing joint in the start frame (enters lambda)
    kp[0, 10, CENTER] = np.nan  # a missing pivot joint
    kp[0, 15] = np.nan  # a lost frame
    np.random.seed(2)
    out = cls()(dict(res, keypoint=kp.copy()))
    bad_in = ~np.isfinite(kp).all(-1)
    bad_out = ~np.isfinite(out['keypoint']).all(-1)
    if cls in TEMPORAL:  # NaNs move with their frames
        src = frame_of(out['keypoint_score']).astype(int)[0, :, 0]
        np.testing.assert_array_equal(bad_out[0], bad_in[0, src])
    else:
        np.testing.assert_array_equal(bad_out, bad_in)


@pytest.mark.parametrize('cls', ALL)
def test_seeded_runs_are_reproducible_and_input_untouched(cls):
    res = make_results(m=2, t=40)
    before = res['keypoint'].copy()
    outs = []
    for _ in range(2):
        np.random.seed(11)
        outs.append(TRANSFORMS.build(dict(type=cls.__name__))(dict(res))['keypoint'])
    np.testing.assert_array_equal(outs[0], outs[1])
    np.testing.assert_array_equal(res['keypoint'], before)
    assert not np.array_equal(outs[0], before)
    assert repr(cls()).startswith(cls.__name__ + '(') and 'p=1.0' in repr(cls())


def test_probability_is_respected():
    res = make_results(t=20)
    t = MGReverseClip(p=0.3)
    np.random.seed(0)
    applied = sum(not np.array_equal(t(dict(res))['keypoint'], res['keypoint'])
                  for _ in range(400))
    assert 80 < applied < 160


def test_bad_arguments_are_rejected():
    with pytest.raises(ValueError, match='p must'):
        MGStretch(p=1.5)
    with pytest.raises(ValueError, match='coord_dims'):
        MGStretch(coord_dims=4)
    with pytest.raises(ValueError, match='wide_axis'):
        MGViewPerturb(wide_axis='w')
    with pytest.raises(ValueError, match='fraction'):
        MGReverseClip(len_range=(0.2, 1.5))
    with pytest.raises(ValueError, match='speeds'):
        MGPosterizeTime(speed_range=(0.0, 1.0))
    with pytest.raises(ValueError, match='keypoint_score'):
        MGRepeatClip()(dict(keypoint=np.zeros((1, 5, 3, 2)), keypoint_score=np.zeros((1, 4, 3))))
