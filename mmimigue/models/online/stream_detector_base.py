"""What the online MG models share: windows in body units, a bounded-memory pass over a whole
stream, and segments from per-frame probabilities."""
from typing import Dict, List, Optional

import numpy as np
import torch
from mmengine.model import BaseModel

from ...datasets.transforms import MGNormalizeBody2D
from .segments import probs_to_segments


class MGStreamDetectorBase(BaseModel):
    """Base of the online detectors (not registered).

    Subclasses implement :meth:`window_scores` ((N, W, V, D) body-unit windows -> (N, W, K + 1)
    frame probabilities, plus optional (N, W) start probabilities) and :meth:`loss`.

    Args:
        num_classes (int): MG classes; class ``num_classes`` is background.
        kinect (bool): Windows hold Kinect x, y, z (SMG) instead of OpenPose x, y, score.
        window (int): Frames per window at test time (the training window).
        stride (int): Window step at test time; every frame's probabilities are averaged over
            the windows that cover it.
        batch_windows (int): Windows per forward pass: memory is bounded by this and by the
            (T, K + 1) probabilities of the stream, whatever the stream's length.
        postprocess (dict): Keyword arguments of :func:`probs_to_segments`.
    """

    def __init__(self, num_classes: int, kinect: bool = False, window: int = 64,
                 stride: int = 16, batch_windows: int = 64, postprocess: Optional[Dict] = None,
                 data_preprocessor: Optional[Dict] = None, init_cfg=None) -> None:
        super().__init__(data_preprocessor=data_preprocessor or dict(type='BaseDataPreprocessor'),
                         init_cfg=init_cfg)
        self.num_classes, self.background = int(num_classes), int(num_classes)
        self.kinect, self.window, self.stride = kinect, int(window), int(stride)
        self.batch_windows = int(batch_windows)
        self.postprocess = dict(postprocess or {})
        self._normalize = MGNormalizeBody2D()

    # ------------------------------------------------------------------ input
    def body_units(self, raw: torch.Tensor) -> torch.Tensor:
        """(N, T, V, C) raw windows -> (N, T, V, 2 or 3) body units, per window."""
        if self.kinect:
            centre = raw[:, :, 20:21].mean(1, keepdim=True)  # NTU spine-shoulder
            return raw - centre
        arr = raw.detach().cpu().numpy()
        out = self._normalize(dict(keypoint=arr[..., :2], keypoint_score=arr[..., 2]))
        return torch.as_tensor(out['keypoint'], device=raw.device)

    @staticmethod
    def stack(inputs) -> torch.Tensor:
        if isinstance(inputs, torch.Tensor):
            return inputs if inputs.dim() == 4 else inputs[None]
        return torch.stack(list(inputs))

    # ------------------------------------------------------------------ model API
    def window_scores(self, x: torch.Tensor):
        raise NotImplementedError

    def forward(self, inputs, data_samples: Optional[list] = None, mode: str = 'tensor'):
        if mode == 'loss':
            return self.loss(self.body_units(self.stack(inputs)), data_samples)
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        return self.window_scores(self.body_units(self.stack(inputs)))

    def stream_probs(self, stream: torch.Tensor):
        """(T, V, C) raw stream -> ((T, K + 1) frame probabilities, (T,) start probabilities or
        None), windows of ``window`` every ``stride`` frames, ``batch_windows`` at a time."""
        num = len(stream)
        w = min(self.window, num)
        starts = list(range(0, max(num - w, 0) + 1, self.stride))
        if starts[-1] != num - w:
            starts.append(num - w)  # the last frames get a window too
        total = np.zeros((num, self.num_classes + 1))
        start_total, count = np.zeros(num), np.zeros(num)
        has_starts = False
        for i in range(0, len(starts), self.batch_windows):
            batch = starts[i:i + self.batch_windows]
            x = torch.stack([stream[s:s + w] for s in batch])
            with torch.no_grad():
                probs, start_p = self.window_scores(self.body_units(x))
            probs = probs.cpu().numpy()
            for j, s in enumerate(batch):
                total[s:s + w] += probs[j]
                count[s:s + w] += 1
                if start_p is not None:
                    has_starts = True
                    start_total[s:s + w] += start_p[j].cpu().numpy()
        count = np.maximum(count, 1)
        return total / count[:, None], (start_total / count if has_starts else None)

    def detect(self, stream: torch.Tensor):
        """(T, V, C) raw stream -> ``(frame probabilities (T, K + 1), segments)``, the segments
        ``(start, end, label, score)`` of :func:`probs_to_segments` with this model's
        ``postprocess`` settings (what ``predict``, tools/online_detect.py and the demo use)."""
        probs, starts = self.stream_probs(stream)
        return probs, probs_to_segments(probs, self.background, starts=starts,
                                        **self.postprocess)

    def predict(self, inputs, data_samples: List):
        streams = inputs if isinstance(inputs, (list, tuple)) else list(inputs)
        for stream, sample in zip(streams, data_samples):
            probs, segs = self.detect(stream)
            sample.set_field(np.asarray(segs, np.float64).reshape(-1, 4), 'pred_segments',
                             field_type='metainfo')
            sample.set_field(probs.astype(np.float32), 'frame_probs', field_type='metainfo')
        return data_samples
