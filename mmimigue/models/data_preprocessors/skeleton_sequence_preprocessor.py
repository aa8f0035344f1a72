"""Batching of whole, variable-length skeleton sequences: pad to the longest, keep the lengths."""
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmaction.registry import MODELS
from mmengine.model import BaseDataPreprocessor


@MODELS.register_module()
class MGSkeletonSequencePreprocessor(BaseDataPreprocessor):
    """Pad a batch of whole skeleton sequences and pass their true lengths to the model.

    Works with the ordinary skeleton pipeline when no frame sampler is used (``PoseDecode``
    keeps all frames, ``FormatGCNInput(num_person=1)`` + ``PackActionInputs`` give each sample
    as a ``(1, M, T_i, V, C)`` tensor). The batch is right-padded with zeros along time and the
    model is called as ``model(inputs, data_samples, lengths=lengths, mode=...)`` with

    - ``inputs``: ``(B, M, T_max, V, C)`` float tensor, frames ``t >= lengths[b]`` are zero;
    - ``lengths``: ``(B,)`` int64 tensor of true lengths.

    Each data sample also gets the metainfo ``seq_len`` (its true length), so a caller that only
    forwards ``inputs`` and ``data_samples`` (e.g. a feature extractor) still passes the lengths.

    Args:
        max_frames (int, optional): Length cap. A longer sequence is resampled to ``max_frames``
            evenly spaced frames (first and last kept) so that memory stays bounded on very long
            clips; shorter ones are untouched. ``None`` keeps every frame. Defaults to None.
    """

    def __init__(self, max_frames: Optional[int] = None) -> None:
        super().__init__()
        if max_frames is not None and max_frames < 2:
            raise ValueError(f'max_frames must be >= 2 or None, got {max_frames}')
        self.max_frames = max_frames

    def _cap(self, seq: torch.Tensor) -> torch.Tensor:
        t = seq.shape[1]
        if self.max_frames is None or t <= self.max_frames:
            return seq
        idx = torch.linspace(0, t - 1, self.max_frames).round().long()
        return seq[:, idx]

    def forward(self, data: Dict, training: bool = False) -> Dict:
        """Pad ``data['inputs']`` (a list of per-sample tensors) and add ``lengths``."""
        data = self.cast_data(data)
        inputs: Union[Sequence[torch.Tensor], torch.Tensor] = data['inputs']
        seqs: List[torch.Tensor] = []
        for i, x in enumerate(inputs):
            if x.dim() == 5:  # (num_clips, M, T, V, C) from FormatGCNInput
                if x.shape[0] != 1:
                    raise ValueError(
                        f'sample {i} has {x.shape[0]} clips; whole-sequence models take one clip '
                        'per sample: remove UniformSampleFrames / num_clips from the pipeline')
                x = x[0]
            if x.dim() != 4:
                raise ValueError(f'sample {i}: expected (M, T, V, C) keypoints, got shape '
                                 f'{tuple(x.shape)}')
            seqs.append(self._cap(x.float()))
        lengths = torch.tensor([s.shape[1] for s in seqs], dtype=torch.long, device=self.device)
        if int(lengths.min()) < 1:
            raise ValueError('a sample has zero frames; check the annotation file')
        m, _, v, c = seqs[0].shape
        batch = seqs[0].new_zeros((len(seqs), m, int(lengths.max()), v, c))
        for i, s in enumerate(seqs):
            if s.shape[0] != m or s.shape[2:] != (v, c):
                raise ValueError(f'sample {i} has shape {tuple(s.shape)}, sample 0 has '
                                 f'{tuple(seqs[0].shape)}: persons/joints/channels must agree')
            batch[i, :, :s.shape[1]] = s
        samples = data.get('data_samples')
        if samples is not None:
            for sample, length in zip(samples, lengths.tolist()):
                sample.set_metainfo(dict(seq_len=length))
        return dict(inputs=batch, data_samples=samples, lengths=lengths)


# Earlier registered names, kept as aliases so that configs written before the MG prefix build.
MODELS.register_module(name='SkeletonSequencePreprocessor', module=MGSkeletonSequencePreprocessor)
