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


def test_temporary_names_are_new_and_unpredictable(tmp_path):
    """Two temporaries of one target differ and are created exclusively: a symlink planted at a
    guessable name (the old ``<out>.tmp-<pid>``) is never written through."""
    import os
    out = tmp_path / 'out.pkl'
    victim = tmp_path / 'victim.txt'
    victim.write_text('keep')
    os.symlink(victim, f'{out}.tmp-{os.getpid()}')
    with atomic_output(str(out)) as a, atomic_output(str(tmp_path / 'out.pkl')) as b:
        assert a != b and os.path.basename(a).startswith('.out.') and a.endswith('.pkl')
        open(a, 'w').write('new')
        open(b, 'w').write('newer')
    assert victim.read_text() == 'keep' and out.read_text() == 'new'  # the outer one ends last


def test_the_output_guard(tmp_path, caplog):
    import os

    from mmimigue.fileio import OutputError, OutputPlan
    src = tmp_path / 'labels.csv'
    src.write_text('x')
    os.link(src, tmp_path / 'hard.csv')
    os.symlink(src, tmp_path / 'soft.csv')
    plan = OutputPlan(inputs=[str(src), None])
    for same in (src, tmp_path / 'hard.csv', tmp_path / 'soft.csv', tmp_path / '.' / 'labels.csv'):
        with pytest.raises(OutputError, match='would overwrite the input'):
            plan.add(str(same))
    plan.add(str(tmp_path / 'a.pkl'))
    with pytest.raises(OutputError, match='another output'):
        plan.add(str(tmp_path / 'a.pkl'), 'streams pickle')
    (tmp_path / 'old.json').write_text('{}')
    with caplog.at_level('WARNING', logger='mmimigue'):
        plan.add(str(tmp_path / 'old.json'))
    assert 'exists and will be replaced' in caplog.text
    locked = tmp_path / 'locked'
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if not os.access(locked, os.W_OK):  # root writes anywhere: then nothing to check
            with pytest.raises(OutputError, match='not writable'):
                plan.add(str(locked / 'out.pkl'))
    finally:
        locked.chmod(0o700)
    with pytest.raises(OutputError, match='is a folder'):
        plan.add(str(tmp_path))
    with pytest.raises(OutputError, match='cannot create its folder'):
        plan.add(str(src / 'sub' / 'out.pkl'))  # below a file


def test_outputs_get_the_usual_file_mode(tmp_path):
    import os
    import stat
    out = tmp_path / 'table.csv'
    atomic_write(str(out), 'a,b\n')
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask
