"""The independent 3D ``interview`` generator: official layout, determinism, and the variation
it promises (camera, bodies, styles, detector misses)."""
import csv
import json
import os
import os.path as osp

import numpy as np
import pytest

from mmimigue.datasets.synthetic import InterviewConfig, generate_interview_imigue
from mmimigue.datasets.synthetic.interview_generator import (
    CLASS_IDS,
    PROGRAMS,
    animate,
    make_speakers,
    project,
)
from mmimigue.protocol import imigue_protocol, imigue_subject_split

SMALL = dict(num_train_subjects=3, num_test_subjects=3, videos_per_subject=1,
             clips_per_video=(3, 4))


@pytest.fixture(scope='module')
def release(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('interview'))
    info = generate_interview_imigue(out, InterviewConfig(**SMALL, seed=5), workers=1)
    return out, info


def _rows(out):
    with open(osp.join(out, 'labels.csv')) as f:
        return list(csv.DictReader(f))


def test_writes_the_official_layout(release):
    out, info = release
    rows = _rows(out)
    assert len(rows) == info['clips'] and info['subjects'] == 6 and info['videos'] == 6
    assert ','.join(rows[0]) == imigue_protocol()['annotation_csv_header']
    assert {int(r['class']) for r in rows} <= set(CLASS_IDS)
    vid = rows[0]['video_id'].zfill(4)
    frames = sorted(os.listdir(osp.join(out, 'skeleton', vid)))
    assert frames[0] == f'{vid}_{0:012d}_keypoints.json'
    with open(osp.join(out, 'skeleton', vid, frames[0])) as f:
        content = json.load(f)
    person = content['people'][0] if content['people'] else None
    if person:
        assert len(person['pose_keypoints_2d']) == 75
        assert len(person['hand_left_keypoints_2d']) == len(person['hand_right_keypoints_2d']) == 63
        assert len(person['face_keypoints_2d']) == 210
    for r in rows:  # clips lie inside their video
        assert 0 <= int(r['start_frame']) <= int(r['end_frame'])
        n = len(os.listdir(osp.join(out, 'skeleton', r['video_id'].zfill(4))))
        assert int(r['end_frame']) < n


def test_deterministic_and_independent_of_workers(release, tmp_path):
    out, _ = release
    generate_interview_imigue(str(tmp_path), InterviewConfig(**SMALL, seed=5), workers=2)
    assert _rows(str(tmp_path)) == _rows(out)
    vid = _rows(out)[0]['video_id'].zfill(4)
    name = f'{vid}_{5:012d}_keypoints.json'
    with open(osp.join(out, 'skeleton', vid, name)) as a, \
            open(osp.join(str(tmp_path), 'skeleton', vid, name)) as b:
        assert a.read() == b.read()


def test_every_class_has_a_program():
    assert sorted(PROGRAMS) == sorted(int(c) for c in imigue_protocol()['classes'])


def test_subjects_follow_the_official_split_and_vary():
    cfg = InterviewConfig(num_train_subjects=8, num_test_subjects=8, seed=0)
    speakers = make_speakers(cfg)
    train_pool = set(imigue_subject_split()[0])
    train = [s for s in speakers if s.subject_id in train_pool]
    test = [s for s in speakers if s.subject_id not in train_pool]
    assert len(train) == len(test) == 8
    assert max(abs(s.yaw) for s in train) <= np.deg2rad(cfg.train_yaw_deg)
    assert max(abs(s.yaw) for s in test) > np.deg2rad(cfg.train_yaw_deg)  # unseen views
    widths = [s.shoulder for s in speakers]
    assert max(widths) / min(widths) > 1.15  # body proportions differ
    assert len({s.right_handed for s in speakers}) == 2  # right- and left-handed speakers
    assert np.std([s.offsets for s in speakers], axis=0).mean() > 0.01  # personal styles
    alike = make_speakers(InterviewConfig(style=0.0))
    assert np.allclose([s.offsets for s in alike], 0)


def test_gestures_reach_their_targets_in_3d():
    sp = make_speakers(InterviewConfig(num_train_subjects=1, num_test_subjects=1, style=0.0))[0]
    rng = np.random.default_rng(0)
    ear, _ = animate(9, 60, sp, rng)  # touching ears: a wrist goes to the side of the head
    rest, _ = animate(None, 60, sp, rng)
    head = ear[:, 17:19].mean(1)
    near = np.minimum(np.linalg.norm(ear[:, 4] - head, axis=-1),
                      np.linalg.norm(ear[:, 7] - head, axis=-1))
    assert near[25:35].mean() < 0.12 and near[25:35].mean() < near[:3].mean() - 0.15
    assert np.linalg.norm(rest[:, 4] - rest[:, 1], axis=-1).min() > 0.3  # hands rest low
    arm = np.linalg.norm(ear[:, 3] - ear[:, 2], axis=-1)  # IK keeps the upper arm length
    np.testing.assert_allclose(arm, sp.arm[0], rtol=1e-6)


def test_projection_is_a_pinhole_camera():
    sp = make_speakers(InterviewConfig(num_train_subjects=1, num_test_subjects=1))[0]
    neck = project(np.zeros((1, 3)), sp)[0]
    np.testing.assert_allclose(neck, sp.center)
    near = project(np.array([[0.2, 0, 0.5]]), sp) - project(np.array([[0.0, 0, 0.5]]), sp)
    far = project(np.array([[0.2, 0, -0.5]]), sp) - project(np.array([[0.0, 0, -0.5]]), sp)
    assert np.linalg.norm(near) > np.linalg.norm(far)  # closer to the camera looks larger
