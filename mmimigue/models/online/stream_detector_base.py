"""What the online MG models share: windows in body units, a bounded-memory pass over a whole
stream, and segments from per-frame probabilities."""
from typing import Dict, List, Optional

import numpy as np
import torch

from ...skeleton import add_windows, layout_body_units, layout_info, probs_to_segments, window_starts
from ..mode_dispatch_model import ModeDispatchModel


class MGStreamDetectorBase(ModeDispatchModel):
    """Base of the online detectors (not registered).

    Subclasses implement :meth:`window_scores` ((N, W, V, D) body-unit windows -> (N, W, K + 1)
    frame probabilities, plus optional (N, W) start probabilities) and :meth:`window_loss`
    (body-unit windows + data samples -> losses). ``forward(mode)`` is the shared dispatch of
    :class:`~mmimigue.models.mode_dispatch_model.ModeDispatchModel`; every mode first refuses
    samples of another layout.

    Args:
        num_classes (int): MG classes; class ``num_classes`` is background.
        layout (str): Joint layout of the streams (:mod:`mmimigue.skeleton.layouts`): it decides
            the input (OpenPose x, y, score or Kinect x, y, z) and its normalisation. A stream
            of another layout is refused. Defaults to ``'imigue22'``.
        window (int): Frames per window at test time (the training window).
        stride (int): Window step at test time; every frame's probabilities are averaged over
            the windows that cover it.
        batch_windows (int): Windows per forward pass: memory is bounded by this and by the
            (T, K + 1) probabilities of the stream, whatever the stream's length.
        postprocess (dict): Keyword arguments of :func:`probs_to_segments`.
    """

    DEFAULT_PREPROCESSOR = dict(type='BaseDataPreprocessor')

    def __init__(self, num_classes: int, layout: str = 'imigue22', window: int = 64,
                 stride: int = 16, batch_windows: int = 64, postprocess: Optional[Dict] = None,
                 data_preprocessor: Optional[Dict] = None, init_cfg=None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.num_classes, self.background = int(num_classes), int(num_classes)
        self.layout = layout_info(layout)
        self.window, self.stride = int(window), int(stride)
        self.batch_windows = int(batch_windows)
        self.postprocess = dict(postprocess or {})

    # ------------------------------------------------------------------ input
    def body_units(self, raw: torch.Tensor) -> torch.Tensor:
        """(N, T, V, C) raw windows -> (N, T, V, 2 or 3) body units, per window, on the
        windows' device (:func:`mmimigue.skeleton.layout_body_units`)."""
        return layout_body_units(raw, self.layout.name)

    def check_layout(self, data_samples: Optional[list]) -> None:
        """Refuse samples whose stream layout (the streams pickle's) is not the model's."""
        for sample in data_samples or []:
            layout = sample.metainfo.get('layout') if hasattr(sample, 'metainfo') else None
            if layout is not None and layout != self.layout.name:
                raise ValueError(f'the streams hold layout {layout!r} but the model was built '
                                 f'for {self.layout.name!r}; set model.layout={layout!r} or '
                                 'convert the streams with the model\'s layout')

    @staticmethod
    def stack(inputs) -> torch.Tensor:
        if isinstance(inputs, torch.Tensor):
            return inputs if inputs.dim() == 4 else inputs[None]
        return torch.stack(list(inputs))

    # ------------------------------------------------------------------ model API
    def window_scores(self, x: torch.Tensor):
        raise NotImplementedError

    def window_loss(self, x: torch.Tensor, data_samples: List) -> Dict[str, torch.Tensor]:
        raise NotImplementedError

    def loss(self, inputs, data_samples: Optional[list] = None, **kwargs) -> Dict:
        """``mode='loss'``: the losses of a batch of raw training windows."""
        self.check_layout(data_samples)
        return self.window_loss(self.body_units(self.stack(inputs)), data_samples)

    def forward_tensor(self, inputs, data_samples: Optional[list] = None, **kwargs):
        """``mode='tensor'``: :meth:`window_scores` of raw windows."""
        self.check_layout(data_samples)
        return self.window_scores(self.body_units(self.stack(inputs)))

    def stream_probs(self, stream: torch.Tensor):
        """(T, V, C) raw stream -> ((T, K + 1) frame probabilities, (T,) start probabilities or
        None): windows of ``window`` frames every ``stride`` frames
        (:func:`mmimigue.skeleton.window_starts`, the last one ending at the last frame; a stream
        shorter than the window is one window), ``batch_windows`` at a time; each frame averages
        the windows that cover it."""
        num = len(stream)
        w = min(self.window, num)
        starts = window_starts(num, w, self.stride)
        total, start_total = np.zeros((num, self.num_classes + 1)), np.zeros((num, 1))
        count, start_count = np.zeros(num), np.zeros(num)
        for i in range(0, len(starts), self.batch_windows):
            batch = starts[i:i + self.batch_windows]
            x = torch.stack([stream[s:s + w] for s in batch])
            with torch.no_grad():
                probs, start_p = self.window_scores(self.body_units(x))
            add_windows(total, count, batch, probs.cpu().numpy())
            if start_p is not None:
                add_windows(start_total, start_count, batch, start_p.cpu().numpy()[..., None])
        probs = total / np.maximum(count, 1)[:, None]
        start = start_total[:, 0] / np.maximum(start_count, 1) if start_count.any() else None
        return probs, start

    def detect(self, stream: torch.Tensor):
        """(T, V, C) raw stream -> ``(frame probabilities (T, K + 1), segments)``, the segments
        ``(start, end, label, score)`` of :func:`probs_to_segments` with this model's
        ``postprocess`` settings (what ``predict``, tools/online_detect.py and the demo use)."""
        probs, starts = self.stream_probs(stream)
        return probs, probs_to_segments(probs, self.background, starts=starts,
                                        **self.postprocess)

    def predict(self, inputs, data_samples: List, **kwargs):
        """``mode='predict'``: each whole stream's segments and frame probabilities."""
        self.check_layout(data_samples)
        streams = inputs if isinstance(inputs, (list, tuple)) else list(inputs)
        for stream, sample in zip(streams, data_samples):
            probs, segs = self.detect(stream)
            sample.set_field(np.asarray(segs, np.float64).reshape(-1, 4), 'pred_segments',
                             field_type='metainfo')
            sample.set_field(probs.astype(np.float32), 'frame_probs', field_type='metainfo')
        return data_samples
