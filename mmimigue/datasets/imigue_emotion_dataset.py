"""Video-level iMiGUE emotion dataset over clip-model outputs, and its padding collate."""
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np
import torch
from mmaction.datasets.transforms import PackActionInputs
from mmaction.registry import DATASETS
from mmengine.dataset import BaseDataset
from mmengine.logging import print_log
from mmengine.registry import FUNCTIONS

from ..emotion.clip_outputs import load_clip_outputs
from ..protocol.imigue_splits import emotion_video_split

#: modality -> (field of the clip-outputs file, dtype of the sequence)
EMOTION_MODALITIES = {
    'prob': ('prob', np.float32),  # softmax probability vectors (L, K)
    'score': ('cls_score', np.float32),  # raw class scores (L, K)
    'pred_label': ('pred_label', np.int64),  # predicted MG labels (L,)
    'gt_label': ('gt_label', np.int64),  # ground-truth MG labels (L,): the upper bound
    'feature': ('feature', np.float32),  # pooled visual features (L, D)
}
_SPLIT_ALIASES = {'train': 'train', 'emotion_train': 'train', 'test': 'test',
                  'emotion_test': 'test'}


@DATASETS.register_module()
class MGIMiGUEEmotionDataset(BaseDataset):
    """iMiGUE videos as temporally ordered sequences of clip-level MG results.

    Each sample is one press-conference video: ``seq`` holds one entry per clip (in temporal
    order) of the chosen modality and ``label`` is the video's emotion (1 win / 0 lose). The
    default pipeline packs ``seq`` with mmaction2's ``PackActionInputs``; batch it with the
    ``mg_emotion_pad_collate`` function, which pads and returns a mask.

    Args:
        ann_file (str): Clip-outputs pickle written by ``tools/extract_clip_outputs.py``.
            Defaults to ``'data/imigue/clip_outputs.pkl'``.
        pipeline (list): Transforms. Defaults to ``[PackActionInputs(collect_keys=('seq',),
            meta_keys=('video_id', 'subject_id', 'num_clips'))]``.
        split (str): ``'train'`` / ``'emotion_train'`` or ``'test'`` / ``'emotion_test'``.
        modality (str): One of ``'prob'``, ``'score'``, ``'pred_label'``, ``'gt_label'``
            (ground-truth MG labels, an upper bound) or ``'feature'``.
        split_file (str, optional): JSON split file with ``emotion_train_videos`` /
            ``emotion_test_videos`` (see :func:`mmimigue.protocol.load_split_file`); the
            official 102 / 100 video split when omitted.
        clip_splits (Sequence[str], optional): Keep only clips that came from these clip-level
            splits (e.g. ``('xsub_test',)`` to use only clips the clip model never trained on).
            All clips when None.
        **kwargs: Passed to :class:`mmengine.dataset.BaseDataset`.

    Videos listed in the split but absent from ``ann_file``, or without clips or emotion label,
    are skipped, counted in :attr:`skipped` and logged; a split with no usable video is an error.
    """

    METAINFO = dict(classes=('lose', 'win'))

    def __init__(self,
                 ann_file: str = 'data/imigue/clip_outputs.pkl',
                 pipeline: Optional[List[Union[Dict, Callable]]] = None,
                 split: str = 'train',
                 modality: str = 'pred_label',
                 split_file: Optional[str] = None,
                 clip_splits: Optional[Sequence[str]] = None,
                 **kwargs) -> None:
        if split not in _SPLIT_ALIASES:
            raise ValueError(f'split must be one of {sorted(_SPLIT_ALIASES)}, got {split!r}')
        if modality not in EMOTION_MODALITIES:
            raise ValueError(f'modality must be one of {sorted(EMOTION_MODALITIES)}, '
                             f'got {modality!r}')
        self.split = _SPLIT_ALIASES[split]
        self.modality = modality
        self.split_file = split_file
        self.clip_splits = None if clip_splits is None else tuple(clip_splits)
        self.skipped: Dict[str, List[str]] = {}
        if pipeline is None:
            pipeline = [PackActionInputs(collect_keys=('seq', ),
                                         meta_keys=('video_id', 'subject_id', 'num_clips'))]
        super().__init__(ann_file=ann_file, pipeline=pipeline, **kwargs)

    def _video_ids(self) -> List[str]:
        train, test = emotion_video_split(self.split_file)
        return train if self.split == 'train' else test

    def load_data_list(self) -> List[Dict]:
        """Turn the split's videos into samples ``{seq, label, video_id, subject_id,
        num_clips, start_frame, end_frame}``."""
        content = load_clip_outputs(self.ann_file)
        videos = content['videos']
        field, dtype = EMOTION_MODALITIES[self.modality]
        skipped: Dict[str, List[str]] = {'missing': [], 'no_clips': [], 'no_emotion': []}
        data_list = []
        for vid in self._video_ids():
            entry = videos.get(vid)
            if entry is None:
                skipped['missing'].append(vid)
                continue
            if int(entry['emotion']) not in (0, 1):
                skipped['no_emotion'].append(vid)
                continue
            keep = np.ones(len(entry['frame_dir']), dtype=bool)
            if self.clip_splits is not None:
                keep = np.isin(np.asarray(entry['clip_split'], dtype=object),
                               np.asarray(self.clip_splits, dtype=object))
            if not keep.any():
                skipped['no_clips'].append(vid)
                continue
            # clips are stored sorted; sort again so a hand-made file cannot break the order
            start = np.asarray(entry['start_frame'])[keep]
            order = np.argsort(start, kind='stable')
            seq = np.asarray(entry[field])[keep][order].astype(dtype, copy=False)
            data_list.append(
                dict(seq=seq, label=int(entry['emotion']), video_id=vid,
                     subject_id=int(entry['subject_id']), num_clips=int(len(seq)),
                     start_frame=start[order],
                     end_frame=np.asarray(entry['end_frame'])[keep][order]))
        self.skipped = {k: v for k, v in skipped.items() if v}
        if self.skipped:
            counts = ', '.join(f'{len(v)} {k}' for k, v in self.skipped.items())
            print_log(f'MGIMiGUEEmotionDataset({self.ann_file}, split={self.split}): skipped '
                      f'{counts} video(s) of the split, e.g. '
                      f'{[v[:3] for v in self.skipped.values()]}', logger='current')
        if not data_list:
            raise ValueError(
                f'{self.ann_file}: none of the {self.split} videos of the emotion split has '
                f'usable clips ({self.skipped and {k: len(v) for k, v in self.skipped.items()}}); '
                'check that the clip outputs come from the same dataset, or pass `split_file=` '
                'with your own emotion_train_videos / emotion_test_videos')
        return data_list


@FUNCTIONS.register_module()
def mg_emotion_pad_collate(data_batch: Sequence[Dict], pad_value: float = 0) -> Dict:
    """Pad variable-length sequences and return a mask.

    Args:
        data_batch: Samples ``{'inputs': {'seq': Tensor (L_i, ...)} or Tensor (L_i, ...),
            'data_samples': ActionDataSample}``.
        pad_value: Value written into padded steps (they are masked out anyway).

    Returns:
        dict: ``{'inputs': {'seq': Tensor (B, L_max, ...), 'mask': BoolTensor (B, L_max)},
        'data_samples': [...]}``, ``mask`` True on real clips.

    Raises:
        ValueError: on an empty sequence or sequences whose trailing shapes differ.
    """
    seqs = [d['inputs']['seq'] if isinstance(d['inputs'], dict) else d['inputs']
            for d in data_batch]
    seqs = [torch.as_tensor(s) for s in seqs]
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    if (lengths == 0).any():
        raise ValueError('mg_emotion_pad_collate: a sample has an empty sequence')
    if len({tuple(s.shape[1:]) for s in seqs}) != 1:
        raise ValueError('mg_emotion_pad_collate: sequences have different per-step shapes '
                         f'{sorted({tuple(s.shape[1:]) for s in seqs})}')
    padded = torch.nn.utils.rnn.pad_sequence(seqs, batch_first=True, padding_value=pad_value)
    mask = torch.arange(padded.shape[1])[None, :] < lengths[:, None]
    return dict(inputs=dict(seq=padded, mask=mask),
                data_samples=[d['data_samples'] for d in data_batch])


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
DATASETS.register_module(name='IMiGUEEmotionDataset', module=MGIMiGUEEmotionDataset)
FUNCTIONS.register_module(name='emotion_pad_collate', module=mg_emotion_pad_collate)
