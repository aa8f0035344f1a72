"""Ground truth as segments (mmimigue.skeleton.segments)."""
from collections import Counter

import numpy as np

from mmimigue.skeleton import frame_labels, segments_from_intervals


def test_intervals_past_the_end_are_cut_or_dropped_and_counted():
    counts = Counter()
    rows = [dict(start_frame=50, end_frame=60, label=1), dict(start_frame=5, end_frame=9, label=0),
            dict(start_frame=95, end_frame=130, label=2), dict(start_frame=100, end_frame=120,
                                                                 label=3)]
    segs = segments_from_intervals(rows, 100, counts)
    assert segs.tolist() == [[5, 9, 0], [50, 60, 1], [95, 99, 2]]
    assert counts == Counter(segments_truncated=1, segments_past_end=1)
    labels = frame_labels(segs, 100, background=9)
    assert labels[5:10].tolist() == [0] * 5 and labels[95:].tolist() == [2] * 5
    assert (labels[10:50] == 9).all()
    assert segments_from_intervals([], 10, counts).shape == (0, 3)
    assert np.asarray(segs).dtype == np.int64
