"""Layout-aware joint / bone / motion features."""
import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

from mmimigue.skeleton.layouts import bone_pairs


def _clip(rng, V=22, T=6):
    return dict(keypoint=rng.normal(size=(1, T, V, 2)).astype(np.float32),
                keypoint_score=rng.uniform(size=(1, T, V)).astype(np.float32))


def test_bone_is_joint_minus_parent_with_mean_score():
    rng = np.random.default_rng(0)
    res = _clip(rng)
    kp = np.concatenate([res['keypoint'], res['keypoint_score'][..., None]], -1)
    out = TRANSFORMS.build(dict(type='MGGenSkeFeat', layout='imigue22', feats=['b']))(res)
    bone = out['keypoint']
    assert bone.shape == (1, 6, 22, 3) and 'keypoint_score' not in out
    for v, p in bone_pairs('imigue22'):
        np.testing.assert_allclose(bone[..., v, :2], kp[..., v, :2] - kp[..., p, :2], atol=1e-6)
        np.testing.assert_allclose(bone[..., v, 2], (kp[..., v, 2] + kp[..., p, 2]) / 2, atol=1e-6)
    np.testing.assert_allclose(bone[..., 1, :2], 0)  # the centre's bone is zero


def test_joint_motion_and_concatenation_order():
    rng = np.random.default_rng(1)
    res = _clip(rng)
    kp = np.concatenate([res['keypoint'], res['keypoint_score'][..., None]], -1)
    out = TRANSFORMS.build(dict(type='MGGenSkeFeat', layout='imigue22', feats=['j', 'jm']))(res)
    j, jm = out['keypoint'][..., :3], out['keypoint'][..., 3:]
    np.testing.assert_allclose(j, kp)
    np.testing.assert_allclose(jm[:, :-1, :, :2], np.diff(kp[..., :2], axis=1), atol=1e-6)
    np.testing.assert_allclose(jm[:, -1], 0)


def test_with_score_false_drops_the_confidence():
    rng = np.random.default_rng(4)
    res = _clip(rng)
    kp = res['keypoint'].copy()
    out = TRANSFORMS.build(dict(type='MGGenSkeFeat', layout='imigue22', feats=['j', 'b'],
                                with_score=False))(res)
    assert out['keypoint'].shape == (1, 6, 22, 4) and 'keypoint_score' not in out
    np.testing.assert_allclose(out['keypoint'][..., :2], kp)
    for v, p in bone_pairs('imigue22'):
        np.testing.assert_allclose(out['keypoint'][..., v, 2:], kp[..., v, :] - kp[..., p, :],
                                   atol=1e-6)


def test_3d_keypoints_without_scores():
    kp = np.random.default_rng(2).normal(size=(1, 5, 25, 3)).astype(np.float32)
    out = TRANSFORMS.build(dict(type='MGGenSkeFeat', layout='ntu25', feats=['b']))(
        dict(keypoint=kp.copy()))
    for v, p in bone_pairs('ntu25'):
        np.testing.assert_allclose(out['keypoint'][..., v, :], kp[..., v, :] - kp[..., p, :],
                                   atol=1e-6)


def test_bad_arguments_and_mismatched_layout():
    with pytest.raises(ValueError, match='feats must be'):
        TRANSFORMS.build(dict(type='MGGenSkeFeat', feats=['x']))
    with pytest.raises(KeyError, match='unknown skeleton layout'):
        TRANSFORMS.build(dict(type='MGJointToBone', layout='coco17'))
    t = TRANSFORMS.build(dict(type='MGGenSkeFeat', layout='imigue22', feats=['b']))
    with pytest.raises(ValueError, match='expects 22 joints'):
        t(_clip(np.random.default_rng(3), V=25))
    assert 'imigue22' in repr(t)
