"""The one window rule (mmimigue.skeleton.windows)."""
import numpy as np
import pytest

from mmimigue.skeleton import add_windows, average_over_windows, window_starts


def test_window_starts_cover_the_video():
    assert window_starts(20, 8, 5) == [0, 5, 10, 12]
    assert window_starts(18, 8, 5) == [0, 5, 10]
    assert window_starts(5, 8, 2) == [0]
    for n, w, s in ((100, 64, 16), (64, 64, 16), (65, 10, 7)):
        starts = window_starts(n, w, s)
        covered = np.zeros(n, bool)
        for st in starts:
            covered[st:st + w] = True
        assert covered.all() and starts[-1] + min(w, n) == n


def test_bad_window_or_stride():
    with pytest.raises(ValueError, match='>= 1'):
        window_starts(10, 0, 2)


def test_drop_rule_leaves_the_tail_uncovered():
    assert window_starts(20, 8, 5, last='drop') == [0, 5, 10]
    assert window_starts(20, 8, 5, last='end') == [0, 5, 10, 12]
    with pytest.raises(ValueError, match='last='):
        window_starts(20, 8, 5, last='pad')


def test_average_over_windows_is_the_mean_of_the_covering_windows():
    starts = [0, 2, 4]
    values = np.arange(3 * 4 * 2, dtype=float).reshape(3, 4, 2)  # 3 windows of 4 frames
    out = average_over_windows(starts, values, 9)
    # frame 3 is covered by window 0 (its frame 3) and window 1 (its frame 1)
    np.testing.assert_allclose(out[3], (values[0, 3] + values[1, 1]) / 2)
    np.testing.assert_allclose(out[0], values[0, 0])
    np.testing.assert_allclose(out[8], 0)  # no window covers frame 8
    # frames past the stream are ignored; batches add up to one pass
    total, count = np.zeros((6, 2)), np.zeros(6)
    add_windows(total, count, starts[:2], values[:2])
    add_windows(total, count, starts[2:], values[2:])
    np.testing.assert_allclose(total / np.maximum(count, 1)[:, None],
                               average_over_windows(starts, values, 6))
