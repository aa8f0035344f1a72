"""tools/analysis/fuse_scores.py: the fusion equation, clip matching, weight search, submissions."""
import io
import zipfile

import numpy as np
import pytest
import torch
from cli import run_tool

from mmimigue.evaluation.fusion import fuse_dumps, simplex_grid


def fuse_cli(args, check=True):
    return run_tool('tools', 'analysis', 'fuse_scores.py', args=args, check=check)


def _dump(path, ids, scores, labels):
    """A score dump as tools/test.py --dump writes it (through MGScoreDump itself)."""
    from mmimigue.evaluation import MGScoreDump
    metric = MGScoreDump(str(path))
    metric.process(None, [dict(frame_dir=i, pred_score=torch.tensor(s, dtype=torch.float32),
                               gt_label=torch.tensor([y])) for i, s, y in
                          zip(ids, scores, labels)])
    metric.compute_metrics(metric.results)
    return str(path)


# Three clips, three classes; probabilities, so --normalize prob keeps them as they are.
IDS = ['0001_0', '0001_1', '0002_0']
LABELS = [0, 1, 2]
JOINT = np.array([[.6, .3, .1], [.5, .4, .1], [.2, .5, .3]])  # right on clip 0 only
BONE = np.array([[.2, .7, .1], [.1, .8, .1], [.1, .2, .7]])  # right on clips 1, 2


def test_fusion_equals_a_hand_computation(tmp_path):
    j = _dump(tmp_path / 'j.pkl', IDS, JOINT, LABELS)
    b = _dump(tmp_path / 'b.pkl', IDS, BONE, LABELS)
    res = fuse_dumps([j, b], weights=[0.75, 0.25])
    # by hand: 0.75 * joint + 0.25 * bone
    # clip 0: [.5, .4, .1] -> 0 (right); clip 1: [.4, .5, .1] -> 1 (right);
    # clip 2: [.175, .425, .4] -> 1 (wrong)
    acc = res['accuracy']
    assert acc['j']['top1'] == pytest.approx(1 / 3)
    assert acc['b']['top1'] == pytest.approx(2 / 3)
    assert acc['fused']['top1'] == pytest.approx(2 / 3)
    assert acc['fused']['mean_class'] == pytest.approx((1 + 1 + 0) / 3)
    np.testing.assert_allclose(res['fused'].scores[2], [.175, .425, .4], rtol=1e-6)
    # the command line writes the same fused scores and prints the table
    out = fuse_cli([j, b, '--weights', '0.75', '0.25', '--out', tmp_path / 'f.pkl']).stdout
    from mmimigue.evaluation import load_score_dump
    fused = load_score_dump(str(tmp_path / 'f.pkl'))
    np.testing.assert_allclose(fused[2]['pred_score'], [.175, .425, .4], rtol=1e-6)
    assert [r['frame_dir'] for r in fused] == IDS
    assert 'fused' in out and '0.6667' in out


def test_shuffled_dumps_are_reordered(tmp_path):
    j = _dump(tmp_path / 'j.pkl', IDS, JOINT, LABELS)
    order = [2, 0, 1]
    b = _dump(tmp_path / 'b.pkl', [IDS[i] for i in order], BONE[order],
              [LABELS[i] for i in order])
    res = fuse_dumps([j, b], weights=[0.75, 0.25])
    assert res['accuracy']['fused']['top1'] == pytest.approx(2 / 3)  # as if b were in j's order
    np.testing.assert_allclose(res['fused'].scores[0], [.5, .4, .1], rtol=1e-6)


def test_dumps_over_different_clips_are_refused(tmp_path):
    j = _dump(tmp_path / 'j.pkl', IDS, JOINT, LABELS)
    b = _dump(tmp_path / 'b.pkl', ['0001_0', '0001_1', '0009_0'], BONE, LABELS)
    with pytest.raises(ValueError, match=r"1 of its clips are missing \(e.g. \['0002_0'\]\) "
                       r"and 1 are extra \(e.g. \['0009_0'\]\)"):
        fuse_dumps([j, b])
    short = _dump(tmp_path / 's.pkl', IDS[:2], BONE[:2], LABELS[:2])
    with pytest.raises(ValueError, match='covers other clips'):
        fuse_dumps([j, short])
    relabelled = _dump(tmp_path / 'r.pkl', IDS, BONE, [0, 1, 0])
    with pytest.raises(ValueError, match='different labels'):
        fuse_dumps([j, relabelled])
    twice = _dump(tmp_path / 't.pkl', ['a', 'a', 'b'], BONE, LABELS)
    with pytest.raises(ValueError, match='more than once'):
        fuse_dumps([twice])


def test_weight_search_uses_the_validation_dumps(tmp_path):
    """On validation only the bone stream is right, so the search puts all weight on it; the
    test dumps are then fused with that weight."""
    val_ids = ['v0', 'v1']
    vj = _dump(tmp_path / 'vj.pkl', val_ids, [[.1, .9, 0], [.9, .1, 0]], [0, 1])
    vb = _dump(tmp_path / 'vb.pkl', val_ids, [[.9, .1, 0], [.1, .9, 0]], [0, 1])
    j = _dump(tmp_path / 'j.pkl', IDS, JOINT, LABELS)
    b = _dump(tmp_path / 'b.pkl', IDS, BONE, LABELS)
    res = fuse_dumps([j, b], val=[vj, vb], grid_step=0.25)
    assert res['weights'] == [0.0, 1.0]
    assert res['search']['val']['top1'] == 1.0
    assert res['accuracy']['fused'] == res['accuracy']['b']
    np.testing.assert_allclose(simplex_grid(3, 0.5),
                               [[0, 0, 1], [0, .5, .5], [0, 1, 0], [.5, 0, .5], [.5, .5, 0],
                                [1, 0, 0]])


def test_both_submission_files_are_byte_exact(tmp_path):
    ids = ['0187_0', '0187_1', '0200_3']
    scores = np.array([[.1, .9, 0], [.8, .1, .1], [0, .3, .7]])
    d = _dump(tmp_path / 'test.pkl', ids, scores, [-1, -1, -1])  # a challenge test set
    s23, s24 = tmp_path / 'sub.csv', tmp_path / 'sub.zip'
    out = fuse_cli([d, '--submission-2023', s23, '--submission-2024', s24]).stdout
    assert 'no accuracy' in out  # no labels, no accuracy
    assert s23.read_bytes() == b'0187_0,1\n0187_1,0\n0200_3,2\n'
    with zipfile.ZipFile(io.BytesIO(s24.read_bytes())) as z:
        assert z.namelist() == ['submission.csv']
        assert z.read('submission.csv') == b'Id,Target\n0187_0,1\n0187_1,0\n0200_3,2\n'
    first = s24.read_bytes()
    fuse_cli([d, '--submission-2024', s24])
    assert s24.read_bytes() == first  # deterministic bytes (fixed zip timestamp)
    fuse_cli([d, '--submission-2023', s23, '--index-ids'])
    assert s23.read_bytes() == b'0,1\n1,0\n2,2\n'
    # 2023 as the organisers' baseline and winner submitted it: Submission.csv in a zip
    z23 = tmp_path / 'Submission.zip'
    fuse_cli([d, '--submission-2023', z23])
    with zipfile.ZipFile(io.BytesIO(z23.read_bytes())) as z:
        assert z.namelist() == ['Submission.csv'] and z.testzip() is None
        assert z.read('Submission.csv') == b'0187_0,1\n0187_1,0\n0200_3,2\n'
    # the 2024+ member name is an option; the rows stay the same
    fuse_cli([d, '--submission-2024', s24, '--submission-member', 'prediction.csv'])
    with zipfile.ZipFile(io.BytesIO(s24.read_bytes())) as z:
        assert z.namelist() == ['prediction.csv']
        assert z.read('prediction.csv') == b'Id,Target\n0187_0,1\n0187_1,0\n0200_3,2\n'
    proc = fuse_cli([d, '--submission-2024', s24, '--submission-member', '../x.csv'],
                    check=False)
    assert proc.returncode == 2 and 'plain csv file name' in proc.stderr


def test_bad_arguments_are_clear(tmp_path):
    j = _dump(tmp_path / 'j.pkl', IDS, JOINT, LABELS)
    assert 'one value per dump' in fuse_cli([j, j, '--weights', '1'], check=False).stderr
    assert '--search needs --val' in fuse_cli([j, '--search'], check=False).stderr
    with pytest.raises(ValueError, match='grid-step'):
        simplex_grid(2, 0.3)
    proc = fuse_cli([tmp_path / 'missing.pkl'], check=False)
    assert proc.returncode == 1 and '--dump' in proc.stderr


def test_outputs_never_replace_an_input_dump(tmp_path):
    j = _dump(tmp_path / 'j.pkl', IDS, JOINT, LABELS)
    b = _dump(tmp_path / 'b.pkl', IDS, BONE, LABELS)
    before = open(j, 'rb').read()
    for opt in ('--out', '--submission-2023', '--submission-2024'):
        target = j if opt != '--submission-2024' else str(tmp_path / 'j.zip')
        if opt == '--submission-2024':
            import os
            os.link(j, target)  # a hard link to an input is the input
        proc = fuse_cli([j, b, opt, target], check=False)
        assert proc.returncode == 1 and 'would overwrite the input' in proc.stderr, proc.stderr
    assert open(j, 'rb').read() == before


def test_non_finite_scores_and_bad_ids_never_reach_a_submission(tmp_path):
    from mmimigue.evaluation.submissions import submission_rows
    bad = _dump(tmp_path / 'nan.pkl', IDS, np.where(JOINT > .5, np.nan, JOINT), LABELS)
    proc = fuse_cli([bad, '--submission-2023', tmp_path / 's.csv'], check=False)
    assert proc.returncode == 1 and 'non-finite scores' in proc.stderr and '0001_0' in proc.stderr
    assert not (tmp_path / 's.csv').exists()
    with pytest.raises(ValueError, match='not a challenge sample name'):
        submission_rows(['0187_0', '0187_1,5\n9999_9'], JOINT[:2], index_ids=False)
    with pytest.raises(ValueError, match='non-finite'):
        submission_rows(IDS, np.full((3, 3), np.nan), index_ids=False)
    j = _dump(tmp_path / 'j.pkl', IDS, JOINT, LABELS)
    assert 'weights must be finite' in fuse_cli([j, '--weights', 'nan'], check=False).stderr
    assert 'weights must be finite' in fuse_cli([j, '--weights', '-1'], check=False).stderr


def test_validation_dumps_of_another_class_count_are_refused(tmp_path):
    j = _dump(tmp_path / 'j.pkl', IDS, JOINT, LABELS)
    v = _dump(tmp_path / 'v.pkl', ['v0', 'v1'], [[.5, .5], [.2, .8]], [0, 1])
    with pytest.raises(ValueError, match='validation dumps score 2 classes'):
        fuse_dumps([j], val=[v])
