"""The streams file is as safe as the clip pickle: outputs never replace inputs, the store is
checked (fingerprint, size, finite values, full checksum), its counts are stored."""
import os.path as osp
import pickle
import shutil

import numpy as np
import pytest
from cli import run_tool

from mmimigue.datasets.converters.streams import convert_imigue_streams
from mmimigue.datasets.formats import ConversionError
from mmimigue.datasets.stream_store import StreamsFile, stream_store_for


@pytest.fixture(scope='module')
def release(tmp_path_factory):
    from mmimigue.datasets.synthetic import SyntheticConfig, generate_synthetic_imigue
    out = str(tmp_path_factory.mktemp('store_raw'))
    generate_synthetic_imigue(out, SyntheticConfig(num_train_subjects=2, num_test_subjects=1,
                                                   videos_per_subject=1, clips_per_video=(2, 3),
                                                   seed=3), workers=1)
    return out


def _convert(release, out):
    return convert_imigue_streams(osp.join(release, 'labels.csv'),
                                  osp.join(release, 'skeleton'), str(out))


def test_outputs_never_replace_inputs(release, tmp_path):
    labels = osp.join(release, 'labels.csv')
    before = open(labels, 'rb').read()
    with pytest.raises(ConversionError, match='would overwrite the input'):
        convert_imigue_streams(labels, osp.join(release, 'skeleton'), labels)
    assert open(labels, 'rb').read() == before
    args = ['--ann', labels, '--skeleton-root', osp.join(release, 'skeleton')]
    for out, streams, expected in (
            (tmp_path / 'a.pkl', labels, 'would overwrite the input'),
            (tmp_path / 'b.pkl', tmp_path / 'b.pkl', 'another output'),
            (tmp_path / 'c.pkl', tmp_path / 'c.keypoints.npy', 'another output')):
        proc = run_tool('tools', 'data', 'imigue', 'convert.py', check=False,
                        args=args + ['--out', out, '--streams', streams])
        assert proc.returncode == 1 and expected in proc.stderr, proc.stderr[-800:]
        assert not osp.exists(out)  # refused before any work
    assert open(labels, 'rb').read() == before


def test_the_store_is_checked_and_the_counts_stored(release, tmp_path):
    content = _convert(release, tmp_path / 's.pkl')
    streams = StreamsFile(str(tmp_path / 's.pkl'))
    summary = streams.meta['summary']
    assert summary['frames'] == content['meta']['summary']['frames'] > 0
    assert 'missing_frames' in summary or 'empty_frames' in summary  # the reader's counts
    assert streams.verify()['bytes'] == osp.getsize(stream_store_for(str(tmp_path / 's.pkl')))
    store = stream_store_for(str(tmp_path / 's.pkl'))
    # another conversion's longer store
    other = _convert(release, tmp_path / 'other' / 'o.pkl')
    assert other['meta']['summary']['frames'] == summary['frames']
    longer = np.load(store)
    np.save(store, np.concatenate([longer, longer[:5]]))
    with pytest.raises(ValueError, match='another conversion'):
        StreamsFile(str(tmp_path / 's.pkl'))
    # a NaN written into the store: the fingerprint or the finite check refuses it
    arr = longer.copy()
    arr[3, 2, 0] = np.nan
    np.save(store, arr)
    with pytest.raises(ValueError, match='fingerprint|non-finite'):
        s = StreamsFile(str(tmp_path / 's.pkl'))
        s.read(0, 10)
    # changed finite bytes: the sampled fingerprint (small stores: every byte) or the checksum
    shutil.copy(stream_store_for(str(tmp_path / 'other' / 'o.pkl')), store)
    StreamsFile(str(tmp_path / 's.pkl'))  # the other conversion's identical bytes pass
    raw = bytearray(open(store, 'rb').read())
    pos = len(raw) // 2 + 7
    raw[pos - pos % 4:pos - pos % 4 + 4] = np.float32(0.123).tobytes()
    open(store, 'wb').write(bytes(raw))
    proc = run_tool('tools', 'data', 'verify_store.py', args=[tmp_path / 's.pkl'], check=False)
    assert proc.returncode == 1 and ('checksum mismatch' in proc.stderr or
                                     'fingerprint differs' in proc.stderr)
    with open(tmp_path / 's.pkl', 'rb') as f:
        assert pickle.load(f)['meta']['store_checksum']


def test_verify_store_checks_streams(release, tmp_path):
    _convert(release, tmp_path / 'v.pkl')
    out = run_tool('tools', 'data', 'verify_store.py', args=[tmp_path / 'v.pkl']).stdout
    assert 'streams store OK' in out and 'inline' not in out


def test_a_header_only_labels_csv_is_a_clear_error(release, tmp_path):
    header = open(osp.join(release, 'labels.csv')).readline()
    (tmp_path / 'labels.csv').write_text(header)
    proc = run_tool('tools', 'data', 'imigue', 'convert.py', check=False, args=[
        '--ann', tmp_path / 'labels.csv', '--skeleton-root', osp.join(release, 'skeleton'),
        '--out', tmp_path / 'x.pkl', '--storage', 'mmap'])
    assert proc.returncode == 1 and 'no clip rows' in proc.stderr and 'Traceback' not in proc.stderr
