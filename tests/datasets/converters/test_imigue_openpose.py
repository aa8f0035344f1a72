"""Converter of the official iMiGUE layout: counts, splits, shapes, metadata, bad input."""
import csv
import json
import os
import os.path as osp
import shutil

import numpy as np
import pytest

from mmimigue.datasets.converters import ConversionError, convert_imigue
from mmimigue.protocol import imigue_emotion_split, imigue_subject_split

HEADER = ('video_id,label_id,start_time,start_frame,end_time,end_frame,class,subject_id,'
          'subject_gender,subject_nationality,win_or_lose').split(',')


def _person(value: float, n_body=25, hands=True):
    pts = lambda n: [value, value + 1, 0.9] * n  # noqa: E731
    return dict(pose_keypoints_2d=pts(n_body), face_keypoints_2d=pts(70),
                hand_left_keypoints_2d=pts(21) if hands else [0.0] * 63,
                hand_right_keypoints_2d=pts(21) if hands else [0.0] * 63)


def _write_frame(root, vid, t, people):
    os.makedirs(osp.join(root, 'skeleton', vid), exist_ok=True)
    with open(osp.join(root, 'skeleton', vid, f'{vid}_{t:012d}_keypoints.json'), 'w') as f:
        json.dump(dict(version=1.3, people=people), f)


def _write_csv(root, rows, header=HEADER):
    path = osp.join(root, 'labels.csv')
    with open(path, 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def _row(vid, clip, start, end, cls=11, subject=2, outcome='Win'):
    return [vid, clip, start / 25, start, end / 25, end, cls, subject, 'M', 'Spain', outcome]


@pytest.fixture
def tiny_release(tmp_path):
    """One video '0001' of 20 frames (frame value t) and two clips."""
    root = str(tmp_path)
    for t in range(20):
        _write_frame(root, '0001', t, [_person(float(t))])
    return root


def _convert(root, rows, **kwargs):
    return convert_imigue(_write_csv(root, rows), osp.join(root, 'skeleton'), progress=False,
                          **kwargs)


def test_converter_on_synthetic_release(synthetic_imigue_raw, synthetic_imigue_pkl):
    import pickle
    with open(synthetic_imigue_pkl, 'rb') as f:
        content = pickle.load(f)
    with open(osp.join(synthetic_imigue_raw, 'labels.csv')) as f:
        rows = list(csv.DictReader(f))
    annos, summary = content['annotations'], content['summary']
    assert summary['clips'] == len(rows) == len(annos) and summary['skipped_clips'] == 0
    assert summary['videos_found'] == len({r['video_id'] for r in rows})
    assert summary['frames'] == sum(a['total_frames'] for a in annos)
    # Detector realities of the generator are found and counted.
    assert summary['empty_frames'] > 0 and summary['multi_person_frames'] > 0
    train_subjects = set(imigue_subject_split()[0])
    by_name = {a['frame_dir']: a for a in annos}
    train, test = content['split']['xsub_train'], content['split']['xsub_test']
    assert train and test and not set(train) & set(test)
    assert all(by_name[n]['subject_id'] in train_subjects for n in train)
    assert all(by_name[n]['subject_id'] not in train_subjects for n in test)
    emo_train = set(imigue_emotion_split()[0])
    assert all(by_name[n]['video_id'] in emo_train for n in content['split']['emotion_train'])
    for row in rows[:20]:
        a = by_name[f'{int(row["video_id"]):04d}_{row["label_id"]}']
        T = int(row['end_frame']) - int(row['start_frame']) + 1
        assert a['keypoint'].shape == (1, T, 137, 2) and a['keypoint'].dtype == np.float32
        assert a['keypoint_score'].shape == (1, T, 137)
        assert a['total_frames'] == T and a['start_frame'] == int(row['start_frame'])
        assert a['subject_id'] == int(row['subject_id'])
        assert a['emotion'] == int(row['win_or_lose'] == 'Win')
        cls = int(row['class'])
        assert a['label'] == (31 if cls == 99 else cls - 1)


def test_clip_frames_are_inclusive_and_in_order(tiny_release):
    content = _convert(tiny_release, [_row(1, 1, 3, 7), _row(1, 2, 10, 19, cls=99)])
    a, b = content['annotations']
    assert a['frame_dir'] == '0001_1' and a['total_frames'] == 5
    np.testing.assert_allclose(a['keypoint'][0, :, 0, 0], [3, 4, 5, 6, 7])
    np.testing.assert_allclose(a['keypoint'][0, :, 0, 1], [4, 5, 6, 7, 8])
    assert b['label'] == 31 and b['total_frames'] == 10


def test_picks_the_most_confident_person(tmp_path):
    root = str(tmp_path)
    faint = _person(100.0)
    faint['pose_keypoints_2d'] = [100.0, 100.0, 0.1] * 25
    for t in range(4):
        _write_frame(root, '0001', t, [faint, _person(1.0)])
    content = _convert(root, [_row(1, 1, 0, 3)])
    assert content['summary']['multi_person_frames'] == 4
    assert np.all(content['annotations'][0]['keypoint'][0, :, 0, 0] == 1.0)


def test_corrupt_json_names_the_file(tiny_release):
    bad = osp.join(tiny_release, 'skeleton', '0001', '0001_000000000005_keypoints.json')
    with open(bad, 'w') as f:
        f.write('{"version": 1.3, "people": [')
    with pytest.raises(ConversionError, match=r'0001_000000000005_keypoints\.json.*--skip-corrupt'):
        _convert(tiny_release, [_row(1, 1, 3, 7)])
    content = _convert(tiny_release, [_row(1, 1, 3, 7)], skip_corrupt=True)
    assert content['summary']['corrupt_files'] == 1 and content['summary']['missing_frames'] == 1
    assert content['annotations'][0]['keypoint_score'][0, 2].max() == 0  # frame 5 is empty


def test_missing_frames_are_counted_or_skip_the_clip(tiny_release):
    for t in (4, 5):
        os.remove(osp.join(tiny_release, 'skeleton', '0001', f'0001_{t:012d}_keypoints.json'))
    content = _convert(tiny_release, [_row(1, 1, 3, 7), _row(1, 2, 4, 5)])
    s = content['summary']
    assert s['clips'] == 1 and s['missing_frames'] == 4 and s['skipped_clips'] == 1
    assert s['skipped'][0][0] == '0001_2' and 'missing' in s['skipped'][0][1]


def test_empty_people_and_nan_are_counted(tiny_release):
    _write_frame(tiny_release, '0001', 4, [])
    nan_person = _person(5.0)
    nan_person['pose_keypoints_2d'][0] = float('nan')
    _write_frame(tiny_release, '0001', 5, [nan_person])
    _write_frame(tiny_release, '0001', 6, [_person(6.0, hands=False)])
    content = _convert(tiny_release, [_row(1, 1, 3, 7)])
    s, a = content['summary'], content['annotations'][0]
    assert s['empty_frames'] == 1 and s['nan_keypoints'] == 1 and s['frames_without_hands'] == 1
    assert np.isfinite(a['keypoint']).all()
    assert a['keypoint_score'][0, 1].max() == 0 and a['keypoint_score'][0, 2, 0] == 0


def test_per_clip_facts_count_each_clip_of_overlapping_clips(tiny_release):
    """The converter takes each clip's missing / detected / outside-image facts from running
    sums over the video: overlapping clips each count their own frames, a clip with nobody in
    it is skipped by name, one whose other frames have people is kept."""
    for t in (10, 11, 12):
        _write_frame(tiny_release, '0001', t, [])  # nobody detected
    far = _person(2000.0)  # x = 2000 > 1280 and y = 2001 > 720: every point outside the image
    _write_frame(tiny_release, '0001', 2, [far])
    # first and last frames matter: frame 2 starts clips 1 and 2, frame 13 (a person) ends clip 4
    rows = [_row(1, 1, 2, 6), _row(1, 2, 2, 3), _row(1, 3, 10, 12), _row(1, 4, 10, 13)]
    content = _convert(tiny_release, rows)
    s = content['summary']
    assert [a['frame_dir'] for a in content['annotations']] == ['0001_1', '0001_2', '0001_4']
    assert s['skipped'] == [('0001_3', 'no person detected in any frame')]
    assert s['points_outside_image'] == 2 * 137  # frame 2, once in each of the two clips
    assert s['frames'] == 5 + 2 + 4 and s['empty_frames'] == 3


def test_clip_past_the_video_end(tiny_release):
    content = _convert(tiny_release, [_row(1, 1, 15, 30), _row(1, 2, 25, 30)])
    s = content['summary']
    assert s['clips_truncated_at_video_end'] == 1 and content['annotations'][0]['total_frames'] == 5
    assert s['skipped'] == [('0001_2', s['skipped'][0][1])] and 'past the last frame' in s['skipped'][0][1]


def test_unknown_class_id_is_an_error(tiny_release):
    with pytest.raises(ConversionError, match=r'labels\.csv:3: class id 42 .*1\.\.31 and 99'):
        _convert(tiny_release, [_row(1, 1, 3, 7), _row(1, 2, 8, 9, cls=42)])


def test_csv_missing_a_column(tiny_release):
    header = [h for h in HEADER if h != 'subject_id']
    rows = [[v for h, v in zip(HEADER, _row(1, 1, 3, 7)) if h != 'subject_id']]
    with pytest.raises(ConversionError, match=r"missing column\(s\) \['subject_id'\]"):
        convert_imigue(_write_csv(tiny_release, rows, header), osp.join(tiny_release, 'skeleton'),
                       progress=False)


def test_missing_video_folder_is_a_counted_skip(tiny_release):
    content = _convert(tiny_release, [_row(1, 1, 3, 7), _row(2, 1, 3, 7)])
    assert content['summary']['skipped'][0][0] == '0002_1'
    assert 'no skeleton folder' in content['summary']['skipped'][0][1]


def test_split_file_overrides_the_official_split(tiny_release, tmp_path):
    split_file = tmp_path / 'split.json'
    split_file.write_text(json.dumps(dict(train_subjects=[7], test_subjects=[2],
                                          emotion_train_videos=['1'])))
    content = _convert(tiny_release, [_row(1, 1, 3, 7, subject=2), _row(1, 2, 8, 9, subject=7)],
                       split_file=str(split_file))
    assert content['split']['xsub_train'] == ['0001_2']
    assert content['split']['xsub_test'] == ['0001_1']
    assert content['split']['emotion_train'] == ['0001_1', '0001_2']
    split_file.write_text(json.dumps(dict(train_subject=[7])))
    with pytest.raises(ValueError, match='unknown split keys'):
        _convert(tiny_release, [_row(1, 1, 3, 7)], split_file=str(split_file))


def test_cli_writes_pickle_and_summary(tiny_release, tmp_path):
    import subprocess
    import sys
    out = tmp_path / 'out.pkl'
    csv_path = _write_csv(tiny_release, [_row(1, 1, 3, 7)])
    tool = osp.join(osp.dirname(__file__), '..', '..', '..', 'tools', 'data', 'imigue', 'convert.py')
    res = subprocess.run([sys.executable, tool, '--ann', csv_path, '--skeleton-root',
                          osp.join(tiny_release, 'skeleton'), '--out', str(out)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert 'clips: 1 converted / 1 csv rows, 0 skipped' in res.stdout and out.exists()
    shutil.rmtree(osp.join(tiny_release, 'skeleton'))
    res = subprocess.run([sys.executable, tool, '--ann', csv_path, '--skeleton-root',
                          osp.join(tiny_release, 'skeleton'), '--out', str(out)],
                         capture_output=True, text=True)
    assert res.returncode != 0 and 'skeleton folder not found' in res.stderr
    assert 'Traceback' not in res.stderr


@pytest.mark.parametrize('workers', [1, 2])
def test_malformed_structures_name_the_file_or_count_as_corrupt(tiny_release, workers):
    """people as an object, [null], a number; a string in a keypoint list; ragged lists: an error
    naming the file, or with --skip-corrupt a counted corrupt file (also with 2 workers)."""
    for t in range(20, 40):  # a second video, so two workers both have work
        _write_frame(tiny_release, '0002', t - 20, [_person(float(t))])
    bad = {5: '{"people": {"0": 1}}', 6: '{"people": [null]}', 7: '{"people": 3}',
           8: '{"people": [{"pose_keypoints_2d": ["x"' + ', 1' * 74 + ']}]}',
           9: '{"people": [{"pose_keypoints_2d": [[1, 2], 3' + ', 1' * 72 + ']}]}'}
    for t, text in bad.items():
        with open(osp.join(tiny_release, 'skeleton', '0001', f'0001_{t:012d}_keypoints.json'),
                  'w') as f:
            f.write(text)
    rows = [_row(1, 1, 3, 12), _row(2, 1, 0, 9)]
    with pytest.raises(ConversionError, match=r'0001_00000000000[5-9]_keypoints\.json'):
        _convert(tiny_release, rows, workers=workers)
    content = _convert(tiny_release, rows, workers=workers, skip_corrupt=True)
    assert content['summary']['corrupt_files'] == len(bad)
    assert content['summary']['clips'] == 2
