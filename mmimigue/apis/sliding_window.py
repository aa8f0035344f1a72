"""Sliding-window inference of a clip-level skeleton recognizer over a whole skeleton stream.

A stream is a (T, V, 3) OpenPose sequence (x, y, score) of one video: the 137 stored points or
already the config's layout. Windows of ``window`` frames every ``stride`` frames
(:func:`mmimigue.skeleton.window_starts`: the last one ends at the last frame) become clips of
the annotation schema, go through the config's test pipeline, and get class scores; windows
without a detected person are not run.
"""
import copy
from typing import Dict, List, Optional, Tuple

import numpy as np
import torch
from mmengine.config import Config

from ..skeleton import LAYOUTS, NUM_OPENPOSE_KEYPOINTS, is_kinect, layout_indices, window_starts
from .clip_inference import clip_scores, to_probability

#: Pipeline steps that load stored data; windows are built in memory instead.
LOADING_TRANSFORMS = ('MGLoadStoredKeypoints', )
RGB_TRANSFORMS = ('DecordInit', 'DecordDecode', 'OpenCVInit', 'PyAVInit', 'RawFrameDecode',
                  'MGDecordClipInit')


def window_clip(seq: np.ndarray, start: int, window: int, joints: Optional[List[int]],
                img_shape: Tuple[int, int], name: str) -> Dict:
    """One window as a clip of the converter's schema, reduced to the layout's joints."""
    part = seq[start:start + window]
    if joints is not None:
        part = part[:, joints]
    return dict(frame_dir=name, total_frames=len(part), img_shape=tuple(img_shape),
                original_shape=tuple(img_shape), keypoint=part[None, ..., :2].copy(),
                keypoint_score=part[None, ..., 2].copy(), start_frame=start,
                end_frame=start + len(part) - 1)


def skeleton_test_pipeline(cfg: Config) -> Tuple[List[Dict], str]:
    """The config's test pipeline (stored-keypoint loaders dropped) and its joint layout.

    Raises:
        ValueError: no test / val loader, an RGB pipeline, or a layout that is not a subset of
            the 137 OpenPose points.
    """
    loader = cfg.get('test_dataloader') or cfg.get('val_dataloader')
    if loader is None:
        raise ValueError(f'{cfg.filename}: no test_dataloader / val_dataloader to take the test '
                         'pipeline from')
    ds = loader['dataset']
    while 'pipeline' not in ds and 'dataset' in ds:  # wrappers (RepeatDataset, ...)
        ds = ds['dataset']
    pipeline = [copy.deepcopy(t) for t in ds.get('pipeline', [])
                if t.get('type') not in LOADING_TRANSFORMS]
    rgb = [t['type'] for t in pipeline if t.get('type') in RGB_TRANSFORMS]
    if rgb:
        raise ValueError(f'{cfg.filename}: the test pipeline decodes video ({rgb}); sliding-'
                         'window inference runs skeleton-based clip models')
    layout = ds.get('layout', 'imigue22')
    if layout not in LAYOUTS or is_kinect(layout):
        raise ValueError(f'{cfg.filename}: layout {layout!r} is not a subset of the OpenPose '
                         "points of the stream; use an iMiGUE config ('imigue22', 'body25', "
                         "'openpose137')")
    return pipeline, layout


def sliding_window_scores(model: torch.nn.Module, cfg: Config, seq: np.ndarray, window: int,
                          stride: int, img_shape: Tuple[int, int], batch_size: int = 16,
                          name: str = 'stream') -> Dict[str, np.ndarray]:
    """Class scores of every window of a skeleton stream.

    Args:
        model: Recognizer in eval mode (see :func:`~mmimigue.apis.init_recognizer`).
        cfg (Config): Its config (test pipeline and layout).
        seq (np.ndarray): (T, 137, 3) stream, or (T, V, 3) already in the config's layout.
        window (int): Window length in frames.
        stride (int): Frames between window starts.
        img_shape (tuple): (H, W) of the video.
        batch_size (int): Windows per forward pass.
        name (str): Prefix of the windows' ``frame_dir``.

    Returns:
        dict: ``starts`` (W,) first frame of each window (stream index), ``valid`` (W,) bool
        (a person is detected in the window), ``scores`` / ``probs`` (W, K) float32 (zeros for
        windows that were not run), ``layout``.
    """
    pipeline, layout = skeleton_test_pipeline(cfg)
    num_node = LAYOUTS[layout]['num_node']
    if seq.shape[1] not in (num_node, NUM_OPENPOSE_KEYPOINTS):
        raise ValueError(f'the stream has {seq.shape[1]} points per frame; the config\'s layout '
                         f'{layout!r} needs {num_node} (or the 137 stored OpenPose points)')
    joints = layout_indices(layout) if seq.shape[1] != num_node else None
    starts = window_starts(len(seq), window, stride)
    person = (seq[..., 2] > 0).any(-1)  # (T,) frames with a detected person
    valid = np.array([person[s:s + window].any() for s in starts], bool)
    clips = [window_clip(seq, s, window, joints, img_shape, f'{name}_w{i}')
             for i, s in enumerate(starts) if valid[i]]
    scores = clip_scores(model, pipeline, clips, batch_size)
    num_classes = scores.shape[1] if len(scores) else int(cfg.model.cls_head.num_classes)
    all_scores = np.zeros((len(starts), num_classes), np.float32)
    all_probs = np.zeros_like(all_scores)
    if len(scores):
        all_scores[valid] = scores
        all_probs[valid] = to_probability(scores)
    return dict(starts=np.asarray(starts, np.int64), valid=valid, scores=all_scores,
                probs=all_probs, layout=layout)
