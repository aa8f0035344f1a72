"""The OpenPose JSON reader: both parsers agree, the speaker rule, counts, and clear errors."""
import json
from collections import Counter

import numpy as np
import pytest

from mmimigue.datasets.formats import ConversionError, parse_openpose_frame, read_openpose_people
from mmimigue.datasets.formats.openpose_json import PARTS


def _person(rng, body_score=0.8, hands=True):
    p = {}
    for key, n in PARTS:
        vals = np.stack([rng.uniform(0, 1280, n), rng.uniform(0, 720, n),
                         np.full(n, body_score)], 1)
        if not hands and 'hand' in key:
            vals[:] = 0
        p[key] = vals.reshape(-1).tolist()
    return p


def _write(tmp_path, content, name='v_000000000000_keypoints.json'):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


@pytest.mark.parametrize('parser', ['fast', 'stdlib'])
def test_frame_layout_and_speaker_rule(tmp_path, parser):
    rng = np.random.default_rng(0)
    quiet, speaker = _person(rng, 0.2), _person(rng, 0.9)
    path = _write(tmp_path, {'version': 1.3, 'people': [quiet, speaker]})
    counts = Counter()
    out = parse_openpose_frame(path, counts, parser)
    assert out.shape == (137, 3) and out.dtype == np.float32
    expected = np.concatenate([np.reshape(speaker[k], (n, 3)) for k, n in PARTS]).astype(np.float32)
    np.testing.assert_array_equal(out, expected)  # BODY_25, face, left hand, right hand
    assert counts == Counter(multi_person_frames=1)


@pytest.mark.parametrize('parser', ['fast', 'stdlib'])
def test_a_faint_person_with_an_infinite_score_is_not_the_speaker(tmp_path, parser):
    rng = np.random.default_rng(2)
    faint, speaker = _person(rng, 0.1), _person(rng, 0.9)
    faint['pose_keypoints_2d'][2] = float('inf')  # one body score: json writes Infinity
    path = _write(tmp_path, json.dumps({'people': [faint, speaker]}))
    assert 'Infinity' in open(path).read()
    counts = Counter()
    out = parse_openpose_frame(path, counts, parser)
    expected = np.concatenate([np.reshape(speaker[k], (n, 3)) for k, n in PARTS])
    np.testing.assert_allclose(out, expected.astype(np.float32))


def test_parsers_agree_and_count_nan_empty_and_handless(tmp_path):
    rng = np.random.default_rng(1)
    person = _person(rng, hands=False)
    text = json.dumps({'people': [person]}).replace(str(person['pose_keypoints_2d'][4]), 'NaN', 1)
    path = _write(tmp_path, text)
    results = {}
    for parser in ('fast', 'stdlib'):
        counts = Counter()
        results[parser] = (parse_openpose_frame(path, counts, parser), counts)
    np.testing.assert_array_equal(results['fast'][0], results['stdlib'][0])
    out, counts = results['fast']
    assert counts['nan_keypoints'] == 1 and counts['frames_without_hands'] == 1
    assert (out[1] == 0).all()  # the NaN point is a score-0 zero point
    empty = _write(tmp_path, {'people': []}, 'e_000000000001_keypoints.json')
    counts = Counter()
    assert not parse_openpose_frame(empty, counts).any() and counts['empty_frames'] == 1


def test_switched_off_parts_read_as_zeros(tmp_path):
    rng = np.random.default_rng(2)
    person = _person(rng)
    person['face_keypoints_2d'] = []  # OpenPose run without --face
    people = read_openpose_people(_write(tmp_path, {'people': [person]}))
    assert people.shape == (1, 137, 3) and not people[0, 25:95].any()


@pytest.mark.parametrize('content, match', [
    ('{"people": [', 'corrupt OpenPose JSON'),
    ('{"people": {"a": 1}}', "no 'people' list"),
    ('{"people": 3}', "no 'people' list"),
    ('[1, 2]', "no 'people' list"),
    ('{"people": [null]}', 'a person is NoneType'),
    ('{"people": [{"pose_keypoints_2d": [1, 2]}]}', 'pose_keypoints_2d has 2 values, expected 75'),
    ('{"people": [{"pose_keypoints_2d": 5}]}', 'pose_keypoints_2d has int values'),
])
@pytest.mark.parametrize('parser', ['fast', 'stdlib'])
def test_bad_files_name_the_file(tmp_path, content, match, parser):
    path = _write(tmp_path, content)
    with pytest.raises(ConversionError, match=match) as e:
        parse_openpose_frame(path, Counter(), parser)
    assert path in str(e.value)


@pytest.mark.parametrize('bad', ['"x"', '[1, 2, 3]'])
def test_non_numeric_keypoints_name_the_file(tmp_path, bad):
    vals = ['1.0'] * 75
    vals[7] = bad
    path = _write(tmp_path, '{"people": [{"pose_keypoints_2d": [' + ','.join(vals) + ']}]}')
    with pytest.raises(ConversionError, match='non-numeric keypoint value') as e:
        parse_openpose_frame(path, Counter())
    assert path in str(e.value)


def test_boolean_keypoints_are_refused(tmp_path):
    vals = ['1.0'] * 75
    vals[4] = 'true'
    path = _write(tmp_path, '{"people": [{"pose_keypoints_2d": [' + ','.join(vals) + ']}]}')
    with pytest.raises(ConversionError, match='true / false'):
        parse_openpose_frame(path, Counter())


def test_scores_outside_0_1_are_clipped_and_counted_lists_missing_counted(tmp_path):
    rng = np.random.default_rng(3)
    person = _person(rng)
    person['pose_keypoints_2d'][2] = 1.7  # score of joint 0
    person['pose_keypoints_2d'][5] = -0.2  # score of joint 1
    del person['face_keypoints_2d']
    counts = Counter()
    out = parse_openpose_frame(_write(tmp_path, {'people': [person]}), counts)
    assert out[0, 2] == 1 and out[1, 2] == 0
    assert counts['scores_outside_0_1'] == 2 and counts['missing_keypoint_lists'] == 1


def test_a_stray_frame_of_another_video_is_not_read(tmp_path):
    from mmimigue.datasets.formats import list_frames
    for t in range(3):
        _write(tmp_path, {'people': []}, f'0371_{t:012d}_keypoints.json')
    _write(tmp_path, {'people': []}, '0372_000000000001_keypoints.json')  # copied in by mistake
    counts = Counter()
    frames = list_frames(str(tmp_path), counts)
    assert sorted(frames) == [0, 1, 2] and all('0371_' in p for p in frames.values())
    assert counts['stray_frame_files'] == 1


@pytest.mark.parametrize('key, bad, match', [
    ('pose_keypoints_2d', 'nested', 'pose_keypoints_2d has 25 values'),
    ('hand_left_keypoints_2d', True, 'true / false'),
    ('face_keypoints_2d', 'x', 'non-numeric keypoint value'),
])
def test_the_fast_path_hands_every_odd_full_person_to_the_validating_reader(tmp_path, key, bad,
                                                                            match):
    """A person with all four lists of full length but one odd value (or nested triples that
    flatten to the right count) is never read silently by the simdjson path."""
    person = _person(np.random.default_rng(5))
    if bad == 'nested':
        vals = person[key]
        person[key] = [vals[i:i + 3] for i in range(0, len(vals), 3)]
    else:
        person[key][4] = bad
    path = _write(tmp_path, {'people': [person]})
    with pytest.raises(ConversionError, match=match) as e:
        parse_openpose_frame(path, Counter(), 'fast')
    assert path in str(e.value)


def test_a_null_value_is_a_counted_nan_point_on_both_paths(tmp_path):
    person = _person(np.random.default_rng(6))
    person['pose_keypoints_2d'][3] = None  # x of joint 1
    path = _write(tmp_path, {'people': [person]})
    for parser in ('fast', 'stdlib'):
        counts = Counter()
        out = parse_openpose_frame(path, counts, parser)
        assert counts['nan_keypoints'] == 1 and not out[1].any()


def test_a_video_read_at_once_equals_its_frames_read_one_by_one(tmp_path):
    """The batched reader (people of all frames to one array, speakers chosen at once) against
    frame-by-frame parsing, over plain, several-person (with a tie), empty, missing, corrupt and
    validating-path (NaN literal) frames."""
    from mmimigue.datasets.formats.openpose_json import read_openpose_frames
    rng = np.random.default_rng(3)
    tie = _person(rng, 0.5)
    contents = [{'people': [_person(rng)]},
                {'people': [_person(rng, 0.2), _person(rng, 0.9), _person(rng, 0.4)]},
                {'people': []},
                None,  # missing file
                {'people': [tie, dict(tie)]},  # equal confidence: the first is the speaker
                '{"people": [',  # corrupt
                {'people': [_person(rng, 0.3, hands=False)]}]
    paths = []
    for i, c in enumerate(contents):
        if c is None:
            paths.append(None)
            continue
        path = tmp_path / f'v_{i:012d}_keypoints.json'
        path.write_text(c if isinstance(c, str) else json.dumps(c))
        paths.append(str(path))
    # a NaN literal sends this frame through the validating path
    nan_path = tmp_path / 'v_000000000007_keypoints.json'
    person = _person(rng)
    person['pose_keypoints_2d'][0] = 'NaN'
    nan_path.write_text(json.dumps({'people': [person]}).replace('"NaN"', 'NaN'))
    paths.append(str(nan_path))
    counts = Counter()
    frames, missing = read_openpose_frames(paths, counts, skip_corrupt=True)
    assert missing.tolist() == [False, False, False, True, False, True, False, False]
    one_by_one = Counter()
    for i, path in enumerate(paths):
        if missing[i]:
            assert not frames[i].any()
            continue
        np.testing.assert_array_equal(frames[i], parse_openpose_frame(path, one_by_one))
    one_by_one['corrupt_files'] += 1
    one_by_one.pop('nan_keypoints', None)
    counts.pop('nan_keypoints', None)
    assert counts == one_by_one
    assert counts['multi_person_frames'] == 2 and counts['empty_frames'] == 1
    speaker = np.asarray(contents[1]['people'][1]['pose_keypoints_2d'], np.float32).reshape(25, 3)
    np.testing.assert_array_equal(frames[1, :25], speaker)  # the most confident of three


def test_blocks_of_frames_do_not_change_the_result(tmp_path, monkeypatch):
    """The reader turns its frames into arrays block by block: blocks of 2 frames (several-person,
    empty, missing and validating-path frames falling on both sides of a boundary) give what one
    block of all frames gives."""
    from mmimigue.datasets.formats import openpose_json
    rng = np.random.default_rng(11)
    paths = []
    for i in range(9):
        if i == 4:
            paths.append(None)
            continue
        people = [_person(rng, float(s)) for s in rng.uniform(0.1, 0.9, i % 3)]
        if i == 7:
            people[0]['face_keypoints_2d'] = []  # OpenPose without face: the validating path
        paths.append(_write(tmp_path, {'people': people}, f'v_{i:012d}_keypoints.json'))
    whole_counts, block_counts = Counter(), Counter()
    whole = openpose_json.read_openpose_frames(paths, whole_counts)
    monkeypatch.setattr(openpose_json, '_BLOCK_FRAMES', 2)
    blocks = openpose_json.read_openpose_frames(paths, block_counts)
    np.testing.assert_array_equal(whole[0], blocks[0])
    np.testing.assert_array_equal(whole[1], blocks[1])
    assert whole_counts == block_counts
    assert (block_counts['multi_person_frames'], block_counts['empty_frames'],
            block_counts['missing_keypoint_lists']) == (3, 3, 1)


def test_the_reused_simdjson_parser_survives_a_live_document(tmp_path):
    """The fast path reuses one simdjson parser per thread; a document someone still holds
    (simdjson then refuses the reuse) must not make a frame fail or fall back silently wrong."""
    simdjson = pytest.importorskip('simdjson')
    from mmimigue.datasets.formats import openpose_json
    person = _person(np.random.default_rng(12))
    path = _write(tmp_path, {'people': [person]})
    parser = openpose_json._thread_parser()
    held = parser.parse(b'{"people": [{"a": [1]}]}')['people']  # a live proxy of the parser
    with open(path, 'rb') as f:  # the fast path itself reads it (not the validating fallback)
        assert openpose_json._plain_people(f.read()) is not None
    counts = Counter()
    out = parse_openpose_frame(path, counts)
    expected = np.concatenate([np.asarray(person[key], np.float32).reshape(-1, 3)
                               for key, _ in PARTS])
    np.testing.assert_array_equal(out, expected)
    assert isinstance(held, simdjson.Array) and not +counts  # nothing counted
