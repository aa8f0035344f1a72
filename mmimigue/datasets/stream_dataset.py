"""Whole skeleton streams with temporal MG annotations (online recognition): training windows
with and without MGs, or whole streams for testing."""
from typing import Callable, Dict, List, Optional, Union

import numpy as np
from mmaction.registry import DATASETS
from mmengine.dataset import BaseDataset

from ..skeleton import frame_labels, window_label, window_starts
from .stream_store import StreamsFile


@DATASETS.register_module()
class MGStreamDataset(BaseDataset):
    """Streams written by ``tools/data/imigue/convert.py --streams`` (or the SMG converter's
    ``--streams``), read from their memory-mapped store one window / stream at a time.

    Training (``test_mode=False``): windows of ``window`` frames every ``stride`` frames, the
    last one ending at the stream's last frame (:func:`mmimigue.skeleton.window_starts`, the
    rule the models use at test time); each sample has ``keypoint`` (1, W, V, C),
    ``frame_labels`` (W,) (``num_classes`` = background) and ``label``
    (:func:`~mmimigue.skeleton.window_label`). Windows without any MG frame are kept with
    probability ``background_keep`` (seeded, the same every epoch), so MGs are not drowned by talking.
    Testing: one sample per stream with the whole ``keypoint`` (1, T, V, C) and
    ``gt_segments`` (K, 3).

    iMiGUE stores x, y, score (samples get ``keypoint`` x / y and ``keypoint_score``); SMG x, y, z.
    The joint layout is the one the streams pickle records (``meta['layout']``): it is
    :attr:`layout`, and every sample carries it so that a model of another layout refuses it.

    With ``context`` > 0 each training window comes with the ``context`` frames before it
    (fewer at the stream's start, where the sample then runs from frame 0 and is ``context +
    window`` frames long): ``loss_from`` says how many leading frames only warm a causal
    model's state up, as the frames before a window do live; the loss starts after them.

    Args:
        ann_file (str): The streams pickle.
        pipeline (list): Processing pipeline (``MGPackStream``).
        split (str, optional): ``'xsub_train'`` / ``'xsub_test'``; None keeps every stream.
        window (int): Training window length. Defaults to 64.
        stride (int): Training window step. Defaults to 16.
        context (int): Frames before each training window without a loss. Defaults to 0.
        background_keep (float): Share of MG-free windows kept. Defaults to 0.3.
        min_cover (float): See :func:`~mmimigue.skeleton.window_label`. Defaults to 0.5.
        seed (int): Seed of the background subsampling. Defaults to 0.
    """

    def __init__(self, ann_file: str, pipeline: List[Union[Dict, Callable]] = (),
                 split: Optional[str] = 'xsub_train', window: int = 64, stride: int = 16,
                 background_keep: float = 0.3, min_cover: float = 0.5, seed: int = 0,
                 context: int = 0, test_mode: bool = False, **kwargs) -> None:
        if window < 2 or stride < 1 or context < 0:
            raise ValueError(f'window must be >= 2, stride >= 1 and context >= 0, got {window}, '
                             f'{stride}, {context}')
        self.split, self.window, self.stride = split, int(window), int(stride)
        self.context = int(context)
        self.background_keep, self.min_cover, self.seed = background_keep, min_cover, seed
        super().__init__(ann_file=ann_file, pipeline=list(pipeline), test_mode=test_mode,
                         serialize_data=False, **kwargs)

    def load_data_list(self) -> List[Dict]:
        self.streams_file = StreamsFile(self.ann_file)
        meta = self.streams_file.meta
        self.num_classes = self.streams_file.num_classes
        self.channels = list(meta['channels'])
        self.layout = self.streams_file.layout
        self._metainfo['classes'] = tuple(meta['classes'])
        keep = set(self.streams_file.videos(self.split))
        streams = [s for s in self.streams_file.streams if s['video_id'] in keep]
        if self.test_mode:
            return [dict(s, start=0, length=s['num_frames']) for s in streams]
        rng = np.random.default_rng(self.seed)
        windows = []
        for s in streams:
            labels = frame_labels(s['segments'], s['num_frames'], self.num_classes)
            for start in window_starts(s['num_frames'], self.window, self.stride):
                chunk = labels[start:start + self.window]
                if (chunk == self.num_classes).all() and rng.random() >= self.background_keep:
                    continue
                first = max(0, start - self.context)  # where the sample's frames begin
                windows.append(dict(video_id=s['video_id'], offset=s['offset'], start=first,
                                    loss_from=start - first,
                                    length=min(self.context + self.window,
                                               s['num_frames'] - first),
                                    segments=s['segments'], num_frames=s['num_frames'],
                                    img_shape=s.get('img_shape'),
                                    label=window_label(chunk, s['segments'], start,
                                                       self.num_classes, self.min_cover)))
        return windows

    def get_data_info(self, idx: int) -> Dict:
        info = dict(super().get_data_info(idx))
        at = info['offset'] + info['start']
        arr = self.streams_file.read(at, info['length'])
        pad = 0 if self.test_mode else self.context + self.window - len(arr)
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
        info['layout'] = self.layout
        info.setdefault('label', -1)
        return info
