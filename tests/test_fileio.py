"""Atomic outputs: the target appears whole or not at all; a failure keeps the old file."""
import pytest

from mmimigue.fileio import atomic_output, atomic_write


def test_atomic_write_replaces_whole_and_leaves_no_temporary(tmp_path):
    out = tmp_path / 'sub' / 'result.json'
    atomic_write(str(out), '{"a": 1}')
    assert out.read_text() == '{"a": 1}'
    atomic_write(str(out), b'{"a": 2}')
    assert out.read_bytes() == b'{"a": 2}'
    assert [p.name for p in out.parent.iterdir()] == ['result.json']


def test_a_failed_write_keeps_the_previous_output(tmp_path):
    out = tmp_path / 'figure.png'
    out.write_bytes(b'old')
    with pytest.raises(RuntimeError):
        with atomic_output(str(out)) as tmp:
            assert tmp.endswith('.png') and tmp != str(out)  # the format stays inferable
            open(tmp, 'wb').write(b'half')
            raise RuntimeError('crash while writing')
    assert out.read_bytes() == b'old'
    assert [p.name for p in tmp_path.iterdir()] == ['figure.png']
