"""Find the MGs of one whole skeleton stream with any trained model: the one door that
``tools/online_detect.py``, the demo and user code go through.

* an online model (``configs/*/online_*``: :class:`MGOnlineTemporalNet`,
  :class:`MGSlidingWindowDetector`) runs its own overlapping-window pass and post-processing;
* a clip recognizer (ST-GCN, ...) is slid over the stream through its config's test pipeline
  (:func:`~mmimigue.apis.sliding_window_scores`); each frame averages the MG probabilities of
  the windows that cover it (frames without a person count as background), and the one
  segmenter (:func:`mmimigue.skeleton.probs_to_segments`) turns them into segments.

Both return per-frame probabilities over the MGs plus background, and segments
``(start, end, label, score)`` in stream frames.
"""
from typing import Dict, Optional, Tuple

import numpy as np
import torch

from ..skeleton import average_over_windows, probs_to_segments, pushed_frames
from .sliding_window import sliding_window_scores

#: Post-processing of a clip recognizer's frame probabilities: every run of one top-1 MG is a
#: segment (a clip model has no background class to smooth against).
CLIP_MODEL_SEGMENTS = dict(smooth_frames=1, min_frames=1, merge_gap=0)


def is_stream_model(model) -> bool:
    """Whether ``model`` is an online stream model (has its own ``detect`` over a stream)."""
    from ..models.online.stream_detector_base import MGStreamDetectorBase
    return isinstance(model, MGStreamDetectorBase)


def model_layout(model) -> str:
    """The joint layout a model reads: an online model's ``layout``, or its config's dataset
    layout for a clip recognizer."""
    if is_stream_model(model):
        return model.layout.name
    from .sliding_window import skeleton_test_pipeline
    return skeleton_test_pipeline(model.cfg)[1]


def detect_stream(model, stream: np.ndarray, layout: Optional[str] = None, window: int = 64,
                  stride: int = 16, img_shape: Tuple[int, int] = (720, 1280),
                  batch_size: int = 16, name: str = 'stream') -> Dict:
    """The MGs of one stream.

    Args:
        model: From :func:`~mmimigue.apis.init_recognizer` (eval mode, ``model.cfg``).
        stream (np.ndarray): (T, V, C) raw frames: x, y, score (OpenPose) or x, y, z (Kinect).
        layout (str, optional): The stream's joint layout (a streams pickle's
            ``meta['layout']``); None for the 137 stored OpenPose points of a release video, from
            which the model's joints are taken. A layout other than the model's is refused.
        window (int): Window length of a clip recognizer (online models use their own).
        stride (int): Window step of a clip recognizer.
        img_shape (tuple): (H, W) of the video (a clip recognizer's test pipeline may use it).
        batch_size (int): Windows per forward pass of a clip recognizer.
        name (str): Prefix of the windows' ``frame_dir``.

    Returns:
        dict: ``frame_probs`` (T, K + 1) float64 (column K = background / no person),
        ``segments`` list of ``(start, end, label, score)``, ``layout`` (the model's), and for a
        clip recognizer ``windows``: :func:`sliding_window_scores`'s output.
    """
    wanted = model_layout(model)
    stream = pushed_frames(stream, layout, wanted)  # float32, the model's joints, writable
    if is_stream_model(model):
        device = next(model.parameters()).device
        probs, segments = model.detect(torch.from_numpy(stream).to(device))
        return dict(frame_probs=probs, segments=segments, layout=wanted, windows=None)
    windows = sliding_window_scores(model, model.cfg, stream, window, stride, img_shape,
                                    batch_size, name)
    num = len(stream)
    per_window = np.concatenate([windows['probs'], (~windows['valid'])[:, None]], 1)
    span = min(window, num)
    probs = average_over_windows(windows['starts'], np.repeat(per_window[:, None], span, 1), num)
    background = per_window.shape[1] - 1
    segments = probs_to_segments(probs, background, **CLIP_MODEL_SEGMENTS)
    return dict(frame_probs=probs, segments=segments, layout=wanted, windows=windows)
