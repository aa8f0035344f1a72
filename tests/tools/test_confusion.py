"""tools/analysis/confusion.py: counts, per-class accuracy, dump parsing, PNG output."""
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from cli import run_tool

from mmimigue.evaluation import confusion

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def confusion_cli(args, check=True):
    return run_tool('tools', 'analysis', 'confusion.py', args=args, check=check)


def test_counts_and_per_class_accuracy():
    gt = np.array([0, 0, 0, 1, 1, 3])
    pred = np.array([0, 0, 1, 1, 0, 2])
    cm = confusion.confusion_matrix(gt, pred, 4)
    expected = np.zeros((4, 4), int)
    expected[0, 0], expected[0, 1], expected[1, 1], expected[1, 0], expected[3, 2] = 2, 1, 1, 1, 1
    np.testing.assert_array_equal(cm, expected)
    acc = confusion.per_class_accuracy(cm)
    np.testing.assert_allclose(acc[[0, 1, 3]], [2 / 3, 1 / 2, 0])
    assert np.isnan(acc[2])  # no test clips of class 2
    stats = confusion.summary(cm)
    assert stats['top1'] == pytest.approx(3 / 6)
    assert stats['mean_class'] == pytest.approx((2 / 3 + 1 / 2 + 0) / 3)
    np.testing.assert_array_equal(confusion.class_order(cm, 'frequency'), [0, 1, 3, 2])
    with pytest.raises(ValueError, match='--dataset'):
        confusion.confusion_matrix(gt, pred, 3)


def _dump(path, gt, scores):
    """What tools/test.py --dump writes (MGScoreDump), through the metric itself."""
    from mmimigue.evaluation import MGScoreDump
    metric = MGScoreDump(str(path))
    metric.process(None, [dict(frame_dir=f'v_{i}', gt_label=torch.tensor([y]),
                               pred_score=torch.tensor(s, dtype=torch.float32))
                          for i, (y, s) in enumerate(zip(gt, scores))])
    metric.compute_metrics(metric.results)


def test_cli_writes_png_and_csv(tmp_path):
    rng = np.random.default_rng(0)
    gt = rng.integers(0, 32, size=120)
    scores = rng.random((120, 32))
    scores[np.arange(60), gt[:60]] += 2  # half of the clips right
    dump = tmp_path / 'results.pkl'
    _dump(dump, gt, scores)
    out, csv = tmp_path / 'cm.png', tmp_path / 'per_class.csv'
    printed = confusion_cli([dump, '--out', out, '--csv', csv, '--title', 'test']).stdout
    assert out.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n'
    pred = scores.argmax(1)
    assert f'top-1 {100 * (pred == gt).mean():.2f}%' in printed
    lines = csv.read_text().splitlines()
    assert lines[0] == 'label,name,support,correct,accuracy'
    assert len(lines) == 33 and '"Turtle neck"' in lines[1]
    support = sum(int(ln.split(',')[-3]) for ln in lines[1:])
    assert support == 120


def test_mismatched_class_count_is_a_clear_error(tmp_path):
    dump = tmp_path / 'results.pkl'
    _dump(dump, [0, 1, 2], np.eye(17)[[0, 1, 2]])
    proc = confusion_cli([dump, '--out', tmp_path / 'x.png'], check=False)
    assert proc.returncode != 0 and '--dataset' in proc.stderr
    printed = confusion_cli([dump, '--dataset', 'smg', '--out', tmp_path / 'x.png']).stdout
    assert 'top-1 100.00%' in printed
    proc = confusion_cli([tmp_path / 'missing.pkl'], check=False)
    assert proc.returncode != 0 and '--dump' in proc.stderr


def test_a_pickle_that_asks_for_code_is_refused(tmp_path):
    """A dump is read with the data-only unpickler: an mmengine DumpResults pickle (tensors) is
    refused with the command that writes a score dump, and nothing in it runs."""
    dump = tmp_path / 'results.pkl'
    with open(dump, 'wb') as f:
        pickle.dump([dict(pred_score=torch.ones(3), gt_label=torch.tensor([0]))], f)
    with pytest.raises(ValueError, match='tools/test.py CONFIG CKPT --dump'):
        confusion.load_predictions(str(dump))


def test_classes_without_test_clips_get_a_visible_grey_band(tmp_path, monkeypatch):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    from mmimigue.visualization.confusion import plot
    kept = []
    monkeypatch.setattr(plt, 'close', lambda fig=None: kept.append(fig))
    cm = np.array([[3, 1, 0], [0, 0, 0], [1, 0, 2]])  # class 1 has no test clips
    plot(cm, ['a', 'b', 'c'], str(tmp_path / 'c.png'), order='label')
    ax_bar = kept[0].axes[1]  # matrix, bars, colour bar
    grey = [p for p in ax_bar.patches if p.get_facecolor()[:3] == (0.85, 0.85, 0.85)]
    assert len(grey) == 1 and grey[0].get_width() == 1.0
    assert 'grey band: no test clips' in ax_bar.get_title()
