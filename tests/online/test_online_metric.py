"""Online MG recognition measures against hand-counted toy cases."""
import numpy as np
import pytest

from mmimigue.evaluation.online_detection import (
    MGOnlineDetectionMetric,
    average_precision,
    online_f1,
    segment_iou,
)


def test_segment_iou_counts_inclusive_frames():
    iou = segment_iou([[0, 9], [5, 14], [20, 29]], [[0, 9]])
    # [0, 9] vs [0, 9]: 10 / 10; [5, 14]: 5 shared frames of 15; [20, 29]: none
    np.testing.assert_allclose(iou[:, 0], [1.0, 5 / 15, 0.0])


def test_f1_hand_counted():
    gts = {'a': [(0, 9, 1), (20, 29, 2)], 'b': [(0, 19, 3)]}
    preds = {
        'a': [(1, 10, 1, 0.9),    # tIoU 9/11 with (0, 9, 1): TP
              (0, 9, 1, 0.5),     # the same MG again: a duplicate, FP
              (20, 29, 5, 0.8)],  # right place, wrong class: FP (and (20, 29, 2) is missed)
        'b': [(0, 5, 3, 0.7)],    # tIoU 6/20 = 0.3 < 0.5: FP, and (0, 19, 3) is missed
    }
    res = online_f1(preds, gts, iou_thr=0.5)
    assert (res['tp'], res['fp'], res['fn']) == (1, 3, 2)
    assert res['precision'] == pytest.approx(1 / 4) and res['recall'] == pytest.approx(1 / 3)
    assert res['f1'] == pytest.approx(2 * (1 / 4) * (1 / 3) / (1 / 4 + 1 / 3))
    assert res['per_class'][1] == dict(tp=1, fp=1, fn=0)
    assert res['per_class'][5] == dict(tp=0, fp=1, fn=0)
    assert res['per_class'][2] == dict(tp=0, fp=0, fn=1)
    # a lower threshold makes the short one in 'b' a hit
    assert online_f1(preds, gts, iou_thr=0.3)['tp'] == 2


def test_the_higher_score_takes_the_match():
    gts = {'a': [(0, 9, 1)]}
    preds = {'a': [(0, 9, 1, 0.2), (2, 11, 1, 0.9)]}  # both overlap enough; 0.9 comes first
    res = online_f1(preds, gts, 0.5)
    assert (res['tp'], res['fp'], res['fn']) == (1, 1, 0)
    preds = {'a': [(4, 30, 1, 0.9), (0, 9, 1, 0.2)]}  # the first misses, the second still hits
    assert online_f1(preds, gts, 0.5)['tp'] == 1


def test_empty_predictions_and_empty_videos():
    gts = {'a': [(0, 9, 1)], 'b': []}
    res = online_f1({}, gts)
    assert (res['tp'], res['fp'], res['fn'], res['f1']) == (0, 0, 1, 0.0)
    res = online_f1({'b': [(0, 9, 1, 0.5)]}, gts)  # a detection where there is no MG
    assert (res['tp'], res['fp'], res['fn']) == (0, 1, 1)
    with pytest.raises(ValueError, match='without ground truth'):
        online_f1({'zzz': [(0, 1, 1, 1.0)]}, gts)


def test_average_precision_hand_counted():
    gts = {'a': [(0, 9, 1), (20, 29, 1)]}
    # ranked: hit (P 1, R .5), miss (P .5), hit (P 2/3, R 1): AP = .5 * 1 + .5 * 2/3
    preds = {'a': [(0, 9, 1, 0.9), (50, 60, 1, 0.8), (20, 29, 1, 0.7)]}
    assert average_precision(preds, gts, 1, 0.5) == pytest.approx(0.5 + 0.5 * 2 / 3)
    assert average_precision({}, gts, 1, 0.5) == 0.0


def test_metric_reads_data_samples():
    metric = MGOnlineDetectionMetric(iou_thr=0.5, map_thrs=(0.5, ))
    metric.process(None, [dict(video_id='a', pred_segments=np.array([[0, 9, 1, 0.9]]),
                               gt_segments=np.array([[0, 9, 1], [20, 29, 2]]))])
    out = metric.compute_metrics(metric.results)
    assert out['precision'] == 1.0 and out['recall'] == 0.5
    assert out['f1'] == pytest.approx(2 / 3) and out['mAP@0.5'] == pytest.approx(0.5)
