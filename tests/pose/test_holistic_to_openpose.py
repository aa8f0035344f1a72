"""MediaPipe Holistic -> OpenPose (iMiGUE) mapping; needs no mediapipe."""
import json
import os.path as osp
import subprocess
import sys
from collections import Counter
from types import SimpleNamespace

import numpy as np
import pytest

from mmimigue.datasets.formats.openpose_json import FRAME_RE, parse_openpose_frame
from mmimigue.pose import (
    BODY25_NAMES,
    frame_file_name,
    holistic_to_openpose,
    landmarks_to_array,
    openpose_frame_json,
)

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
W, H = 640, 480


def _pose(seed=0):
    rng = np.random.default_rng(seed)
    pose = rng.uniform(0.05, 0.95, (33, 4)).astype(np.float32)
    pose[:, 3] = rng.uniform(0.5, 1.0, 33)
    return pose


def _hand(seed=1):
    return np.random.default_rng(seed).uniform(0, 1, (21, 3)).astype(np.float32)


def test_body25_joints_map_to_the_right_blazepose_landmarks():
    pose = _pose()
    out = holistic_to_openpose(pose, None, None, (W, H))
    assert out.shape == (137, 3) and out.dtype == np.float32
    px = pose[:, :2] * [W, H]
    direct = {'Nose': 0, 'RShoulder': 12, 'RElbow': 14, 'RWrist': 16, 'LShoulder': 11,
              'LElbow': 13, 'LWrist': 15, 'RHip': 24, 'RKnee': 26, 'RAnkle': 28, 'LHip': 23,
              'LKnee': 25, 'LAnkle': 27, 'REye': 5, 'LEye': 2, 'REar': 8, 'LEar': 7,
              'LBigToe': 31, 'LSmallToe': 31, 'LHeel': 29, 'RBigToe': 32, 'RSmallToe': 32,
              'RHeel': 30}
    for name, src in direct.items():
        j = BODY25_NAMES.index(name)
        np.testing.assert_allclose(out[j, :2], px[src], rtol=1e-5, err_msg=name)
        assert out[j, 2] == pytest.approx(pose[src, 3]), name
    np.testing.assert_allclose(out[1, :2], (px[11] + px[12]) / 2, rtol=1e-5)  # Neck
    np.testing.assert_allclose(out[8, :2], (px[23] + px[24]) / 2, rtol=1e-5)  # MidHip
    assert out[1, 2] == pytest.approx(min(pose[11, 3], pose[12, 3]))
    assert out[8, 2] == pytest.approx(min(pose[23, 3], pose[24, 3]))
    assert not out[25:].any()  # face not mapped, no hands given


def test_hands_keep_openpose_order_and_side():
    left, right = _hand(1), _hand(2)
    out = holistic_to_openpose(_pose(), left, right, (W, H))
    np.testing.assert_allclose(out[95:116, :2], left[:, :2] * [W, H], rtol=1e-5)
    np.testing.assert_allclose(out[116:137, :2], right[:, :2] * [W, H], rtol=1e-5)
    assert (out[95:137, 2] == 1).all()
    only_right = holistic_to_openpose(_pose(), None, right, (W, H))
    assert not only_right[95:116].any() and (only_right[116:, 2] == 1).all()


def test_nothing_detected_gives_none_and_hands_only_frame_keeps_hands():
    assert holistic_to_openpose(None, None, None, (W, H)) is None
    out = holistic_to_openpose(None, _hand(), None, (W, H))
    assert not out[:25].any() and (out[95:116, 2] == 1).all()


def test_min_score_zeroes_low_visibility_points_and_nan():
    pose = _pose()
    pose[14, 3] = 0.1  # right elbow barely visible
    pose[0, 0] = np.nan
    out = holistic_to_openpose(pose, None, None, (W, H), min_score=0.3)
    assert not out[3].any()  # RElbow
    assert not out[0].any()  # NaN nose -> zero point
    assert (out[[2, 4, 5], 2] > 0).all()


def test_wrong_shapes_raise():
    with pytest.raises(ValueError, match='pose'):
        holistic_to_openpose(np.zeros((25, 4)), None, None, (W, H))
    with pytest.raises(ValueError, match='left_hand'):
        holistic_to_openpose(None, np.zeros((20, 3)), None, (W, H))


def test_json_round_trip_through_the_converter(tmp_path):
    kp = holistic_to_openpose(_pose(), _hand(1), None, (W, H))
    name = frame_file_name('0371', 42)
    assert FRAME_RE.search(name).group(1) == '000000000042'
    path = tmp_path / name
    path.write_text(json.dumps(openpose_frame_json(kp)))
    counts = Counter()
    back = parse_openpose_frame(str(path), counts)
    np.testing.assert_allclose(back, kp, atol=1e-3)
    assert counts['frames_without_hands'] == 0
    empty = tmp_path / frame_file_name('0371', 43)
    empty.write_text(json.dumps(openpose_frame_json(None)))
    assert json.loads(empty.read_text())['people'] == []
    assert not parse_openpose_frame(str(empty), counts).any()
    assert counts['empty_frames'] == 1
    with pytest.raises(ValueError):
        frame_file_name('0371', -1)


def test_landmarks_to_array_is_duck_typed():
    pts = [SimpleNamespace(x=i, y=2 * i, z=0.5, visibility=0.9) for i in range(3)]
    arr = landmarks_to_array(SimpleNamespace(landmark=pts), with_visibility=True)
    np.testing.assert_allclose(arr[:, [0, 1, 3]], [[0, 0, .9], [1, 2, .9], [2, 4, .9]])
    assert landmarks_to_array(SimpleNamespace(landmark=pts)).shape == (3, 3)
    assert landmarks_to_array(None) is None


def test_extractor_loads_the_mapping_without_mmaction():
    """The extractor must run in a separate mediapipe environment without mmaction2."""
    tool = osp.join(ROOT, 'tools', 'data', 'extract_pose.py')
    code = ('import importlib.util, sys; '
            f'spec = importlib.util.spec_from_file_location("x", {tool!r}); '
            'm = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); '
            'mp = m.load_mapping(); '
            'assert mp.holistic_to_openpose(None, None, None, (1, 1)) is None; '
            'print(sorted(k for k in sys.modules '
            'if k.split(".")[0] in ("mmaction", "mmimigue", "torch", "mmengine")))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == '[]'
