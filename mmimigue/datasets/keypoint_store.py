"""Shared, memory-mapped keypoint storage for converted skeleton pickles.

mmaction2's ``PoseDataset`` pickle keeps every clip's ``keypoint`` array inside the pickle, so
opening the dataset unpickles every array (about 2 GB for full iMiGUE at 137 points) and the main
process then serialises them once more for its dataloader workers. With ``storage='mmap'`` a
converter writes instead

* ``<name>.pkl``: the same schema (``split``, ``annotations`` with ``frame_dir``, ``label``,
  ``total_frames``, ``img_shape``, metadata ...) but each annotation holds
  ``keypoint_offset`` (its first row in the store) instead of ``keypoint`` /
  ``keypoint_score``, plus a top-level ``keypoint_store`` entry describing the store;
* ``<name>.keypoints.npy``: one float32 array ``(V, F, C)``, joint-major: ``V`` joints,
  ``F`` = the frames of all clips back to back, ``C`` channels (``x, y, score`` for 2D,
  ``x, y, z`` for 3D).

Opening the dataset then reads only the small pickle, and every dataloader worker maps the same
file, so the page cache holds one copy that all processes share. Joint-major order means a
layout that uses a subset of the joints (22 of 137 for ``imigue22``) only ever touches the pages
of those joints.

The pickle stays readable by mmaction2: its ``PoseDataset`` loads it unchanged, and the
registered transform ``MGLoadStoredKeypoints`` (first in the pipeline) fills ``keypoint`` from
the store. mmimigue's datasets read both layouts transparently.
"""
import gc
import hashlib
import os
import os.path as osp
import pickle
from typing import Dict, List, Optional, Sequence

import numpy as np

from ..fileio import OutputError, OutputPlan, remove_quietly, temporary_beside
from .formats.clip_id import check_path_component
from .formats.errors import ConversionError
from .formats.safe_pickle import load_converted_pickle

STORE_KEY = 'keypoint_store'
STORE_VERSION = 1
_ARRAY_KEYS = ('keypoint', 'keypoint_score')


def store_file_for(out_file: str) -> str:
    """The store file written next to ``out_file``: ``<stem>.keypoints.npy``."""
    return osp.splitext(out_file)[0] + '.keypoints.npy'


def fingerprint(path: str, blocks: int = 64, block_size: int = 4096) -> str:
    """A cheap identity of a store file: its size and a hash of ``blocks`` evenly spaced
    ``block_size``-byte blocks. Written into the pickle and checked whenever the store is mapped,
    so a pickle never reads a store of another conversion."""
    size = osp.getsize(path)
    h = hashlib.blake2b(str(size).encode(), digest_size=16)
    with open(path, 'rb') as f:
        for i in range(blocks):
            f.seek(max(0, (size - block_size) * i // max(blocks - 1, 1)))
            h.update(f.read(block_size))
    return h.hexdigest()


def checksum(path: str, chunk: int = 1 << 23) -> str:
    """blake2b of the whole file: written into the pickle with the store, compared by
    :func:`verify_store` (one full read, so not on every open as the :func:`fingerprint` is)."""
    h = hashlib.blake2b(digest_size=16)
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(chunk), b''):
            h.update(block)
    return h.hexdigest()


def check_output_path(out_file: str, inputs: Sequence[str]) -> None:
    """Refuse, before any work, to write ``out_file`` (or its store) over one of the
    conversion's inputs or into a folder that cannot be written (:class:`mmimigue.fileio.
    OutputPlan`)."""
    plan = OutputPlan(inputs)
    try:
        plan.add(out_file)
        plan.add(store_file_for(out_file), 'keypoint store')
    except OutputError as e:
        raise ConversionError(str(e)) from None


def _pickle_beside(obj, path: str) -> str:
    """``obj`` pickled into a new temporary file beside ``path`` (flushed to disk); the file is
    removed if writing fails."""
    tmp = temporary_beside(path)
    try:
        with open(tmp, 'wb') as f:
            pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        remove_quietly(tmp)  # a failed write leaves neither a half file nor litter
        raise
    return tmp


def write_pose_pickle(content: dict, out_file: str, storage: str = 'inline',
                      inputs: Sequence[str] = ()) -> dict:
    """Write converted annotations, with keypoints inline or in a shared memory-mapped store.

    Writes are atomic: both files go to temporary names first and are renamed into place, the
    store before the pickle; the pickle records the store's :func:`fingerprint`, so a run killed
    between the two renames leaves an old pickle that refuses the new store instead of reading
    shifted clips.

    Args:
        content (dict): ``{'split': ..., 'annotations': [...], ...}`` with inline keypoints
            (``keypoint`` (1, T, V, c), optional ``keypoint_score`` (1, T, V)).
        out_file (str): The pickle to write.
        storage (str): ``'inline'`` (mmaction2's plain PoseDataset schema) or ``'mmap'`` (see
            the module docstring).
        inputs (Sequence[str]): The conversion's input files, which the outputs must not
            replace.

    Returns:
        dict: What was pickled (annotations without arrays for ``'mmap'``).
    """
    if storage not in ('inline', 'mmap'):
        raise ValueError(f"storage must be 'inline' or 'mmap', got {storage!r}")
    check_output_path(out_file, inputs)
    store_tmp = None
    if storage == 'mmap':
        content, store_tmp = _move_to_store(content, store_file_for(out_file))
    try:
        tmp = _pickle_beside(content, out_file)
    except BaseException:
        remove_quietly(store_tmp)
        raise
    if store_tmp is not None:
        os.replace(store_tmp, store_file_for(out_file))
    os.replace(tmp, out_file)
    return content


def _move_to_store(content: dict, store_file: str) -> dict:
    annos = content['annotations']
    if not annos:
        raise ValueError('no annotations to store')
    first = annos[0]['keypoint']
    num_joints, coords = first.shape[2], first.shape[3]
    has_score = 'keypoint_score' in annos[0]
    channels = coords + int(has_score)
    total = 0
    for a in annos:
        kp = a['keypoint']
        if kp.ndim != 4 or kp.shape[0] != 1 or kp.shape[2:] != (num_joints, coords):
            raise ValueError(f'clip {a.get("frame_dir")}: keypoint of shape {kp.shape}; the '
                             f'store holds one person with {num_joints} joints x {coords} '
                             'coordinates in every clip')
        if ('keypoint_score' in a) != has_score:
            raise ValueError(f'clip {a.get("frame_dir")}: keypoint_score present in some clips '
                             'only')
        total += kp.shape[1]
    from numpy.lib.format import open_memmap
    tmp = temporary_beside(store_file)
    new_annos: List[dict] = []
    try:
        store = open_memmap(tmp, mode='w+', dtype=np.float32, shape=(num_joints, total, channels))
        offset = 0
        for a in annos:
            clip = a['keypoint'][0]
            if has_score:
                clip = np.concatenate([clip, a['keypoint_score'][0][..., None]], -1)
            t = clip.shape[0]
            store[:, offset:offset + t] = clip.transpose(1, 0, 2)
            b = {k: v for k, v in a.items() if k not in _ARRAY_KEYS}
            b['keypoint_offset'] = offset
            b['total_frames'] = t
            new_annos.append(b)
            offset += t
        store.flush()
        del store
    except BaseException:
        remove_quietly(tmp)
        raise
    names = (['x', 'y', 'z'][:coords] if coords <= 3 else [f'c{i}' for i in range(coords)])
    meta = dict(file=osp.basename(store_file), shape=(num_joints, total, channels),
                channels=names + (['score'] if has_score else []), version=STORE_VERSION,
                fingerprint=fingerprint(tmp), checksum=checksum(tmp))
    out = {k: v for k, v in content.items() if k != 'annotations'}
    out['annotations'] = new_annos
    out[STORE_KEY] = meta
    return out, tmp


class KeypointStore:
    """Read clips from a joint-major ``(V, F, C)`` keypoint store, memory-mapped on first use.

    Pickling the store (e.g. for spawned dataloader workers) carries only its path; each process
    maps the file itself, so the operating system shares one copy of its pages.

    Args:
        path (str): The ``.keypoints.npy`` file.
        channels (Sequence[str]): Channel names; a last channel ``'score'`` is returned as
            ``keypoint_score``.
        shape (tuple, optional): Expected array shape, checked when the file is mapped.
    """

    def __init__(self, path: str, channels: Sequence[str] = ('x', 'y', 'score'),
                 shape: Optional[Sequence[int]] = None,
                 fingerprint: Optional[str] = None) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.channels = list(channels)
        self.shape = tuple(shape) if shape is not None else None
        self._array: Optional[np.ndarray] = None

    @property
    def has_score(self) -> bool:
        return bool(self.channels) and self.channels[-1] == 'score'

    @property
    def array(self) -> np.ndarray:
        """The mapped ``(V, F, C)`` array (read-only)."""
        if self._array is None:
            if not osp.isfile(self.path):
                raise FileNotFoundError(
                    f'{self.path}: keypoint store not found; it is written next to the '
                    'converted pickle (<name>.keypoints.npy) and must stay beside it')
            try:
                arr = np.load(self.path, mmap_mode='r')
            except ValueError as e:
                raise ValueError(f'{self.path}: not a readable .npy keypoint store ({e}); '
                                 're-run the converter with --storage mmap') from None
            if self.shape is not None and tuple(arr.shape) != self.shape:
                raise ValueError(f'{self.path}: store has shape {arr.shape} but the pickle '
                                 f'expects {self.shape}; the two files are from different '
                                 'conversions. Re-run the conversion.')
            if self.fingerprint is not None and fingerprint(self.path) != self.fingerprint:
                raise ValueError(f'{self.path}: the store is not the one its pickle was written '
                                 'with (fingerprint differs: another conversion, an interrupted '
                                 'one, or a changed file). Re-run the conversion.')
            self._array = arr
        return self._array

    def read(self, offset: int, length: int,
             joints: Optional[Sequence[int]] = None) -> Dict[str, np.ndarray]:
        """``keypoint`` (1, T, V', c) and, with scores, ``keypoint_score`` (1, T, V') of a clip."""
        arr = self.array
        if offset < 0 or offset + length > arr.shape[1]:
            raise IndexError(f'{self.path}: frames {offset}..{offset + length - 1} are outside '
                             f'the store ({arr.shape[1]} frames)')
        block = arr[:, offset:offset + length] if joints is None else \
            arr[np.asarray(joints), offset:offset + length]
        clip = np.ascontiguousarray(block.transpose(1, 0, 2), dtype=np.float32)[None]
        if not np.isfinite(clip).all():  # converters store finite values only: damaged bytes
            raise ValueError(f'{self.path}: frames {offset}..{offset + length - 1} hold '
                             'non-finite values; the store is damaged. Re-run the conversion.')
        if self.has_score:
            return dict(keypoint=np.ascontiguousarray(clip[..., :-1]),
                        keypoint_score=np.ascontiguousarray(clip[..., -1]))
        return dict(keypoint=clip)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state['_array'] = None
        return state

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(path={self.path!r}, channels={self.channels})'


def open_store(content: dict, ann_file: str) -> Optional[KeypointStore]:
    """The store of a loaded pickle (None for inline keypoints); its file sits beside the pickle."""
    meta = content.get(STORE_KEY)
    if not meta:
        return None
    name = check_path_component(meta['file'], 'keypoint store file', ann_file)  # beside it only
    return KeypointStore(osp.join(osp.dirname(osp.abspath(ann_file)), name),
                         channels=meta.get('channels', ('x', 'y', 'score')),
                         shape=meta.get('shape'), fingerprint=meta.get('fingerprint'))


def verify_store(ann_file: str) -> dict:
    """Check every byte of a pickle's store (clip keypoints or whole streams) against the
    checksum written with it.

    Returns:
        dict: ``kind`` (``'inline'``, ``'clips'`` or ``'streams'``) and, for a store, its
        ``path`` and ``bytes``.

    Raises:
        ValueError: the pickle has no checksum (written before it was recorded), or the store
            differs from the one written with the pickle.
    """
    content = load_converted_pickle(ann_file)
    if isinstance(content, dict) and 'streams' in content:
        from .stream_store import StreamsFile
        return dict(kind='streams', **StreamsFile(ann_file).verify())
    store = open_store(content, ann_file) if isinstance(content, dict) else None
    if store is None:
        return dict(kind='inline')
    expected = content[STORE_KEY].get('checksum')
    if expected is None:
        raise ValueError(f'{ann_file}: no store checksum recorded (an older conversion); '
                         're-run the conversion to record one')
    store.array  # shape and sampled fingerprint first: their errors say more
    if checksum(store.path) != expected:
        raise ValueError(f'{store.path}: the store differs from the one written with '
                         f'{ann_file} (checksum mismatch: damaged or changed bytes). Re-run the '
                         'conversion.')
    return dict(kind='clips', path=store.path, bytes=osp.getsize(store.path))


def load_pose_annotations(ann_file: str, joints: Optional[Sequence[int]] = None) -> dict:
    """Load a converted pickle of either storage with inline ``keypoint`` arrays (for tools).

    Args:
        ann_file (str): The pickle (a dict with ``annotations``, or mmaction2's bare list).
        joints (Sequence[int], optional): Keep only these joints.
    """
    content = load_converted_pickle(ann_file)
    if isinstance(content, list):
        content = dict(annotations=content)
    store = open_store(content, ann_file)
    annos = []
    for a in content['annotations']:
        a = dict(a)
        if store is not None:
            a.update(store.read(a['keypoint_offset'], a['total_frames'], joints))
        elif joints is not None:
            idx = list(joints)
            a['keypoint'] = a['keypoint'][:, :, idx]
            if 'keypoint_score' in a:
                a['keypoint_score'] = a['keypoint_score'][:, :, idx]
        annos.append(a)
    out = {k: v for k, v in content.items() if k not in ('annotations', STORE_KEY)}
    out['annotations'] = annos
    return out


def load_layout_clips(ann_file: str, layout: str, count: Optional[int] = None) -> List[dict]:
    """The first ``count`` clips (all for None) of a converted pickle with inline keypoints in
    ``layout``'s joints: clips stored with the 137 OpenPose points are reduced to the layout;
    clips stored in the layout already are returned as they are.

    Raises:
        ValueError: the stored clips hold fewer joints than the layout needs.
    """
    from ..skeleton.layouts import LAYOUTS, layout_indices
    annos = load_pose_annotations(ann_file)['annotations'][:count]
    idx, clips = layout_indices(layout), []
    for a in annos:
        a = dict(a)
        stored = a['keypoint'].shape[2]
        if stored != LAYOUTS[layout]['num_node']:
            if stored < max(idx) + 1:
                raise ValueError(f'{ann_file}: clip has {stored} joints, cannot select layout '
                                 f'{layout!r}; pass the layout the data was converted with')
            a['keypoint'] = a['keypoint'][:, :, idx]
            if 'keypoint_score' in a:
                a['keypoint_score'] = a['keypoint_score'][:, :, idx]
        a.setdefault('total_frames', a['keypoint'].shape[1])
        clips.append(a)
    return clips


class StoredKeypointsMixin:
    """Dataset mixin: clips whose keypoints live in a :class:`KeypointStore` get them filled in
    by ``get_data_info``, already reduced to the dataset's joints; the clip list is serialised
    for the workers without mmengine's full garbage collection (see :meth:`_serialize_data`).

    A dataset calls :meth:`_attach_store` in ``load_data_list`` with the loaded pickle content
    and the joint indices its layout keeps.
    """

    _kp_store: Optional[KeypointStore] = None
    _kp_joints: Optional[np.ndarray] = None

    def _attach_store(self, content: dict, ann_file: str,
                      joints: Optional[Sequence[int]] = None) -> bool:
        """Remember the pickle's store (if any); returns whether keypoints are stored."""
        self._kp_store = open_store(content, ann_file)
        if self._kp_store is None:
            return False
        num_stored = self._kp_store.shape[0] if self._kp_store.shape else None
        if joints is not None:
            joints = np.asarray(joints, np.int64)
            if num_stored is not None and joints.max() >= num_stored:
                raise ValueError(f'{ann_file}: the layout needs joint {int(joints.max())} but '
                                 f'the store holds {num_stored} joints')
            if num_stored is not None and len(joints) == num_stored and \
                    (joints == np.arange(num_stored)).all():
                joints = None
        self._kp_joints = joints
        return True

    def _serialize_data(self):
        """mmengine's serialisation (one byte buffer + end offsets that forked workers share),
        with ``gc.freeze()`` instead of mmengine's full ``gc.collect()``.

        A full collection in a process that has imported torch and mmaction2 walks every module
        object (about 0.6 s, most of the open time of a memory-mapped dataset); the clip dicts
        hold no reference cycles, so ``clear()`` frees them without it. Freezing moves the
        objects alive now to the permanent generation, as the CPython ``gc`` docs recommend
        before forking workers: the workers' own collections then never write to those shared
        pages, which would otherwise be copied into every worker (copy-on-write).
        """
        blobs = [np.frombuffer(pickle.dumps(x, protocol=pickle.HIGHEST_PROTOCOL), np.uint8)
                 for x in self.data_list]
        address = np.cumsum(np.fromiter((len(b) for b in blobs), np.int64, len(blobs)))
        data = np.concatenate(blobs) if blobs else np.zeros(0, np.uint8)
        self.data_list.clear()
        gc.freeze()
        return data, address

    def get_data_info(self, idx: int) -> dict:
        info = super().get_data_info(idx)
        if self._kp_store is not None and 'keypoint_offset' in info:
            info.update(self._kp_store.read(info['keypoint_offset'], info['total_frames'],
                                            self._kp_joints))
        return info
