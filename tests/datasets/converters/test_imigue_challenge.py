"""Challenge CSV and packed-array converters: same schema as the official converter, metadata
joins, and clear errors on bad input."""
import os
import os.path as osp
import pickle
import shutil

import numpy as np
import pytest
from cli import run_tool
from mmaction.registry import DATASETS

from mmimigue.datasets.converters.imigue_challenge_csv import convert_challenge_csv
from mmimigue.datasets.converters.imigue_packed import convert_packed
from mmimigue.datasets.formats import ConversionError
from mmimigue.datasets.synthetic import SyntheticConfig
from mmimigue.datasets.synthetic.imigue_challenge import make_synthetic_challenge
from mmimigue.skeleton.layouts import layout_indices

SCHEMA = {'frame_dir', 'label', 'total_frames', 'img_shape', 'original_shape', 'keypoint',
          'keypoint_score', 'video_id', 'subject_id', 'emotion', 'start_frame', 'end_frame',
          'clip_index'}
IDX22 = layout_indices('imigue22')


@pytest.fixture(scope='module')
def challenge(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('challenge'))
    cfg = SyntheticConfig(num_train_subjects=3, num_test_subjects=2, videos_per_subject=1,
                          clips_per_video=(5, 7), seed=1)
    return make_synthetic_challenge(out, cfg, packed_frames=40)


@pytest.fixture
def copy(challenge, tmp_path):
    """A writable copy of the generated packages (for corrupting files)."""
    root = osp.dirname(challenge['labels_csv'])
    dst = str(tmp_path / 'pkg')
    shutil.copytree(root, dst)
    def moved(p):
        return p.replace(root, dst)
    return dict(labels_csv=moved(challenge['labels_csv']),
                csv_roots={k: moved(v) for k, v in challenge['csv_roots'].items()},
                packed_parts={k: tuple(moved(x) for x in v)
                              for k, v in challenge['packed_parts'].items()})


def _truth(challenge, vid, k):
    """Ground-truth (T, 137, 3) frames of clip k (0-based row) of video vid."""
    rows = [r for r in challenge['rows'] if str(r['video_id']).zfill(4) == vid]
    r = rows[k]
    return challenge['frames'][vid][r['start_frame']:r['end_frame'] + 1], r


def test_csv_converts_to_the_shared_schema(challenge):
    content = convert_challenge_csv(challenge['csv_roots'])
    annos = content['annotations']
    assert len(annos) == len(challenge['rows'])
    for a in annos[::7]:
        assert SCHEMA <= set(a)
        vid, k = a['frame_dir'].split('_')
        truth, row = _truth(challenge, vid, int(k))
        assert a['keypoint'].shape == (1, len(truth), 137, 2) and a['total_frames'] == len(truth)
        got = np.concatenate([a['keypoint'][0], a['keypoint_score'][0, ..., None]], -1)
        np.testing.assert_allclose(got[:, IDX22], truth[:, IDX22], atol=1e-3)  # %.3f csv
        np.testing.assert_allclose(got[:, :25], truth[:, :25], atol=1e-3)  # all of BODY_25
        assert (got[:, 25:95] == 0).all()  # the face is not in this format
        assert (a['start_frame'], a['end_frame']) == (row['start_frame'], row['end_frame'])
        assert a['subject_id'] == -1 and a['emotion'] == -1
    assert 'subject_id' in content['meta']['unavailable_fields']
    train_vids = set(os.listdir(challenge['csv_roots']['xsub_train']))
    assert {f.split('_')[0] for f in content['split']['xsub_train']} == train_vids


def test_csv_with_labels_csv_takes_release_metadata(challenge, tmp_path):
    out = str(tmp_path / 'c.pkl')
    content = convert_challenge_csv(challenge['csv_roots'], out, ann_file=challenge['labels_csv'])
    assert content['meta']['unavailable_fields'] == []
    by_name = {f'{str(r["video_id"]).zfill(4)}_{r["label_id"]}': r for r in challenge['rows']}
    for a in content['annotations']:
        r = by_name[a['frame_dir']]  # official ids
        assert (a['subject_id'], a['emotion']) == (r['subject_id'], int(r['win_or_lose'] == 'Win'))
    ds = DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=out, pipeline=[],
                             split='xsub_test', layout='body25'))
    assert ds.get_data_info(0)['keypoint'].shape[2] == 25


def test_csv_bad_inputs(copy):
    roots = copy['csv_roots']
    vid = sorted(os.listdir(roots['xsub_train']))[0]
    skel = osp.join(roots['xsub_train'], vid, f'{vid}_light_hand.csv')
    labels = osp.join(roots['xsub_train'], vid, f'{vid}_label.csv')
    lines = open(skel).read().splitlines()
    # wrong column count
    bad = list(lines)
    bad[3] = ','.join(bad[3].split(',')[:-3])  # no header line: lines[3] is data row 4
    open(skel, 'w').write('\n'.join(bad) + '\n')
    with pytest.raises(ConversionError, match=rf'{vid}_light_hand.csv: data row 4 has 103 '
                       r'columns, expected 106'):
        convert_challenge_csv(roots)
    # truncated skeleton: the label file runs past the data -> counted, or an error if strict
    rows = np.loadtxt(labels, delimiter=',', dtype=int, ndmin=2)
    keep = rows[-1, 1] + 2  # the last clip starts inside, ends outside
    open(skel, 'w').write('\n'.join(lines[:keep]) + '\n')
    s = convert_challenge_csv(roots)['summary']
    assert s['clips_truncated_at_video_end'] == 1
    with pytest.raises(ConversionError, match='does not match the data'):
        convert_challenge_csv(roots, strict=True)
    open(skel, 'w').write('\n'.join(lines[:rows[-1, 1] - 1]) + '\n')
    s = convert_challenge_csv(roots)['summary']
    assert s['skipped_clips'] == 1 and 'start outside' in s['skipped'][0][1]
    open(skel, 'w').write('\n'.join(lines) + '\n')
    # label file with a wrong column count / an unknown gesture id
    open(labels, 'w').write('8,1,10,3\n')
    with pytest.raises(ConversionError, match=rf'{vid}_label.csv: data row 1 has 4 columns'):
        convert_challenge_csv(roots)
    open(labels, 'w').write('50,1,10\n')
    with pytest.raises(ConversionError, match=rf'{vid}_label.csv: row 1: class id 50'):
        convert_challenge_csv(roots)
    # a missing label file: the video is unlabelled (phase-2 test videos) and counted
    os.remove(labels)
    s = convert_challenge_csv(roots)['summary']
    assert s['videos_without_labels'] == 1
    with pytest.raises(ConversionError, match='package folder not found'):
        convert_challenge_csv({'xsub_train': roots['xsub_train'] + '_nope'})


def test_csv_labels_csv_of_another_release_is_rejected(copy):
    text = open(copy['labels_csv']).read().splitlines()
    shifted = [text[0]]
    for ln in text[1:]:
        f = ln.split(',')
        f[3], f[5] = str(int(f[3]) + 1000), str(int(f[5]) + 1000)  # other frame ranges
        shifted.append(','.join(f))
    open(copy['labels_csv'], 'w').write('\n'.join(shifted) + '\n')
    with pytest.raises(ConversionError, match='none of the .* clips matches a row'):
        convert_challenge_csv(copy['csv_roots'], ann_file=copy['labels_csv'])


def test_packed_converts_to_the_shared_schema(challenge, tmp_path):
    out = str(tmp_path / 'p.pkl')
    content = convert_packed(challenge['packed_parts'], out)
    annos = content['annotations']
    assert len(annos) == len(challenge['rows'])
    for a in annos[::5]:
        assert SCHEMA <= set(a) and a['keypoint'].shape[2] == 22
        vid, k = a['frame_dir'].split('_')
        truth, _ = _truth(challenge, vid, int(k))
        truth = truth[-40:, IDX22]  # the package keeps the last 40 frames
        assert a['total_frames'] == len(truth)  # zero padding dropped
        np.testing.assert_allclose(a['keypoint'][0], truth[..., :2], atol=1e-6)
        np.testing.assert_allclose(a['keypoint_score'][0], truth[..., 2], atol=1e-6)
        assert a['start_frame'] == -1 and a['subject_id'] == -1
    assert {'start_frame', 'emotion'} <= set(content['meta']['unavailable_fields'])
    ds = DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=out, pipeline=[],
                             split='xsub_train', layout='imigue22'))
    assert ds.get_data_info(0)['keypoint'].shape[2] == 22
    with pytest.raises(ValueError, match='has 22 joints'):
        DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=out, pipeline=[],
                            layout='body25'))


def test_packed_with_labels_csv(challenge):
    content = convert_packed(challenge['packed_parts'], ann_file=challenge['labels_csv'])
    long = [r for r in challenge['rows'] if r['end_frame'] - r['start_frame'] + 1 > 40]
    assert content['summary']['clips_longer_than_stored'] == len(long) > 0
    for a in content['annotations']:
        assert a['subject_id'] > 0 and a['emotion'] in (0, 1)
        assert a['end_frame'] - a['start_frame'] + 1 == a['total_frames']


def test_packed_bad_inputs(copy, tmp_path):
    data_path, label_path = copy['packed_parts']['xsub_train']
    parts = {'xsub_train': (data_path, label_path)}
    raw = open(data_path, 'rb').read()
    # truncated array file
    open(data_path, 'wb').write(raw[:len(raw) // 2])
    with pytest.raises(ConversionError, match='train_data.npy: cannot read .* truncated'):
        convert_packed(parts)
    open(data_path, 'wb').write(raw)
    # wrong layout (25 joints)
    wrong = str(tmp_path / 'wrong.npy')
    np.save(wrong, np.zeros((3, 3, 10, 25, 1), np.float32))
    with pytest.raises(ConversionError, match=r'shape \(3, 3, 10, 25, 1\).*\(N, 3, T, 22, M\)'):
        convert_packed({'xsub_train': (wrong, label_path)})
    # label file that does not match the data
    names, labels = pickle.load(open(label_path, 'rb'))
    for bad, msg in [((names[:-1], labels[:-1]), 'samples but .* holds'),
                     ((names, labels[:-1]), 'names but'),
                     (names, 'expected a pickle of'),
                     ((['clip-a'] + names[1:], labels), 'not "<video id>_<clip index>"'),
                     ((names, [40] + list(labels[1:])), r'labels must be integers 0..31'),
                     ((names[:1] * len(names), labels), 'duplicate sample names')]:
        with open(label_path, 'wb') as f:
            pickle.dump(bad, f)
        with pytest.raises(ConversionError, match=msg):
            convert_packed(parts)
    open(label_path, 'wb').write(b'\x80\x04garbage')
    with pytest.raises(ConversionError, match='cannot unpickle'):
        convert_packed(parts)
    # labels that disagree with the release labels.csv
    with open(label_path, 'wb') as f:
        pickle.dump((names, [(labels[0] + 1) % 32] + list(labels[1:])), f)
    with pytest.raises(ConversionError, match='do not describe the same clips'):
        convert_packed(parts, ann_file=copy['labels_csv'])


def test_packed_all_zero_sample_is_counted(copy):
    data_path, label_path = copy['packed_parts']['xsub_test']
    data = np.load(data_path)
    data[2] = 0
    np.save(data_path, data)
    content = convert_packed({'xsub_test': (data_path, label_path)})
    assert content['summary']['skipped_clips'] == 1
    assert 'all-zero sample 2' in content['summary']['skipped'][0][1]


def test_cli_writes_mmap_storage(challenge, tmp_path):
    out = str(tmp_path / 'p.pkl')
    args = ['packed', '--out', out, '--storage', 'mmap']
    for split, (d, lab) in challenge['packed_parts'].items():
        args += ['--part', split, d, lab]
    run_tool('tools', 'data', 'imigue', 'convert_challenge.py', args=args)
    assert osp.isfile(str(tmp_path / 'p.keypoints.npy'))
    proc = run_tool('tools', 'data', 'imigue', 'convert_challenge.py', check=False,
                    args=['csv', '--root', 'nofolder', '--out', out])
    assert proc.returncode != 0 and 'SPLIT=FOLDER' in proc.stderr


def test_packed_nan_and_inf_points_are_zeroed_and_counted(copy):
    data_path, label_path = copy['packed_parts']['xsub_train']
    data = np.load(data_path)
    data[0, :, 0, 3, 0] = [np.nan, 1.0, 0.9]  # frame 0, joint 3
    data[1, 0, 2, 5, 0] = np.inf
    np.save(data_path, data)
    content = convert_packed({'xsub_train': (data_path, label_path)})
    a0, a1 = content['annotations'][0], content['annotations'][1]
    assert content['summary']['nan_keypoints'] == 2
    assert a0['keypoint_score'][0, 0, 3] == 0 and (a0['keypoint'][0, 0, 3] == 0).all()
    assert a1['keypoint_score'][0, 2, 5] == 0
    assert all(np.isfinite(a['keypoint']).all() for a in content['annotations'])


def test_fractional_or_empty_label_cells_are_errors(copy):
    root = copy['csv_roots']['xsub_train']
    vid = sorted(os.listdir(root))[0]
    path = osp.join(root, vid, f'{vid}_label.csv')
    lines = open(path).read().splitlines()
    lines[0] = lines[0].split(',')[0] + ',10.5,' + lines[0].split(',')[2]
    open(path, 'w').write('\n'.join(lines) + '\n')
    with pytest.raises(ConversionError, match=r'data row 1, column 2 is 10\.5, not a whole'):
        convert_challenge_csv(copy['csv_roots'])


def test_synthetic_csv_has_no_header_line_as_the_public_reader_expects(challenge):
    root = challenge['csv_roots']['xsub_train']
    vid = sorted(os.listdir(root))[0]
    with open(osp.join(root, vid, f'{vid}_light_hand.csv')) as f:
        first = f.readline().strip().split(',')
    assert len(first) == 106 and float(first[0]) == 0  # a data row (frame 0), not a header
    [float(v) for v in first]


def test_swapped_label_files_of_two_videos_are_refused_with_labels_csv(copy):
    root = copy['csv_roots']['xsub_train']
    a, b = sorted(os.listdir(root))[:2]
    pa, pb = (osp.join(root, v, f'{v}_label.csv') for v in (a, b))
    text_a, text_b = open(pa).read(), open(pb).read()
    open(pa, 'w').write(text_b)
    open(pb, 'w').write(text_a)
    with pytest.raises(ConversionError, match=rf'{a}_label.csv: its \d+ clips are those of '
                       rf'video {b} .* look swapped or misplaced'):
        convert_challenge_csv(copy['csv_roots'], ann_file=copy['labels_csv'])
