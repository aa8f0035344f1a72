"""Challenge CSV skeletons are placed by their frame index: a gap does not shift later frames."""
from collections import Counter

import numpy as np
import pytest

from mmimigue.datasets.formats import ConversionError, read_light_hand_csv


def _write(tmp_path, index):
    rows = [[i] + [float(i)] * 105 for i in index]  # every value = the frame index
    path = tmp_path / 'v_light_hand.csv'
    path.write_text('\n'.join(','.join(f'{v:g}' for v in r) for r in rows) + '\n')
    return str(path)


def test_rows_missing_mid_file_leave_empty_frames_not_a_shift(tmp_path):
    counts = Counter()
    out = read_light_hand_csv(_write(tmp_path, [0, 1, 2, 5, 6]), counts)
    assert out.shape[0] == 7 and counts['missing_frames'] == 2
    np.testing.assert_array_equal(out[:, 0, 0], [0, 1, 2, 0, 0, 5, 6])  # frame 5 stays frame 5
    assert not out[3:5].any()


@pytest.mark.parametrize('index, match', [([0, 1, 1, 2], 'must increase'),
                                          ([0, 2, 1], 'must increase'),
                                          ([0, 1.5, 2], 'not a whole number')])
def test_bad_frame_indices_name_the_row(tmp_path, index, match):
    with pytest.raises(ConversionError, match=match):
        read_light_hand_csv(_write(tmp_path, index))


def test_first_fingertip_block_is_the_left_hand_as_in_the_miga_kit(tmp_path):
    """The kit joins BODY_25 #7 (LWrist) to the first fingertip block: OpenPose's left hand."""
    from mmimigue.skeleton.layouts import FINGERTIPS, LAYOUTS, LHAND_OFFSET, RHAND_OFFSET
    row = [0.0] + [0.0] * 105
    for j in range(35):  # x of challenge joint j = 1000 + j, confidence 1
        row[1 + 3 * j], row[3 + 3 * j] = 1000.0 + j, 1.0
    path = tmp_path / '0001_light_hand.csv'
    path.write_text(','.join(f'{v:g}' for v in row) + '\n')
    out = read_light_hand_csv(str(path))
    np.testing.assert_array_equal(out[0, [LHAND_OFFSET + t for t in FINGERTIPS], 0],
                                  1000 + np.arange(25, 30))
    np.testing.assert_array_equal(out[0, [RHAND_OFFSET + t for t in FINGERTIPS], 0],
                                  1000 + np.arange(30, 35))
    # The packed route: kit joints 12-16 (its first block) are the left hand, joined to #7.
    lay = LAYOUTS['imigue22']
    assert lay['indices'][12:17] == [LHAND_OFFSET + t for t in FINGERTIPS]
    parents = dict(lay['inward'])
    assert {parents[j] for j in range(12, 17)} == {7} and lay['indices'][7] == 7
