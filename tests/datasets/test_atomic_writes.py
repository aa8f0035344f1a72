"""Nothing lost: outputs never replace inputs, an interrupted write keeps the previous good
files, and a pickle refuses a store from another (or interrupted) conversion."""
import os
import os.path as osp
import pickle

import numpy as np
import pytest

from mmimigue.datasets.converters import convert_imigue
from mmimigue.datasets.formats import ConversionError
from mmimigue.datasets.keypoint_store import load_pose_annotations, store_file_for, write_pose_pickle


def _content(value: float, clips: int = 3):
    annos = [dict(frame_dir=f'0001_{i}', label=i, total_frames=5, img_shape=(720, 1280),
                  keypoint=np.full((1, 5, 22, 2), value + i, np.float32),
                  keypoint_score=np.ones((1, 5, 22), np.float32)) for i in range(clips)]
    return dict(split=dict(all=[a['frame_dir'] for a in annos]), annotations=annos)


def test_out_equal_to_the_labels_csv_is_refused(synthetic_imigue_raw):
    ann = osp.join(synthetic_imigue_raw, 'labels.csv')
    before = open(ann, 'rb').read()
    with pytest.raises(ConversionError, match='would overwrite the input'):
        convert_imigue(ann, osp.join(synthetic_imigue_raw, 'skeleton'), ann, progress=False)
    assert open(ann, 'rb').read() == before


def test_an_interrupted_write_keeps_the_previous_pickle(tmp_path, monkeypatch):
    out = str(tmp_path / 'p.pkl')
    write_pose_pickle(_content(1.), out)

    def killed(obj, f, protocol=None):
        f.write(b'\x80\x05partial')
        raise KeyboardInterrupt  # the process dies mid-write

    monkeypatch.setattr(pickle, 'dump', killed)
    with pytest.raises(KeyboardInterrupt):
        write_pose_pickle(_content(2.), out)
    monkeypatch.undo()
    again = load_pose_annotations(out)
    assert again['annotations'][0]['keypoint'][0, 0, 0, 0] == 1.  # the old, complete file
    assert sorted(os.listdir(tmp_path)) == ['p.pkl']  # the half file is removed


@pytest.mark.parametrize('how', ['killed between the renames', 'store copied from elsewhere'])
def test_a_pickle_refuses_a_store_of_another_conversion(tmp_path, monkeypatch, how):
    out = str(tmp_path / 'p.pkl')
    write_pose_pickle(_content(1.), out, storage='mmap')
    if how == 'killed between the renames':
        real_replace = os.replace

        def replace(src, dst):
            real_replace(src, dst)
            if dst == store_file_for(out):
                raise KeyboardInterrupt  # dies after the store, before the pickle

        monkeypatch.setattr(os, 'replace', replace)
        with pytest.raises(KeyboardInterrupt):
            write_pose_pickle(_content(5.), out, storage='mmap')  # same shape, other values
        monkeypatch.undo()
    else:
        other = str(tmp_path / 'other' / 'p.pkl')
        write_pose_pickle(_content(5.), other, storage='mmap')
        os.replace(store_file_for(other), store_file_for(out))
    with pytest.raises(ValueError, match='not the one its pickle was written with'):
        load_pose_annotations(out)


def test_a_complete_mmap_write_round_trips(tmp_path):
    out = str(tmp_path / 'p.pkl')
    write_pose_pickle(_content(1.), out, storage='mmap')
    write_pose_pickle(_content(7.), out, storage='mmap')  # a re-conversion over the old files
    annos = load_pose_annotations(out)['annotations']
    assert [a['keypoint'][0, 0, 0, 0] for a in annos] == [7., 8., 9.]
    assert sorted(os.listdir(tmp_path)) == ['p.keypoints.npy', 'p.pkl']  # no temporary files left


def test_damaged_bytes_in_the_store_are_an_error_not_keypoints(tmp_path):
    out = str(tmp_path / 'p.pkl')
    write_pose_pickle(_content(1.), out, storage='mmap')
    store = np.load(store_file_for(out), mmap_mode='r+')
    store[3, 7, 0] = np.frombuffer(b'\xff\xff\xff\xff', np.float32)[0]  # NaN bytes, clip 1
    store.flush()
    del store
    import pickle as pkl

    from mmimigue.datasets.keypoint_store import KeypointStore
    meta = pkl.load(open(out, 'rb'))['keypoint_store']
    reader = KeypointStore(store_file_for(out), meta['channels'], meta['shape'])  # no fingerprint
    reader.read(0, 5)  # clip 0 is intact
    with pytest.raises(ValueError, match='damaged'):
        reader.read(5, 5)


def test_finite_changed_bytes_between_the_sampled_blocks_fail_the_full_check(tmp_path):
    from mmimigue.datasets.keypoint_store import fingerprint, verify_store
    out = str(tmp_path / 'p.pkl')
    annos = [dict(frame_dir=f'0001_{i}', label=0, total_frames=50, img_shape=(720, 1280),
                  keypoint=np.full((1, 50, 137, 2), float(i), np.float32),
                  keypoint_score=np.ones((1, 50, 137), np.float32)) for i in range(40)]
    write_pose_pickle(dict(split=dict(all=[a['frame_dir'] for a in annos]), annotations=annos),
                      out, storage='mmap')
    assert verify_store(out)['bytes'] == osp.getsize(store_file_for(out))
    path = store_file_for(out)
    size = osp.getsize(path)
    before = fingerprint(path)
    pos = (size - 4096) // 63 // 2 + 2048  # between the first two sampled blocks
    with open(path, 'r+b') as f:
        f.seek(pos - pos % 4)
        f.write(np.float32(123.5).tobytes())  # a finite, wrong keypoint value
    assert fingerprint(path) == before  # the cheap check cannot see it ...
    with pytest.raises(ValueError, match='checksum mismatch'):  # ... the full one does
        verify_store(out)
    from cli import run_tool
    proc = run_tool('tools', 'data', 'verify_store.py', args=[out], check=False)
    assert proc.returncode == 1 and 'checksum mismatch' in proc.stderr
