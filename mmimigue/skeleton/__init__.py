"""The ground floor of skeleton facts (numpy only; torch is imported only for tensors).

* :mod:`~mmimigue.skeleton.layouts`: joint layouts and everything they decide;
* :mod:`~mmimigue.skeleton.normalize`: body-unit normalisation for the pipeline and the models;
* :mod:`~mmimigue.skeleton.windows`: the one window rule over a stream;
* :mod:`~mmimigue.skeleton.segments`: the one segmenter, and ground truth as segments;
* :mod:`~mmimigue.skeleton.causal_segments`: its causal counterpart for live streams.
"""
from .causal_segments import CausalSegmenter
from .layouts import (
                      LAYOUTS,
                      NUM_OPENPOSE_KEYPOINTS,
                      Layout,
                      bone_pairs,
                      check_layout,
                      flip_pairs,
                      frames_in_layout,
                      graph_layout,
                      is_kinect,
                      layout_indices,
                      layout_info,
                      pushed_frames,
)
from .normalize import body_units, centre_on_joint, layout_body_units
from .segments import frame_labels, probs_to_segments, segments_from_intervals, smooth, window_label
from .windows import LAST_WINDOW_RULES, add_windows, average_over_windows, window_starts

__all__ = [
    'CausalSegmenter', 'LAYOUTS', 'NUM_OPENPOSE_KEYPOINTS', 'Layout', 'bone_pairs',
    'check_layout', 'flip_pairs', 'frames_in_layout',
    'graph_layout', 'is_kinect', 'layout_indices', 'layout_info', 'pushed_frames', 'body_units',
    'centre_on_joint', 'layout_body_units', 'frame_labels', 'probs_to_segments',
    'segments_from_intervals', 'smooth', 'window_label', 'LAST_WINDOW_RULES',
    'add_windows', 'average_over_windows', 'window_starts'
]
