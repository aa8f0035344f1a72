"""The converted streams file: a small pickle plus a memory-mapped store beside it.

``OUT.pkl``::

    {'streams': [dict(video_id='0001', subject_id=37, emotion=1, offset=0, num_frames=8712,
                      img_shape=(720, 1280),
                      segments=int64 (K, 3): start, end (inclusive frames), label), ...],
     'split': {'xsub_train': [video_id, ...], 'xsub_test': [...], ...},
     'meta': dict(dataset='iMiGUE', layout='imigue22', channels=['x', 'y', 'score'],
                  num_classes=32, classes=[...], store='OUT.streams.npy',
                  store_shape=(F, V, 3), store_fingerprint=..., store_checksum=...,
                  summary={...})}

``OUT.streams.npy``: float32 ``(total frames, V, 3)``, the streams back to back. The layout in
``meta`` is the one source of truth for what the store holds; the dataset, ``online_detect.py``
and the models read it from here. Writing and reading both live in this file.
"""
import os.path as osp
import pickle
from collections import Counter, defaultdict
from typing import Dict, Iterable, Optional, Sequence, Tuple

import numpy as np

from ..fileio import OutputError, OutputPlan, atomic_output, atomic_write
from ..skeleton import check_layout, layout_info
from .formats.clip_id import check_path_component
from .formats.errors import ConversionError
from .formats.safe_pickle import load_data_pickle
from .keypoint_store import checksum, fingerprint

STORE_SUFFIX = '.streams.npy'
CONVERT_HINT = ('write it with `python tools/data/imigue/convert.py --ann labels.csv '
                '--skeleton-root skeleton --out PKL --streams STREAMS.pkl` (docs/online.md)')


def stream_store_for(out_file: str) -> str:
    """The store written beside a streams pickle: ``<stem>.streams.npy``."""
    return osp.splitext(out_file)[0] + STORE_SUFFIX


def plan_conversion_outputs(inputs: Sequence[Optional[str]], out_file: Optional[str] = None,
                            streams_file: Optional[str] = None) -> OutputPlan:
    """Check a conversion's outputs before any work: the clip pickle and its keypoint store,
    the streams pickle and its store, none equal to (or a link to) an input or to each other,
    their folders writable.

    Raises:
        ConversionError: naming the output, the input it would replace and the fix.
    """
    from .keypoint_store import store_file_for
    plan = OutputPlan(inputs)
    try:
        if out_file:
            plan.add(out_file, '--out')
            plan.add(store_file_for(out_file), 'keypoint store')
        if streams_file:
            plan.add(streams_file, '--streams')
            plan.add(stream_store_for(streams_file), 'stream store')
    except OutputError as e:
        raise ConversionError(str(e)) from None
    return plan


def write_streams(out_file: str, content: dict, chunks: Iterable[Tuple[int, np.ndarray]],
                  total: int, counts: Optional[Counter] = None) -> dict:
    """Write the store chunk by chunk, then the pickle, both atomically.

    Args:
        out_file (str): The streams pickle.
        content (dict): ``streams`` (with ``offset`` / ``num_frames``), ``split`` and ``meta``
            (``layout``, ``summary``).
        chunks: ``(stream index, (F, V, C) float32)`` in order within each stream.
        total (int): Frames of all streams.
        counts (Counter, optional): What reading the chunks counted (missing frames ...): added
            to ``meta['summary']`` after the store is filled, before the pickle is written.

    Returns:
        dict: ``content`` with the store's name, shape, fingerprint and checksum in ``meta``.
    """
    meta = content['meta']
    info = layout_info(meta['layout'])
    shape = (max(total, 1), info.num_node, len(info.channels))
    store = stream_store_for(out_file)
    with atomic_output(store) as tmp_store:
        mm = np.lib.format.open_memmap(tmp_store, mode='w+', dtype=np.float32, shape=shape)
        filled: Dict[int, int] = defaultdict(int)
        for i, chunk in chunks:
            s = content['streams'][i]
            at = s['offset'] + filled[i]
            mm[at:at + len(chunk)] = chunk
            filled[i] += len(chunk)
        mm.flush()
        del mm
        meta['summary'].update({k: int(v) for k, v in (counts or {}).items()})
        meta.update(store=osp.basename(store), store_shape=shape, channels=list(info.channels),
                    store_fingerprint=fingerprint(tmp_store), store_checksum=checksum(tmp_store))
    atomic_write(out_file, pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    return content


class StreamsFile:
    """A converted streams pickle and its store, checked on open.

    Attributes:
        path (str): The pickle.
        streams (list): Per-stream dicts (``video_id``, ``offset``, ``num_frames``, ``segments``...).
        split (dict): Split name -> video ids.
        meta (dict): ``layout``, ``channels``, ``num_classes``, ``classes``, ``summary`` ...
        layout (str): The streams' joint layout (the one source of truth).
        store_path (str): The ``.streams.npy`` beside the pickle.

    Raises:
        FileNotFoundError: the pickle or its store is missing.
        ConversionError: not a streams pickle, or a pickle that asks for code.
        ValueError: a store of another conversion (shape / fingerprint), an unknown layout.
    """

    def __init__(self, path: str) -> None:
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path} does not exist; {CONVERT_HINT}')
        content = load_data_pickle(path, advice='A streams pickle holds only data: convert '
                                   'again with tools/data/imigue/convert.py --streams.')
        if not isinstance(content, dict) or 'streams' not in content or 'meta' not in content:
            raise ConversionError(f'{path} is not a streams pickle (no "streams" / "meta"); clip '
                                  'pickles go to MGIMiGUESkeletonDataset')
        self.path = path
        self.streams, self.split, self.meta = content['streams'], content['split'], content['meta']
        self.layout = check_layout(self.meta['layout'])
        store = check_path_component(self.meta['store'], 'store', path)  # stays beside it
        self.store_path = osp.join(osp.dirname(path), store)
        if not osp.isfile(self.store_path):
            raise FileNotFoundError(f'{self.store_path}: the stream store of {path} is missing; '
                                    'convert again')
        self._store: Optional[np.ndarray] = None
        self.store  # shape and fingerprint checked now, not at the first window

    @property
    def num_classes(self) -> int:
        return int(self.meta['num_classes'])

    @property
    def has_score(self) -> bool:
        return self.meta['channels'][-1] == 'score'

    @property
    def store(self) -> np.ndarray:
        """The memory-mapped ``(F, V, C)`` store (opened lazily in each worker)."""
        if self._store is None:
            try:
                arr = np.load(self.store_path, mmap_mode='r')
            except (ValueError, OSError) as e:
                raise ValueError(f'{self.store_path}: not a readable stream store ({e}); '
                                 'convert again') from None
            frames = max((s['offset'] + s['num_frames'] for s in self.streams), default=0)
            expected = self.meta.get('store_shape')
            if arr.ndim != 3 or arr.dtype != np.float32 or arr.shape[0] < frames or \
                    (expected is not None and tuple(arr.shape) != tuple(expected)):
                raise ValueError(f'{self.store_path} holds {arr.dtype} {arr.shape} but '
                                 f'{self.path} indexes {frames} frames'
                                 + (f' in {tuple(expected)}' if expected else '')
                                 + ': the store belongs to another conversion; convert again')
            want = self.meta.get('store_fingerprint')
            if want is not None and fingerprint(self.store_path) != want:
                raise ValueError(f'{self.store_path}: the store is not the one {self.path} was '
                                 'written with (fingerprint differs: another conversion, an '
                                 'interrupted one, or changed bytes); convert again')
            self._store = arr
        return self._store

    def read(self, offset: int, length: int) -> np.ndarray:
        """(length, V, C) float32 frames from ``offset``; non-finite values are refused."""
        arr = np.asarray(self.store[offset:offset + length], np.float32)
        if not np.isfinite(arr).all():  # the converter stores finite values only
            raise ValueError(f'{self.store_path}: frames {offset}..{offset + length - 1} hold '
                             'non-finite values; the store is damaged. Convert again.')
        return arr

    def stream(self, video_id: str) -> Tuple[dict, np.ndarray]:
        """One stream's entry and its (T, V, C) frames."""
        for s in self.streams:
            if s['video_id'] == video_id:
                return s, self.read(s['offset'], s['num_frames'])
        raise KeyError(f'{self.path} has no stream {video_id!r}')

    def videos(self, split: Optional[str] = None) -> list:
        """Video ids of ``split`` (every stream for None), in stream order."""
        if split is None:
            return [s['video_id'] for s in self.streams]
        if split not in self.split:
            raise KeyError(f'{self.path} has no split {split!r}; available: {sorted(self.split)}')
        keep = set(self.split[split])
        return [s['video_id'] for s in self.streams if s['video_id'] in keep]

    def verify(self) -> dict:
        """Check every byte of the store against the checksum written with it."""
        want = self.meta.get('store_checksum')
        if want is None:
            raise ValueError(f'{self.path}: no store checksum recorded (an older conversion); '
                             'convert again to record one')
        if checksum(self.store_path) != want:
            raise ValueError(f'{self.store_path}: the store differs from the one written with '
                             f'{self.path} (checksum mismatch: damaged or changed bytes); '
                             'convert again')
        return dict(path=self.store_path, bytes=osp.getsize(self.store_path))

    def __getstate__(self):
        state = dict(self.__dict__)
        state['_store'] = None
        return state
