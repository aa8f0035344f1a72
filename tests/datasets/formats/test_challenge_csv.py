"""Challenge CSV skeletons are placed by their frame index: a gap does not shift later frames."""
import numpy as np
import pytest
from collections import Counter

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
