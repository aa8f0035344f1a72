"""MGEmotionMetric: accuracy, F1 and the per-video prediction file."""
import csv
import json

import pytest
import torch
from mmaction.registry import METRICS
from mmaction.structures import ActionDataSample


def _samples(rows):
    out = []
    for vid, gt, scores in rows:
        s = ActionDataSample().set_gt_label(gt)
        s.set_pred_score(torch.tensor(scores))
        s.set_metainfo(dict(video_id=vid, num_clips=3))
        out.append(s.to_dict())
    return out


ROWS = [('0001', 1, [0.2, 0.8]),  # TP
        ('0002', 1, [0.9, 0.1]),  # FN
        ('0003', 0, [0.3, 0.7]),  # FP
        ('0004', 0, [0.6, 0.4]),  # TN
        ('0005', 1, [0.4, 0.6])]  # TP


def test_accuracy_and_f1_values(tmp_path):
    out_file = tmp_path / 'sub' / 'pred.csv'
    metric = METRICS.build(dict(type='MGEmotionMetric', out_file=str(out_file)))
    metric.dataset_meta = dict(classes=('lose', 'win'))
    metric.process(None, _samples(ROWS[:3]))
    metric.process(None, _samples(ROWS[3:]))
    res = metric.evaluate(5)
    assert res['emotion/accuracy'] == pytest.approx(3 / 5)
    # win: TP 2, FP 1, FN 1 -> F1 = 4 / 6; lose: TP 1, FP 1, FN 1 -> 2 / 4
    assert res['emotion/f1'] == pytest.approx(4 / 6)
    assert res['emotion/macro_f1'] == pytest.approx((4 / 6 + 2 / 4) / 2)
    assert res['emotion/num_videos'] == 5
    rows = list(csv.DictReader(open(out_file)))
    assert [r['video_id'] for r in rows] == ['0001', '0002', '0003', '0004', '0005']
    assert [int(r['pred']) for r in rows] == [1, 0, 1, 0, 1]
    assert [int(r['gt']) for r in rows] == [1, 1, 0, 0, 1]
    assert float(rows[0]['prob_win']) == pytest.approx(0.8)


def test_json_file_and_scores_not_probabilities(tmp_path):
    out_file = tmp_path / 'pred.json'
    metric = METRICS.build(dict(type='MGEmotionMetric', out_file=str(out_file), prefix='emo'))
    metric.process(None, _samples([('0007', 0, [2.0, -1.0])]))  # raw scores -> softmax
    res = metric.evaluate(1)
    assert res == {'emo/accuracy': 1.0, 'emo/f1': 0.0, 'emo/macro_f1': 0.5,
                   'emo/num_videos': 1.0}
    rows = json.load(open(out_file))
    assert rows[0]['prob_win'] == pytest.approx(1 / (1 + 2.718281828 ** 3), rel=1e-4)
