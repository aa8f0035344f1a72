"""The organisers' online F1 (SMG start kit, ``tester_SMG``) against a direct reading of it."""
import numpy as np
import pytest

from mmimigue.evaluation.online_detection import MGOnlineDetectionMetric, online_f1, online_report
from mmimigue.evaluation.online_kit_rule import kit_f1, kit_overlap


def read_tester_smg(videos, threshold_alpha=0.3):
    """``tester_SMG``'s scoring, loop by loop: videos are ``(gestures, (labels, begins, ends))``
    with gestures ``(label, begin, end)``; predictions are never removed."""
    correct_count, recall_len, acc_len = 0.0, 0, 0
    for gestures, (pred_label, begin_frame, end_frame) in videos:
        for gt_label, gt_begin, gt_end in gestures:
            for pred_i in range(len(begin_frame)):
                if pred_label[pred_i] == gt_label:
                    alpha = ((min(end_frame[pred_i], gt_end) - max(begin_frame[pred_i], gt_begin))
                             / (max(end_frame[pred_i], gt_end) - min(begin_frame[pred_i], gt_begin)))
                    if alpha > threshold_alpha:
                        correct_count += 1  # (the kit's numpy.delete calls change nothing)
                        break
        recall_len += len(gestures)
        acc_len += len(pred_label)
    recall = correct_count / recall_len
    precision = correct_count / acc_len
    return 2 * recall * precision / (recall + precision + 0.0000001), precision, recall


def as_ours(videos):
    gts = {str(i): [(b, e, c) for c, b, e in g] for i, (g, _) in enumerate(videos)}
    preds = {str(i): [(b, e, c, 1.0) for c, b, e in zip(*p)] for i, (_, p) in enumerate(videos)}
    return preds, gts


def test_overlap_ratio_is_the_kits():
    # equal: 1; shares one boundary frame: 0; disjoint: negative; [0, 10] in [0, 20]: 10 / 20
    np.testing.assert_allclose(kit_overlap([[0, 10], [10, 20], [30, 40], [0, 20]], [[0, 10]])[:, 0],
                               [1.0, 0.0, -20 / 40, 0.5])
    assert np.isnan(kit_overlap([[5, 5]], [[5, 5]])[0, 0])  # the kit would divide by zero


def test_one_prediction_serves_two_mgs_and_f1_exceeds_one():
    # one prediction over two MGs of its class: alpha 45 / 100 = 0.45 with each
    videos = [([(3, 0, 45), (3, 55, 100)], ([3], [0], [100]))]
    f1, precision, recall = read_tester_smg(videos)
    preds, gts = as_ours(videos)
    res = kit_f1(preds, gts)
    assert (res['correct'], res['num_gt'], res['num_pred']) == (2, 2, 1)
    assert res['precision'] == precision == 2.0 and res['recall'] == recall == 1.0
    assert res['f1'] == pytest.approx(f1) and res['f1'] > 1
    # the strict rule counts it once, and neither MG reaches tIoU 0.5 with it... 46 / 101
    assert online_f1(preds, gts, 0.5)['tp'] == 0


def test_hand_made_videos_equal_the_reading():
    videos = [
        # a hit, a wrong class at the right place, a hit on the second of two predictions
        ([(1, 10, 30), (2, 50, 70), (4, 100, 120)],
         ([1, 5, 4, 4], [12, 50, 0, 98], [30, 70, 20, 125])),
        # alpha exactly 0.3 is not enough (strictly greater): [0, 10] vs [0, 3] gives 3 / 10
        ([(7, 0, 10)], ([7], [0], [3])),
        # a video with MGs and no predictions, one with predictions and no MG
        ([(2, 5, 9)], ([], [], [])),
        ([], ([1, 1], [0, 40], [20, 60])),
    ]
    f1, precision, recall = read_tester_smg(videos)
    preds, gts = as_ours(videos)
    res = kit_f1(preds, gts)
    assert res['correct'] == 2 and res['num_gt'] == 5 and res['num_pred'] == 7
    assert (res['f1'], res['precision'], res['recall']) == pytest.approx((f1, precision, recall))


def test_random_videos_equal_the_reading():
    rng = np.random.default_rng(0)
    for _ in range(200):
        videos = []
        for _ in range(rng.integers(1, 4)):
            g_start = rng.integers(0, 300, rng.integers(1, 6))
            gestures = [(int(rng.integers(0, 3)), int(s), int(s + rng.integers(1, 60)))
                        for s in g_start]
            n = int(rng.integers(1, 8))
            begins = rng.integers(0, 300, n)
            videos.append((gestures, (rng.integers(0, 3, n).tolist(), begins.tolist(),
                                      (begins + rng.integers(1, 80, n)).tolist())))
        preds, gts = as_ours(videos)
        for alpha in (0.3, 0.5):
            res = kit_f1(preds, gts, alpha)
            assert (res['f1'], res['precision'], res['recall']) == pytest.approx(
                read_tester_smg(videos, alpha))


def test_no_predictions_or_unknown_videos():
    assert kit_f1({}, {'a': [(0, 9, 1)]})['f1'] == 0.0  # the kit would divide by zero
    with pytest.raises(ValueError, match='without ground truth'):
        kit_f1({'zzz': [(0, 1, 1, 1.0)]}, {'a': [(0, 9, 1)]})


def test_metric_and_report_give_both_rules():
    metric = MGOnlineDetectionMetric(iou_thr=0.5, map_thrs=(0.5, ))
    metric.process(None, [dict(video_id='a', pred_segments=np.array([[0, 100, 3, 0.9]]),
                               gt_segments=np.array([[0, 45, 3], [55, 100, 3]]))])
    out = metric.compute_metrics(metric.results)
    assert out['f1'] == 0.0 and out['f1_kit'] == pytest.approx(2 * 2 * 1 / (3 + 1e-7))
    assert out['precision_kit'] == 2.0 and out['recall_kit'] == 1.0
    scores, lines = online_report({'a': [(0, 100, 3, 0.9)]}, {'a': [(0, 45, 3), (55, 100, 3)]},
                                  0.5, [str(i) for i in range(5)])
    assert scores['kit']['correct'] == 2 and scores['tp'] == 0
    assert any(ln.startswith('kit F1: 1.3333') for ln in lines)
    assert lines[-1].startswith('F1: 0.0000')
