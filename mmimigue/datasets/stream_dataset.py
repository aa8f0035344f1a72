"""Whole skeleton streams with temporal MG annotations (online recognition): training windows
with and without MGs, or whole streams for testing."""
import os.path as osp
from typing import Callable, Dict, List, Optional, Union

import mmengine
import numpy as np
from mmengine.dataset import BaseDataset

from mmaction.registry import DATASETS
from .formats.clip_id import check_path_component


def frame_labels(segments: np.ndarray, num_frames: int, background: int) -> np.ndarray:
    """(T,) class of every frame: the segment's label inside a segment, ``background`` outside
    (a later segment overwrites an overlapping earlier one)."""
    out = np.full(num_frames, background, np.int64)
    for start, end, label in np.asarray(segments, np.int64).reshape(-1, 3):
        out[start:end + 1] = label
    return out


def window_label(labels: np.ndarray, segments: np.ndarray, start: int, background: int,
                 min_cover: float) -> int:
    """The MG a window (frames ``start .. start + len(labels) - 1``) shows: the class with the
    most frames in it, if one of its MGs overlapping the window covers at least ``min_cover`` of
    the window or of that MG; else ``background``."""
    fg = labels[labels != background]
    if not len(fg):
        return background
    cls = int(np.bincount(fg).argmax())
    end = start + len(labels) - 1
    seg = np.asarray(segments).reshape(-1, 3)
    seg = seg[(seg[:, 2] == cls) & (seg[:, 0] <= end) & (seg[:, 1] >= start)]
    overlap = np.minimum(seg[:, 1], end) - np.maximum(seg[:, 0], start) + 1
    length = seg[:, 1] - seg[:, 0] + 1
    return cls if (overlap >= min_cover * np.minimum(len(labels), length)).any() else background


@DATASETS.register_module()
class MGStreamDataset(BaseDataset):
    """Streams written by ``tools/data/imigue/convert.py --streams`` (or the SMG converter's
    ``--streams``), read from their memory-mapped store one window / stream at a time.

    Training (``test_mode=False``): windows of ``window`` frames every ``stride`` frames; each
    sample has ``keypoint`` (1, W, V, C), ``frame_labels`` (W,) (``num_classes`` = background)
    and ``label`` (:func:`window_label`). Windows without any MG frame are kept with probability
    ``background_keep`` (seeded, the same every epoch), so MGs are not drowned by talking.
    Testing: one sample per stream with the whole ``keypoint`` (1, T, V, C) and
    ``gt_segments`` (K, 3).

    iMiGUE stores x, y, score (samples get ``keypoint`` x / y and ``keypoint_score``); SMG x, y, z.

    Args:
        ann_file (str): The streams pickle.
        pipeline (list): Processing pipeline (``MGPackStream``).
        split (str, optional): ``'xsub_train'`` / ``'xsub_test'``; None keeps every stream.
        window (int): Training window length. Defaults to 64.
        stride (int): Training window step. Defaults to 16.
        background_keep (float): Share of MG-free windows kept. Defaults to 0.3.
        min_cover (float): See :func:`window_label`. Defaults to 0.5.
        seed (int): Seed of the background subsampling. Defaults to 0.
    """

    def __init__(self, ann_file: str, pipeline: List[Union[Dict, Callable]] = (),
                 split: Optional[str] = 'xsub_train', window: int = 64, stride: int = 16,
                 background_keep: float = 0.3, min_cover: float = 0.5, seed: int = 0,
                 test_mode: bool = False, **kwargs) -> None:
        if window < 2 or stride < 1:
            raise ValueError(f'window must be >= 2 and stride >= 1, got {window}, {stride}')
        self.split, self.window, self.stride = split, int(window), int(stride)
        self.background_keep, self.min_cover, self.seed = background_keep, min_cover, seed
        self._store = None
        super().__init__(ann_file=ann_file, pipeline=list(pipeline), test_mode=test_mode,
                         serialize_data=False, **kwargs)

    def load_data_list(self) -> List[Dict]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'{self.ann_file} does not exist; write it with `python tools/data/imigue/'
                'convert.py --ann labels.csv --skeleton-root skeleton --out PKL --streams '
                'STREAMS.pkl` (docs/online.md)')
        content = mmengine.load(self.ann_file)  # a pickle this project's converter wrote
        if not isinstance(content, dict) or 'streams' not in content:
            raise ValueError(f'{self.ann_file} is not a streams pickle (no "streams"); clip '
                             'pickles go to IMiGUESkeletonDataset')
        meta = content['meta']
        self.num_classes = int(meta['num_classes'])
        self.channels = list(meta['channels'])
        store = check_path_component(meta['store'], 'store', self.ann_file)  # stays beside it
        self.store_path = osp.join(osp.dirname(self.ann_file), store)
        if not osp.isfile(self.store_path):
            raise FileNotFoundError(f'{self.store_path}: the stream store of {self.ann_file} is '
                                    'missing; convert again')
        frames = max((s['offset'] + s['num_frames'] for s in content['streams']), default=0)
        shape = np.load(self.store_path, mmap_mode='r').shape
        if shape[0] < frames or len(shape) != 3:
            raise ValueError(f'{self.store_path} holds {shape} but {self.ann_file} indexes '
                             f'{frames} frames: the store belongs to another conversion; '
                             'convert again')
        self._metainfo['classes'] = tuple(meta['classes'])
        streams = content['streams']
        if self.split is not None:
            if self.split not in content['split']:
                raise KeyError(f'{self.ann_file} has no split {self.split!r}; available: '
                               f'{sorted(content["split"])}')
            keep = set(content['split'][self.split])
            streams = [s for s in streams if s['video_id'] in keep]
        if self.test_mode:
            return [dict(s, start=0, length=s['num_frames']) for s in streams]
        rng = np.random.default_rng(self.seed)
        windows = []
        for s in streams:
            labels = frame_labels(s['segments'], s['num_frames'], self.num_classes)
            last = max(s['num_frames'] - self.window, 0)
            for start in range(0, last + 1, self.stride):
                chunk = labels[start:start + self.window]
                if (chunk == self.num_classes).all() and rng.random() >= self.background_keep:
                    continue
                windows.append(dict(video_id=s['video_id'], offset=s['offset'], start=start,
                                    length=min(self.window, s['num_frames']),
                                    segments=s['segments'], num_frames=s['num_frames'],
                                    img_shape=s.get('img_shape'),
                                    label=window_label(chunk, s['segments'], start,
                                                       self.num_classes, self.min_cover)))
        return windows

    @property
    def store(self) -> np.ndarray:
        if self._store is None:  # opened lazily: in each worker, not pickled to it
            self._store = np.load(self.store_path, mmap_mode='r')
        return self._store

    def __getstate__(self):
        state = dict(self.__dict__)
        state['_store'] = None
        return state

    def get_data_info(self, idx: int) -> Dict:
        info = dict(super().get_data_info(idx))
        at = info['offset'] + info['start']
        arr = np.asarray(self.store[at:at + info['length']], np.float32)
        pad = 0 if self.test_mode else self.window - len(arr)
        if pad > 0:  # a stream shorter than the window: zero frames (score 0) after it
            arr = np.concatenate([arr, np.zeros((pad, ) + arr.shape[1:], np.float32)])
        if self.channels[-1] == 'score':
            info['keypoint'] = arr[None, ..., :2].copy()
            info['keypoint_score'] = arr[None, ..., 2].copy()
        else:
            info['keypoint'] = arr[None].copy()
        segs = np.asarray(info['segments'], np.int64).reshape(-1, 3)
        labels = frame_labels(segs, info['num_frames'], self.num_classes)
        info['frame_labels'] = np.concatenate([
            labels[info['start']:info['start'] + info['length']],
            np.full(max(pad, 0), self.num_classes, np.int64)])
        info['gt_segments'] = segs
        info['total_frames'] = info['length']
        info.setdefault('label', -1)
        return info
