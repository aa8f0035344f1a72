"""The clip-outputs file: per-video grouping in temporal order and its checks."""
import mmengine
import numpy as np
import pytest

from mmimigue.datasets.synthetic.emotion_clip_outputs import make_toy_records
from mmimigue.emotion.clip_outputs import group_clips_by_video, load_clip_outputs


def _rec(vid, k, start, emotion=1, subject=1):
    return dict(video_id=vid, subject_id=subject, emotion=emotion, frame_dir=f'{vid}_{k}',
                clip_split='xsub_test', clip_index=k, start_frame=start, end_frame=start + 9,
                gt_label=k, pred_label=k, cls_score=np.zeros(3), prob=np.ones(3) / 3,
                feature=np.full(2, k))


def test_clips_sorted_by_start_then_clip_index():
    recs = [_rec('0007', 3, 50), _rec('0007', 1, 200), _rec('0007', 2, 50), _rec('0001', 9, 0)]
    out = group_clips_by_video(recs)
    v = out['videos']['0007']
    assert v['start_frame'].tolist() == [50, 50, 200]
    assert v['clip_index'].tolist() == [2, 3, 1]  # tie at frame 50 broken by clip index
    assert v['frame_dir'] == ['0007_2', '0007_3', '0007_1']
    assert v['feature'][:, 0].tolist() == [2, 3, 1]  # arrays follow the same order
    assert v['prob'].shape == (3, 3) and v['prob'].dtype == np.float32
    assert list(out['videos']) == ['0001', '0007']


def test_toy_records_shuffled_come_back_ordered():
    out = group_clips_by_video(make_toy_records(num_train=4, num_test=4, shuffle=True))
    for v in out['videos'].values():
        assert np.all(np.diff(v['start_frame']) > 0)
        assert v['clip_index'].tolist() == sorted(v['clip_index'].tolist())


def test_inconsistent_video_and_duplicates_raise():
    with pytest.raises(ValueError, match='disagree'):
        group_clips_by_video([_rec('0007', 1, 0, emotion=1), _rec('0007', 2, 9, emotion=0)])
    with pytest.raises(ValueError, match='more than once'):
        group_clips_by_video([_rec('0007', 1, 0), _rec('0007', 1, 0)])


def test_load_checks_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='extract_clip_outputs'):
        load_clip_outputs(str(tmp_path / 'none.pkl'))
    bad = str(tmp_path / 'bad.pkl')
    mmengine.dump({'annotations': []}, bad)
    with pytest.raises(ValueError, match='not a clip-outputs file'):
        load_clip_outputs(bad)
    content = group_clips_by_video([_rec('0007', 1, 0), _rec('0007', 2, 9)])
    content['videos']['0007']['gt_label'] = content['videos']['0007']['gt_label'][:1]
    mmengine.dump(content, bad)
    with pytest.raises(ValueError, match='different lengths'):
        load_clip_outputs(bad)
