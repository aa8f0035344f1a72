"""labels.csv: whole numbers only, no ids outside their folder, no conflicting duplicate rows."""
import pytest

from mmimigue.datasets.formats import ConversionError, read_labels_csv
from mmimigue.protocol import IMIGUE_CSV_COLUMNS

GOOD = dict(video_id='0371', label_id='1', start_frame='171', end_frame='246', start_time='6.84',
            end_time='9.84', **{'class': '20'}, subject_id='1', win_or_lose='Win',
            subject_gender='M', subject_nationality='x')


def _write(tmp_path, *rows):
    path = tmp_path / 'labels.csv'
    lines = [','.join(IMIGUE_CSV_COLUMNS)]
    for r in rows:
        lines.append(','.join(str(dict(GOOD, **r).get(c, '')) for c in IMIGUE_CSV_COLUMNS))
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def test_a_good_row_and_integral_floats(tmp_path):
    rows = read_labels_csv(_write(tmp_path, {}, dict(label_id='2.0', start_frame='300.0',
                                                      end_frame='310')))
    assert rows[0]['start_frame'] == 171 and rows[0]['label'] == 19 and rows[0]['emotion'] == 1
    assert rows[1]['clip_index'] == 2 and rows[1]['start_frame'] == 300


@pytest.mark.parametrize('field, value', [('start_frame', '13.7'), ('class', '3.5'),
                                          ('label_id', '1.5'), ('subject_id', '38.9'),
                                          ('end_frame', 'abc')])
def test_fractional_or_text_numbers_are_errors_not_truncations(tmp_path, field, value):
    path = _write(tmp_path, {field: value})
    with pytest.raises(ConversionError, match=f'{field} is {value!r}') as e:
        read_labels_csv(path)
    assert f'{path}:2' in str(e.value)


def test_video_id_outside_its_folder_is_refused(tmp_path):
    path = _write(tmp_path, dict(video_id='../outside'))
    with pytest.raises(ConversionError, match='not a plain name') as e:
        read_labels_csv(path)
    assert f'{path}:2' in str(e.value)


def test_two_classes_over_the_same_frames_are_refused(tmp_path):
    path = _write(tmp_path, {}, dict(label_id='2', **{'class': '7'}))
    with pytest.raises(ConversionError, match=r'class 7 here and class 20 on line 2') as e:
        read_labels_csv(path)
    assert f'{path}:3' in str(e.value)
    # the same frames with the same class (a harmless repeat under a new label_id) pass
    assert len(read_labels_csv(_write(tmp_path, {}, dict(label_id='2')))) == 2
