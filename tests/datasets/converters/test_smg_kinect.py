"""SMG: Kinect CSV converter, synthetic generator, MGSMGSkeletonDataset and the SMG configs."""
import json
import os.path as osp
import pickle
import shutil

import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.datasets.converters.smg_kinect import SMGFormatError, convert_smg, format_smg_summary
from mmimigue.datasets.smg_skeleton_dataset import MGSMGSkeletonDataset
from mmimigue.datasets.synthetic.smg import make_synthetic_smg
from mmimigue.protocol import smg_class_names

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
SUBJECTS = [1, 2, 3, 4, 5, 6, 36, 37]


@pytest.fixture(scope='module')
def smg_release(tmp_path_factory):
    out = str(tmp_path_factory.mktemp('smg') / 'release')
    make_synthetic_smg(out, subjects=SUBJECTS, clips_per_subject=8, seed=3)
    return out


@pytest.fixture
def release_copy(smg_release, tmp_path):
    dst = str(tmp_path / 'release')
    shutil.copytree(smg_release, dst)
    return dst


def _csv(root, sid, kind):
    return osp.join(root, f'Sample{sid:04d}', f'Sample{sid:04d}_{kind}.csv')


def test_convert_matches_csv_rows(smg_release, tmp_path):
    out = str(tmp_path / 'smg.pkl')
    content = convert_smg(smg_release, out)
    with open(out, 'rb') as f:
        assert pickle.load(f)['split'] == content['split']
    annos = content['annotations']
    assert len(annos) == len(SUBJECTS) * 8
    # default split: test subjects 36-40
    test = {a['frame_dir'] for a in annos if a['subject_id'] >= 36}
    assert set(content['split']['xsub_test']) == test
    assert set(content['split']['xsub_train']) == {a['frame_dir'] for a in annos} - test
    # clip 3 of subject 2: keypoints are rows start-1..end-1, world xyz = columns 0:3 per joint
    rows = np.loadtxt(_csv(smg_release, 2, 'skeleton'), delimiter=',')
    labels = np.loadtxt(_csv(smg_release, 2, 'finelabels'), delimiter=',', dtype=int)
    a = next(x for x in annos if x['frame_dir'] == 'Sample0002_3')
    lab, start, end = labels[3]
    assert a['label'] == lab - 1 and (a['start_frame'], a['end_frame']) == (start, end)
    assert a['keypoint'].dtype == np.float32 and a['keypoint'].shape == (1, end - start + 1, 25, 3)
    want = rows[start - 1:end].reshape(-1, 25, 11)[..., :3]
    np.testing.assert_allclose(a['keypoint'][0], want, atol=1e-5)
    assert a['total_frames'] == end - start + 1 and 'keypoint_score' not in a
    assert a['subject_id'] == 2 and a['sample'] == 'Sample0002' and a['clip_index'] == 3
    assert content['meta']['classes'] == smg_class_names()
    assert 'samples: 8  clips: 64' in format_smg_summary(content)


def test_stress_metadata_follows_tflabels(smg_release):
    annos = convert_smg(smg_release)['annotations']
    tf = np.loadtxt(_csv(smg_release, 36, 'tflabels_new'), delimiter=',', dtype=int)
    for a in (x for x in annos if x['subject_id'] == 36):
        seg = tf[(tf[:, 1] <= a['start_frame']) & (tf[:, 2] >= a['end_frame'])]
        assert len(seg) == 1, 'synthetic clips lie inside one story segment'
        assert a['emo_label'] == seg[0, 3]
        assert a['stress'] == seg[0, 3] % 10 - 1 and a['stress_hidden'] == seg[0, 3] // 10
    assert {a['stress'] for a in annos} == {0, 1}


def test_frame_base_zero_shifts_one_row(smg_release):
    one = convert_smg(smg_release)['annotations'][1]
    zero = convert_smg(smg_release, frame_base=0)['annotations'][1]
    rows = np.loadtxt(_csv(smg_release, 1, 'skeleton'), delimiter=',').reshape(-1, 25, 11)
    s = zero['start_frame']
    np.testing.assert_allclose(zero['keypoint'][0, 0], rows[s, :, :3], atol=1e-5)
    np.testing.assert_allclose(one['keypoint'][0, 0], rows[s - 1, :, :3], atol=1e-5)


def test_split_file_and_class_names(smg_release, tmp_path):
    split = tmp_path / 'split.json'
    split.write_text(json.dumps({'test_subjects': [1, 2]}))
    names = [f'mg{i}' for i in range(17)]
    content = convert_smg(smg_release, split_file=str(split), class_names=names)
    subj = {a['frame_dir']: a['subject_id'] for a in content['annotations']}
    assert {subj[f] for f in content['split']['xsub_test']} == {1, 2}
    assert {subj[f] for f in content['split']['xsub_train']} == set(SUBJECTS) - {1, 2}
    assert content['meta']['classes'] == names
    # a label beyond the given class list is an error naming the file
    with pytest.raises(SMGFormatError, match='finelabels.csv.*outside 1..3'):
        convert_smg(smg_release, class_names=names[:3])


def test_wrong_column_count(release_copy):
    path = _csv(release_copy, 3, 'skeleton')
    lines = open(path).read().splitlines()
    lines[5] = ','.join(lines[5].split(',')[:-11])  # one joint short on data row 6
    open(path, 'w').write('\n'.join(lines) + '\n')
    with pytest.raises(SMGFormatError, match=r'Sample0003_skeleton.csv: data row 6 has 264 '
                       r'columns, expected 275'):
        convert_smg(release_copy)


def test_header_and_trailing_comma_tolerated(release_copy):
    path = _csv(release_copy, 3, 'skeleton')
    lines = open(path).read().splitlines()
    header = ','.join(f'c{i}' for i in range(275))
    open(path, 'w').write(header + '\n' + '\n'.join(ln + ',' for ln in lines) + '\n')
    annos = [a for a in convert_smg(release_copy)['annotations'] if a['subject_id'] == 3]
    assert len(annos) == 8


def test_truncated_skeleton_is_a_counted_skip_or_strict_error(release_copy):
    path = _csv(release_copy, 4, 'skeleton')
    labels = np.loadtxt(_csv(release_copy, 4, 'finelabels'), delimiter=',', dtype=int)
    lines = open(path).read().splitlines()
    keep = labels[-2, 2]  # rows up to the second-to-last clip's end: the last clip is cut off
    open(path, 'w').write('\n'.join(lines[:keep]) + '\n')
    with pytest.warns(UserWarning, match='Sample0004_data.csv says'):
        content = convert_smg(release_copy)
    s = content['meta']['summary']
    assert s['skipped_past_end'] == 1 and 'Sample0004_finelabels.csv row 8' in s['skipped'][0]
    assert s['frame_count_mismatch']['Sample0004'] == (len(lines), keep)
    assert 'Sample0004_7' not in {a['frame_dir'] for a in content['annotations']}
    assert 'skipped 1 clips past the skeleton end' in format_smg_summary(content)
    with pytest.raises(SMGFormatError, match='does not match the skeleton file'):
        with pytest.warns(UserWarning):
            convert_smg(release_copy, strict=True)


def test_bad_label_rows(release_copy):
    path = _csv(release_copy, 5, 'finelabels')
    rows = np.loadtxt(path, delimiter=',', dtype=int)
    rows[2, 1], rows[2, 2] = rows[2, 2], rows[2, 1]  # end before start
    np.savetxt(path, rows, fmt='%d', delimiter=',')
    with pytest.raises(SMGFormatError, match='Sample0005_finelabels.csv: row 3 ends'):
        convert_smg(release_copy)
    open(path, 'w').write('1,2\n')
    with pytest.raises(SMGFormatError, match='expected 3'):
        convert_smg(release_copy)


def test_missing_files_and_folders(release_copy, tmp_path):
    with pytest.raises(FileNotFoundError, match='holds no SampleXXXX'):
        convert_smg(str(tmp_path / 'release' / 'Sample0001'))
    import os
    os.remove(_csv(release_copy, 6, 'data'))
    with pytest.raises(FileNotFoundError, match='Sample0006_data.csv is missing'):
        convert_smg(release_copy)


def test_missing_tflabels_gives_unknown_stress(release_copy):
    import os
    os.remove(_csv(release_copy, 6, 'tflabels_new'))
    content = convert_smg(release_copy)
    assert {a['stress'] for a in content['annotations'] if a['subject_id'] == 6} == {-1}
    assert content['meta']['summary']['samples_without_tflabels'] == 1


def test_dataset_loads_splits_and_names(smg_release, tmp_path):
    init_default_scope('mmaction')
    out = str(tmp_path / 'smg.pkl')
    names = [f'mg{i}' for i in range(17)]
    convert_smg(smg_release, out, class_names=names)
    pipeline = [dict(type='PreNormalize3D'), dict(type='MGGenSkeFeat', layout='ntu25'),
                dict(type='UniformSampleFrames', clip_len=16), dict(type='PoseDecode'),
                dict(type='FormatGCNInput', num_person=1), dict(type='PackActionInputs')]
    train = MGSMGSkeletonDataset(out, pipeline, split='xsub_train')
    test = MGSMGSkeletonDataset(out, pipeline, split='xsub_test', test_mode=True)
    assert len(train) == 6 * 8 and len(test) == 2 * 8
    assert train.metainfo['classes'] == tuple(names)
    sample = train[0]
    assert sample['inputs'].shape == (1, 1, 16, 25, 3)
    assert torch.isfinite(sample['inputs']).all()
    info = test.get_data_info(0)
    assert info['subject_id'] in (36, 37) and info['stress'] in (0, 1)
    override = MGSMGSkeletonDataset(out, pipeline, split='xsub_test', class_names=['a'] * 17)
    assert override.metainfo['classes'] == ('a', ) * 17


def test_mmap_storage_matches_inline(smg_release, tmp_path):
    init_default_scope('mmaction')
    inline, mmap = str(tmp_path / 'i' / 'smg.pkl'), str(tmp_path / 'm' / 'smg.pkl')
    convert_smg(smg_release, inline)
    convert_smg(smg_release, mmap, storage='mmap')
    assert osp.isfile(str(tmp_path / 'm' / 'smg.keypoints.npy'))
    with open(mmap, 'rb') as f:
        stored = pickle.load(f)
    assert stored['keypoint_store']['channels'] == ['x', 'y', 'z']
    assert 'keypoint' not in stored['annotations'][0]
    a = MGSMGSkeletonDataset(inline, [], split='xsub_test')
    b = MGSMGSkeletonDataset(mmap, [], split='xsub_test')
    assert len(a) == len(b) == 16
    for i in (0, 7, 15):
        x, y = a.get_data_info(i), b.get_data_info(i)
        assert x['frame_dir'] == y['frame_dir'] and 'keypoint_score' not in y
        np.testing.assert_array_equal(x['keypoint'], y['keypoint'])


def test_dataset_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match='tools/data/smg/convert.py'):
        MGSMGSkeletonDataset(str(tmp_path / 'none.pkl'), [])
    bad = tmp_path / 'bad.pkl'
    with open(bad, 'wb') as f:
        pickle.dump(dict(split={'xsub_train': ['a']}, annotations=[dict(
            frame_dir='a', label=0, total_frames=4, keypoint=np.zeros((1, 4, 25, 2)))]), f)
    with pytest.raises(ValueError, match=r'SMG clips are \(1, T, 25, 3\)'):
        MGSMGSkeletonDataset(str(bad), [])
    with pytest.raises(KeyError, match='no split'):
        MGSMGSkeletonDataset(str(bad), [], split='xsub_val')


@pytest.fixture(scope='module')
def smg_train_pkl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('smg_cfg')
    make_synthetic_smg(str(tmp / 'rel'), subjects=list(range(1, 25)) + [36, 37, 38, 39, 40],
                       clips_per_subject=8, seed=0)
    convert_smg(str(tmp / 'rel'), str(tmp / 'smg.pkl'))
    return str(tmp / 'smg.pkl')


@pytest.mark.parametrize('cfg_name,epochs', [
    ('stgcn_1xb32-joint-u64-80e_smg-xsub-keypoint-3d.py', 4),
    ('2s-agcn_1xb32-bone-u64-80e_smg-xsub-keypoint-3d.py', 1)])
def test_configs_train_and_learn(cfg_name, epochs, smg_train_pkl, tmp_path):
    """Tiny versions of the SMG configs train; ST-GCN beats chance on held-out subjects."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    torch.manual_seed(0)
    torch.set_num_threads(1)
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'smg', cfg_name))
    assert cfg.model.backbone.graph_cfg.layout == 'ntu25'
    cfg.work_dir = str(tmp_path / 'work')
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dl = cfg[key]
        dl.num_workers, dl.persistent_workers, dl.batch_size = 0, False, 16
        ds = dl.dataset.dataset if dl.dataset.type == 'RepeatDataset' else dl.dataset
        ds.ann_file = smg_train_pkl
        for t in ds.pipeline:
            if t.type == 'UniformSampleFrames':
                t.clip_len = 24
    cfg.train_dataloader.dataset.times = 1
    # learning is measured on the test subjects after the last epoch (no checkpoint chosen), with
    # every training subject, as the paper protocol
    cfg.train_dataloader.dataset.dataset.split = 'xsub_train'
    cfg.val_dataloader.dataset.split = 'xsub_test'
    cfg.model.backbone.update(base_channels=16, num_stages=4, inflate_stages=[3],
                              down_stages=[3])
    cfg.model.cls_head.in_channels = 32
    cfg.train_cfg.update(max_epochs=epochs, val_begin=100)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=-1, save_last=False)
    cfg.default_hooks.logger.interval = 50
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.val_loop.run()
    assert len(runner.val_dataloader.dataset) == 5 * 8  # subjects 36-40
    if cfg_name.startswith('stgcn'):
        assert metrics['acc/top1'] > 0.2, metrics  # chance is 1/17
    assert np.isfinite(metrics['acc/top1'])


def test_empty_cells_in_the_skeleton_are_an_error_not_keypoints(release_copy):
    path = _csv(release_copy, 3, 'skeleton')
    lines = open(path).read().splitlines()
    cells = lines[4].split(',')
    cells[11 * 2 + 1] = ''  # joint 2, y of data row 5
    lines[4] = ','.join(cells)
    open(path, 'w').write('\n'.join(lines) + '\n')
    with pytest.raises(SMGFormatError, match=r'Sample0003_skeleton.csv: data row 5, joint 2: '
                       'empty or non-finite'):
        convert_smg(release_copy)


def test_fractional_label_frames_are_an_error(release_copy):
    path = _csv(release_copy, 3, 'finelabels')
    lines = open(path).read().splitlines()
    label, start, end = lines[0].split(',')[:3]
    lines[0] = f'{label},{start}.5,{end}'
    open(path, 'w').write('\n'.join(lines) + '\n')
    with pytest.raises(SMGFormatError, match='not a whole number'):
        convert_smg(release_copy)


def _hand_made_sample(root, pixels):
    """Sample0001: 3 frames, joint j at world (0.1 j, 0.2, 2.0) with colour pixels ``pixels``
    (a (25, 2) array written as values 7:9 of every joint), one MG over frames 1-3."""
    d = root / 'Sample0001'
    d.mkdir(parents=True)
    row = np.zeros((25, 11))
    row[:, 0], row[:, 1], row[:, 2], row[:, 3] = 0.1 * np.arange(25), 0.2, 2.0, 1.0
    row[:, 7:9] = pixels
    (d / 'Sample0001_skeleton.csv').write_text(
        '\n'.join(','.join(f'{v:g}' for v in row.reshape(-1)) for _ in range(3)) + '\n')
    (d / 'Sample0001_finelabels.csv').write_text('4,1,3\n')
    (d / 'Sample0001_data.csv').write_text('3,30,4000\n')
    return str(d)


def test_posec3d_reads_the_release_pixels_and_projects_without_them(tmp_path):
    from mmimigue.datasets.converters.smg_kinect import convert_smg_sample
    from mmimigue.datasets.transforms import MGProjectKinect2D
    pixels = np.stack([100 + 10 * np.arange(25), 900 - 5 * np.arange(25)], -1)
    summary = {}
    anno, = convert_smg_sample(_hand_made_sample(tmp_path / 'a', pixels), 1, 17,
                               summary=summary)
    np.testing.assert_array_equal(anno['keypoint_2d'][0], np.repeat(pixels[None], 3, 0))
    assert summary['clips_with_release_2d'] == 1
    out = MGProjectKinect2D()(dict(keypoint=anno['keypoint'], keypoint_2d=anno['keypoint_2d']))
    assert out['kinect_2d_source'] == 'release' and 'keypoint_2d' not in out
    np.testing.assert_array_equal(out['keypoint'][0, 0], pixels)
    assert out['img_shape'] == (1080, 1920) and out['keypoint_score'].min() == 1
    # a release whose values 7:9 are empty: no keypoint_2d, the pinhole projection instead
    anno, = convert_smg_sample(_hand_made_sample(tmp_path / 'b', np.zeros((25, 2))), 1, 17)
    assert 'keypoint_2d' not in anno
    out = MGProjectKinect2D(focal=400)(dict(keypoint=anno['keypoint']))
    assert out['kinect_2d_source'] == 'projection'
    np.testing.assert_allclose(out['keypoint'][0, 0, 3], [256 + 400 * 0.3 / 2, 212 - 40],
                               rtol=1e-5)
    with pytest.raises(ValueError, match='does not match keypoint'):
        MGProjectKinect2D()(dict(keypoint=np.zeros((1, 3, 25, 3)),
                                 keypoint_2d=np.zeros((1, 2, 25, 2))))
