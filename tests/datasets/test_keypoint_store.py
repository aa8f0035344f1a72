"""Memory-mapped keypoint storage: identical samples to inline pickles, mmaction2-readable,
one shared copy (workers receive the path, not the arrays), clear errors."""
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from mmaction.registry import DATASETS

from mmimigue.datasets.converters import convert_imigue
from mmimigue.datasets.keypoint_store import (
    KeypointStore,
    load_pose_annotations,
    store_file_for,
    write_pose_pickle,
)
from mmimigue.skeleton.layouts import layout_indices


@pytest.fixture(scope='module')
def both_storages(synthetic_imigue_pkl, tmp_path_factory):
    """The session's synthetic iMiGUE pickle re-written with mmap storage."""
    with open(synthetic_imigue_pkl, 'rb') as f:
        content = pickle.load(f)
    out = str(tmp_path_factory.mktemp('mmap') / 'imigue_skeleton.pkl')
    write_pose_pickle(content, out, storage='mmap')
    return synthetic_imigue_pkl, out, content


def test_store_layout_and_small_pickle(both_storages):
    inline, mmap, content = both_storages
    with open(mmap, 'rb') as f:
        stored = pickle.load(f)
    meta = stored['keypoint_store']
    total = sum(a['total_frames'] for a in content['annotations'])
    assert meta['file'] == 'imigue_skeleton.keypoints.npy' and meta['shape'] == (137, total, 3)
    assert meta['channels'] == ['x', 'y', 'score']
    assert osp.getsize(mmap) < osp.getsize(inline) / 20
    assert stored['split'] == content['split']
    arr = np.load(store_file_for(mmap), mmap_mode='r')
    for a, b in zip(content['annotations'][::50], stored['annotations'][::50]):
        assert 'keypoint' not in b and b['frame_dir'] == a['frame_dir']
        off, t = b['keypoint_offset'], b['total_frames']
        np.testing.assert_array_equal(arr[:, off:off + t, :2].transpose(1, 0, 2),
                                      a['keypoint'][0])  # joint-major (V, F, C)
        np.testing.assert_array_equal(arr[:, off:off + t, 2].T, a['keypoint_score'][0])


@pytest.mark.parametrize('layout', ['imigue22', 'openpose137'])
def test_dataset_samples_equal_inline(both_storages, layout):
    inline, mmap, _ = both_storages
    pipeline = [dict(type='PreNormalize2D'), dict(type='MGGenSkeFeat', layout=layout),
                dict(type='UniformSampleFrames', clip_len=16, test_mode=True),
                dict(type='PoseDecode'), dict(type='FormatGCNInput', num_person=1),
                dict(type='PackActionInputs')]
    a, b = [DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=f, pipeline=pipeline,
                                split='xsub_test', layout=layout, test_mode=True))
            for f in (inline, mmap)]
    assert len(a) == len(b) > 0
    for i in (0, len(a) // 2, len(a) - 1):
        x, y = a.get_data_info(i), b.get_data_info(i)
        assert x['frame_dir'] == y['frame_dir']
        np.testing.assert_array_equal(x['keypoint'], y['keypoint'])
        np.testing.assert_array_equal(x['keypoint_score'], y['keypoint_score'])
        assert y['keypoint'].flags['C_CONTIGUOUS'] and y['keypoint'].dtype == np.float32
        torch.testing.assert_close(a[i]['inputs'], b[i]['inputs'])


def test_mmaction2_pose_dataset_reads_it(both_storages):
    inline, mmap, _ = both_storages
    store = store_file_for(mmap)
    ds = DATASETS.build(dict(
        type='PoseDataset', ann_file=mmap, split='xsub_train',
        pipeline=[dict(type='MGLoadStoredKeypoints', store=store, layout='imigue22'),
                  dict(type='UniformSampleFrames', clip_len=8), dict(type='PoseDecode'),
                  dict(type='FormatGCNInput', num_person=1), dict(type='PackActionInputs')]))
    ref = DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=inline, pipeline=[],
                              split='xsub_train'))
    assert ds[0]['inputs'].shape == (1, 1, 8, 22, 3)  # x, y, score
    from mmimigue.datasets.transforms import MGLoadStoredKeypoints
    t = MGLoadStoredKeypoints(store, layout='imigue22')
    r = t(ds.get_data_info(3))
    np.testing.assert_array_equal(r['keypoint'], ref.get_data_info(3)['keypoint'])
    with pytest.raises(KeyError, match='inline keypoints'):
        t(ref.get_data_info(0))


def test_workers_get_the_path_not_the_arrays(both_storages):
    _, mmap, _ = both_storages
    ds = DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=mmap, pipeline=[],
                             split='xsub_train'))
    ds.get_data_info(0)  # maps the file in this process
    blob = pickle.dumps(ds)  # what a spawned dataloader worker receives
    assert len(blob) < 200_000  # the store is ~2 MB: the pickle carries the path only
    clone = pickle.loads(blob)
    np.testing.assert_array_equal(clone.get_data_info(5)['keypoint'],
                                  ds.get_data_info(5)['keypoint'])
    assert ds.data_bytes.nbytes < 200_000  # the serialised clip list holds no arrays


def test_load_pose_annotations_and_tools(both_storages):
    inline, mmap, content = both_storages
    loaded = load_pose_annotations(mmap, joints=layout_indices('imigue22'))
    a, b = content['annotations'][7], loaded['annotations'][7]
    np.testing.assert_array_equal(b['keypoint'], a['keypoint'][:, :, layout_indices('imigue22')])
    assert 'keypoint_store' not in loaded


def test_converter_storage_flag(synthetic_imigue_raw, tmp_path):
    # a handful of videos keeps it quick: rewrite labels.csv with the first 40 rows
    lines = open(osp.join(synthetic_imigue_raw, 'labels.csv')).read().splitlines()[:41]
    ann = tmp_path / 'labels.csv'
    ann.write_text('\n'.join(lines) + '\n')
    out = str(tmp_path / 'o.pkl')
    content = convert_imigue(str(ann), osp.join(synthetic_imigue_raw, 'skeleton'), out,
                             progress=False, storage='mmap')
    assert 'keypoint' in content['annotations'][0]  # the returned content stays inline
    ds = DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=out, pipeline=[],
                             split=None, layout='body25'))
    info = ds.get_data_info(0)
    want = content['annotations'][0]['keypoint'][:, :, :25]
    np.testing.assert_array_equal(info['keypoint'], want)


def test_errors(both_storages, tmp_path):
    _, mmap, content = both_storages
    with pytest.raises(ValueError, match="storage must be 'inline' or 'mmap'"):
        write_pose_pickle(content, str(tmp_path / 'x.pkl'), storage='zip')
    missing = KeypointStore(str(tmp_path / 'none.keypoints.npy'))
    with pytest.raises(FileNotFoundError, match='must stay beside it'):
        missing.read(0, 1)
    np.save(tmp_path / 'small.npy', np.zeros((137, 5, 3), np.float32))
    with pytest.raises(ValueError, match='different conversions'):
        KeypointStore(str(tmp_path / 'small.npy'), shape=(137, 6, 3)).read(0, 1)
    with pytest.raises(IndexError, match='outside the store'):
        KeypointStore(str(tmp_path / 'small.npy')).read(3, 4)
    open(tmp_path / 'broken.npy', 'wb').write(b'not an array')
    with pytest.raises(ValueError, match='not a readable .npy keypoint store'):
        KeypointStore(str(tmp_path / 'broken.npy')).read(0, 1)
    bad = dict(content, annotations=[dict(content['annotations'][0]),
                                     dict(content['annotations'][1])])
    bad['annotations'][1]['keypoint'] = bad['annotations'][1]['keypoint'][:, :, :22]
    with pytest.raises(ValueError, match='joints x 2 coordinates in every clip'):
        write_pose_pickle(bad, str(tmp_path / 'y.pkl'), storage='mmap')


def test_a_store_file_name_outside_the_pickles_folder_is_refused(both_storages, tmp_path):
    from mmimigue.datasets.keypoint_store import STORE_KEY, open_store
    _, mmap, _ = both_storages
    with open(mmap, 'rb') as f:
        stored = pickle.load(f)
    assert open_store(stored, mmap) is not None
    stored[STORE_KEY] = dict(stored[STORE_KEY], file='../../etc/elsewhere.npy')
    with pytest.raises(ValueError, match='keypoint store file'):
        open_store(stored, mmap)
