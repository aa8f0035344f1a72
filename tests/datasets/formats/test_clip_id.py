"""The clip id is built and parsed in one place."""
import pytest

from mmimigue.datasets.formats import clip_id, is_clip_id, parse_clip_id, row_clip_id


def test_clip_id_round_trip():
    assert clip_id('0371', 1) == '0371_1'
    assert row_clip_id(dict(video_id='0042', clip_index=7)) == '0042_7'
    assert parse_clip_id('187_0') == ('0187', 0)
    assert parse_clip_id(clip_id('0371', 12)) == ('0371', 12)


@pytest.mark.parametrize('name', ['0371', '0371_', '../0371_1', '0371_1.json', 'a_1'])
def test_bad_clip_ids(name):
    assert not is_clip_id(name)
    with pytest.raises(ValueError, match='is not a clip id'):
        parse_clip_id(name)


@pytest.mark.parametrize('name', ['../outside', 'a/b', '..', '', 'x\\y'])
def test_ids_that_escape_their_folder_are_refused(name):
    from mmimigue.datasets.formats.clip_id import check_path_component
    with pytest.raises(ValueError, match='not a plain name') as e:
        check_path_component(name, 'video_id', 'labels.csv:3')
    assert 'labels.csv:3' in str(e.value)
    assert check_path_component('0371', 'video_id', 'x') == '0371'
