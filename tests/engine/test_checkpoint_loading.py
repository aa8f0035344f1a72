"""Checkpoints cannot run code: the safe loader refuses a pickle payload, locally by default and
from a URL always; a real mmengine checkpoint (resume) still loads."""
import functools
import http.server
import os.path as osp
import pickle
import threading

import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.engine.checkpoint_loading import UNSAFE_LOAD_ENV, history_buffer_getattr, safe_torch_load


class _Payload:
    """Unpickling it calls ``open(marker, 'w')``: code execution, observable as a file."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, 'w'))


def _evil_checkpoint(tmp_path):
    marker = str(tmp_path / 'PWNED')
    path = str(tmp_path / 'evil.pth')
    torch.save(dict(state_dict=dict(w=torch.ones(1)), meta=_Payload(marker)), path)
    return path, marker


def test_local_payload_is_refused_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv(UNSAFE_LOAD_ENV, raising=False)
    path, marker = _evil_checkpoint(tmp_path)
    with pytest.raises(pickle.UnpicklingError, match=UNSAFE_LOAD_ENV) as e:
        CheckpointLoader.load_checkpoint(path, map_location='cpu')
    assert path in str(e.value) and not osp.exists(marker)


def test_unsafe_load_only_by_explicit_opt_in(tmp_path, monkeypatch):
    path, marker = _evil_checkpoint(tmp_path)
    monkeypatch.setenv(UNSAFE_LOAD_ENV, '1')
    CheckpointLoader.load_checkpoint(path, map_location='cpu')
    assert osp.exists(marker)  # the user asked for the code-running unpickler


def test_url_payload_is_refused_even_with_the_opt_in(tmp_path, monkeypatch):
    path, marker = _evil_checkpoint(tmp_path)
    monkeypatch.setenv(UNSAFE_LOAD_ENV, '1')
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f'http://127.0.0.1:{server.server_address[1]}/evil.pth'
        with pytest.raises(pickle.UnpicklingError, match='safe loader refuses'):
            CheckpointLoader.load_checkpoint(url, map_location='cpu')
    finally:
        server.shutdown()
    assert not osp.exists(marker)


def test_only_history_buffer_statistics_pass_the_getattr():
    from mmengine.logging.history_buffer import HistoryBuffer
    assert history_buffer_getattr(HistoryBuffer, 'mean') is HistoryBuffer.mean
    for obj, name in ((HistoryBuffer, '__init__'), (torch, 'load'), (object, '__subclasses__')):
        with pytest.raises(pickle.UnpicklingError, match='refusing getattr'):
            history_buffer_getattr(obj, name)


def test_plain_tensor_files_load(tmp_path):
    path = str(tmp_path / 'w.pth')
    torch.save(dict(state_dict=dict(w=torch.arange(3.))), path)
    assert torch.equal(safe_torch_load(path)['state_dict']['w'], torch.arange(3.))


def test_checkpoint_urls_are_cached_by_the_whole_url():
    from mmimigue.engine.checkpoint_loading import url_cache_name
    a = url_cache_name('https://a.example/models/stgcn/latest.pth')
    b = url_cache_name('https://b.example/other/latest.pth')
    assert a != b and a.endswith('-latest.pth') and b.endswith('-latest.pth')
    assert url_cache_name('https://a.example/models/stgcn/latest.pth') == a


def test_resume_skips_cut_checkpoints(tmp_path):
    from mmimigue.engine.checkpoint_loading import newest_readable_checkpoint
    good = tmp_path / 'epoch_3.pth'
    torch.save({'state_dict': {'w': torch.ones(3)}}, str(good))
    (tmp_path / 'epoch_4.pth').write_bytes(good.read_bytes()[:200])  # killed while saving
    (tmp_path / 'epoch_5.pth').write_bytes(b'')
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_5.pth'))
    path, skipped = newest_readable_checkpoint(str(tmp_path))
    assert path == str(good)
    assert [(osp.basename(p), r.split(' ')[0]) for p, r in skipped] == [
        ('epoch_5.pth', 'empty'), ('epoch_4.pth', 'truncated')]
    assert newest_readable_checkpoint(str(tmp_path / 'nothing')) == (None, [])
