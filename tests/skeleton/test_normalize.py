"""Body-unit normalisation: one function, numpy and torch (mmimigue.skeleton.normalize)."""
import numpy as np
import pytest
import torch

from mmimigue.datasets.transforms import MGNormalizeBody2D
from mmimigue.skeleton import body_units, centre_on_joint, layout_body_units, layout_info


def _clip(seed=0, m=2, t=9, v=22):
    rng = np.random.default_rng(seed)
    kp = rng.uniform(100, 900, (m, t, v, 2)).astype(np.float32)
    score = rng.uniform(0, 1, (m, t, v)).astype(np.float32)
    score[score < 0.2] = 0  # misses
    score[1, :, 2] = 0  # person 1 never shows its right shoulder: the RMS fallback
    return kp, score


def test_the_equation_by_hand():
    kp, score = _clip()
    out = body_units(kp, score)
    det = score[0] > 0
    origin = kp[0][det[:, 1], 1].mean(0)
    both = det[:, 2] & det[:, 5]
    width = np.linalg.norm(kp[0][both, 2] - kp[0][both, 5], axis=-1).mean()
    want = np.where(det[..., None], (kp[0] - origin) / width, 0)
    np.testing.assert_allclose(out[0], want, rtol=1e-5, atol=1e-5)


def test_the_transform_is_the_function():
    kp, score = _clip(1)
    res = MGNormalizeBody2D()(dict(keypoint=kp.copy(), keypoint_score=score))
    np.testing.assert_array_equal(res['keypoint'], body_units(kp, score))


def test_torch_gives_the_numpy_numbers_on_the_tensor_device():
    kp, score = _clip(2)
    want = body_units(kp, score)
    got = body_units(torch.from_numpy(kp), torch.from_numpy(score))
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float32
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5, atol=1e-5)


def test_layout_body_units_for_openpose_and_kinect():
    kp, score = _clip(3)
    raw = np.concatenate([kp, score[..., None]], -1)
    np.testing.assert_array_equal(layout_body_units(raw, 'imigue22'), body_units(kp, score))
    xyz = np.random.default_rng(4).normal(size=(2, 7, 25, 3)).astype(np.float32)
    centred = layout_body_units(torch.from_numpy(xyz), 'ntu25').numpy()
    np.testing.assert_allclose(centred, xyz - xyz[:, :, 20:21].mean(1, keepdims=True), atol=1e-6)
    np.testing.assert_allclose(centre_on_joint(xyz, 20), centred, atol=1e-6)


def test_bad_shapes_are_refused():
    with pytest.raises(ValueError, match=r'\(M, T, V, 2\)'):
        body_units(np.zeros((1, 2, 3, 3)))
    with pytest.raises(ValueError, match='6-joint layout'):
        body_units(np.zeros((1, 2, 6, 2)), center=1, scale_joints=(2, 7))


def test_layout_facts():
    assert layout_info('imigue22').scale_joints == (2, 5) and not layout_info('imigue22').kinect
    ntu = layout_info('ntu25')
    assert ntu.kinect and ntu.center == 20 and ntu.channels == ('x', 'y', 'z') and ntu.dims == 3
    with pytest.raises(KeyError, match='available'):
        layout_info('coco17')
