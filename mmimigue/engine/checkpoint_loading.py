"""Checkpoint loading that cannot run code from the file: torch's ``weights_only=True`` with
exactly the objects mmengine checkpoints hold.

mmengine 0.10.7 checkpoints carry, besides tensors, the message hub's ``HistoryBuffer`` objects
(numpy arrays and scalars inside) and, per buffer, its statistics methods pickled as
``getattr(HistoryBuffer, 'mean')``. torch >= 2.6 refuses these by default (mmengine#1655), and
loading with ``weights_only=False`` would run whatever a crafted ``.pth`` asks for. So
``builtins.getattr`` is replaced, for this load only, by :func:`history_buffer_getattr`, which
allows nothing but those method look-ups.

Local files a user made with another, trusted tool can still be loaded with the unpickler that
runs code, by an explicit opt-in (``MMIMIGUE_UNSAFE_LOAD=1`` or ``--unsafe-load`` of
``tools/train.py`` / ``tools/test.py``); downloaded files never are.
"""
import hashlib
import os
import os.path as osp
import pickle
import re
import zipfile
from typing import Any, List, Optional, Tuple

import numpy as np
import torch
from mmengine.logging.history_buffer import HistoryBuffer

UNSAFE_LOAD_ENV = 'MMIMIGUE_UNSAFE_LOAD'
_HISTORY_BUFFER_ATTRS = ('min', 'max', 'mean', 'current')


def history_buffer_getattr(obj: Any, name: str) -> Any:
    """The one ``getattr`` an mmengine checkpoint needs: a statistics method of HistoryBuffer."""
    if obj is HistoryBuffer and name in _HISTORY_BUFFER_ATTRS:
        return getattr(HistoryBuffer, name)
    raise pickle.UnpicklingError(f'refusing getattr({obj!r}, {name!r}) in a checkpoint')


def _numpy_globals() -> list:
    core = np._core if hasattr(np, '_core') else np.core  # numpy 2 / numpy 1
    return [core.multiarray._reconstruct, core.multiarray.scalar, np.ndarray, np.dtype] + \
        [type(np.dtype(t)) for t in ('f4', 'f8', 'i4', 'i8', 'u1', 'b1')]


def safe_globals() -> list:
    """What :func:`torch.load` with ``weights_only=True`` may build besides tensors."""
    return [HistoryBuffer, (history_buffer_getattr, 'builtins.getattr')] + _numpy_globals()


def unsafe_load_allowed() -> bool:
    """Whether the user opted in to the code-running unpickler for local files."""
    return os.environ.get(UNSAFE_LOAD_ENV, '0') == '1'


def safe_torch_load(filename: str, map_location=None, allow_unsafe: bool = False) -> Any:
    """:func:`torch.load` with ``weights_only=True`` and :func:`safe_globals`.

    Args:
        filename (str): Local checkpoint file.
        map_location: As for :func:`torch.load`.
        allow_unsafe (bool): Fall back to ``weights_only=False`` when the safe load refuses the
            file (only for files the user trusts; never for downloads).

    Raises:
        pickle.UnpicklingError: the file holds objects the safe loader refuses; the message
            names the file and the opt-in.
    """
    try:
        with torch.serialization.safe_globals(safe_globals()):
            return torch.load(filename, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as e:
        if allow_unsafe:
            return torch.load(filename, map_location=map_location, weights_only=False)
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise pickle.UnpicklingError(
            f'{filename}: the checkpoint holds objects the safe loader refuses ({first}). '
            'mmimigue loads checkpoints with weights_only=True so that a file cannot run code. '
            f'If you made this file yourself with a tool you trust, set {UNSAFE_LOAD_ENV}=1 (or '
            'pass --unsafe-load to tools/train.py / tools/test.py) to load it anyway.') from None


def load_local_checkpoint(filename: str, map_location=None) -> Any:
    """mmengine ``CheckpointLoader`` scheme for local paths."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return safe_torch_load(filename, map_location, allow_unsafe=unsafe_load_allowed())


def load_url_checkpoint(filename: str, map_location=None, model_dir=None) -> Any:
    """mmengine ``CheckpointLoader`` scheme for ``http(s)://``: download (cached), then the safe
    load; a downloaded file is never unpickled with the code-running loader."""

    from torch.hub import download_url_to_file, get_dir
    model_dir = model_dir or osp.join(get_dir(), 'checkpoints')
    os.makedirs(model_dir, exist_ok=True)
    cached = osp.join(model_dir, url_cache_name(filename))
    if not osp.isfile(cached):
        download_url_to_file(filename, cached, progress=False)
    return safe_torch_load(cached, map_location, allow_unsafe=False)


def url_cache_name(url: str) -> str:
    """The cache file of a checkpoint URL: keyed by the whole URL (two URLs ending in the same
    file name are two files), the file name kept for people looking in the cache."""
    from urllib.parse import urlparse
    name = osp.basename(urlparse(url).path)
    if name in ('', '.', '..'):
        name = 'checkpoint.pth'
    digest = hashlib.sha256(url.encode()).hexdigest()[:16]
    return f'{digest}-{name}'


def unreadable_reason(path: str) -> Optional[str]:
    """Why a checkpoint file cannot be loaded (missing, empty, truncated), or None. Cheap:
    torch checkpoints are zip files whose directory sits at the end, so a cut file fails here."""
    if not osp.isfile(path):
        return 'missing'
    if osp.getsize(path) == 0:
        return 'empty'
    try:
        with zipfile.ZipFile(path):
            return None
    except (zipfile.BadZipFile, OSError) as e:
        return f'truncated or not a checkpoint ({e})'


def resume_candidates(work_dir: str) -> List[str]:
    """Checkpoints to resume from, newest first: the one ``last_checkpoint`` names, then the
    ``epoch_N`` / ``iter_N`` files by N."""
    found = []
    last = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(last):
        with open(last) as f:
            named = f.read().strip()
        if named:
            found.append(named if osp.isabs(named) else osp.join(work_dir, osp.basename(named)))
    numbered = []
    for name in os.listdir(work_dir) if osp.isdir(work_dir) else []:
        m = re.fullmatch(r'(epoch|iter)_(\d+)\.pth', name)
        if m:
            numbered.append((int(m.group(2)), osp.join(work_dir, name)))
    found += [p for _, p in sorted(numbered, reverse=True)]
    return list(dict.fromkeys(found))


def newest_readable_checkpoint(work_dir: str) -> Tuple[Optional[str], List[Tuple[str, str]]]:
    """The newest checkpoint of ``work_dir`` that can be loaded, and the newer ones skipped with
    their reasons (a run killed while saving leaves a cut file: resume from the one before)."""
    skipped = []
    for path in resume_candidates(work_dir):
        reason = unreadable_reason(path)
        if reason is None:
            return path, skipped
        skipped.append((path, reason))
    return None, skipped


def last_checkpoint(work_dir: str) -> str:
    """The newest readable checkpoint of ``work_dir`` (``load_from`` naming a stage-1 work dir,
    whatever that run's length).

    Raises:
        FileNotFoundError: the folder holds no readable checkpoint (naming how many it skipped).
    """
    path, skipped = newest_readable_checkpoint(work_dir)
    if path is None:
        raise FileNotFoundError(
            f'load_from is the folder {work_dir}, which holds no readable checkpoint '
            f'({len(skipped)} unreadable); train the first stage there first, or pass '
            '--load-from CHECKPOINT')
    return path
