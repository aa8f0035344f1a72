"""Frame probabilities -> segments, and boundary targets."""
import numpy as np
import torch

from mmimigue.models.online import boundary_targets
from mmimigue.skeleton import probs_to_segments


def _probs(labels, num_classes=3):
    p = np.full((len(labels), num_classes + 1), 0.01)
    p[np.arange(len(labels)), labels] = 0.97
    return p


def test_runs_become_segments_with_merging_and_minimum_length():
    bg = 3
    labels = [bg] * 5 + [1] * 10 + [bg] * 2 + [1] * 8 + [bg] * 10 + [2] * 4 + [bg] * 5
    segs = probs_to_segments(_probs(labels), bg, smooth_frames=1, min_frames=6, merge_gap=4)
    # the two class-1 runs (2 background frames apart) join; the 4-frame class-2 run is dropped
    assert [(a, b, c) for a, b, c, _ in segs] == [(5, 24, 1)]
    assert segs[0][3] < 0.97  # the joined background frames lower the mean
    segs = probs_to_segments(_probs(labels), bg, smooth_frames=1, min_frames=4, merge_gap=1)
    assert [(a, b, c) for a, b, c, _ in segs] == [(5, 14, 1), (17, 24, 1), (35, 38, 2)]
    assert probs_to_segments(np.zeros((0, 4)), bg) == []


def test_start_peaks_split_back_to_back_mgs():
    bg = 3
    labels = [1] * 20
    starts = np.zeros(20)
    starts[[0, 10]] = 0.9
    segs = probs_to_segments(_probs(labels), bg, smooth_frames=1, min_frames=2,
                             starts=starts)
    assert [(a, b) for a, b, _, _ in segs] == [(0, 9), (10, 19)]


def test_boundary_targets():
    bg = 9
    labels = torch.tensor([[bg, 1, 1, 1, bg, 2, 2]])
    t = boundary_targets(labels, bg, width=0)
    assert t[0, :, 0].tolist() == [0, 1, 0, 0, 0, 1, 0]  # starts
    assert t[0, :, 1].tolist() == [0, 0, 0, 1, 0, 0, 1]  # ends
    assert boundary_targets(labels, bg, width=1)[0, :, 0].tolist() == [1, 1, 1, 0, 1, 1, 1]


def test_smoothing_is_a_centred_moving_average_with_repeated_edges():
    from mmimigue.skeleton import smooth
    p = np.array([[0.], [0.], [3.], [0.], [6.]])
    # window 3: frame t averages t-1, t, t+1; the edges repeat (frame -1 = frame 0)
    np.testing.assert_allclose(smooth(p, 3)[:, 0], [0, 1, 1, 3, 4])
    assert smooth(p, 1) is p
