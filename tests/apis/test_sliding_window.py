"""Sliding-window inference over a skeleton stream (mmimigue.apis.sliding_window)."""
import numpy as np
import pytest
import torch

from mmimigue.apis import init_recognizer, skeleton_test_pipeline, sliding_window_scores


def test_refuses_non_openpose_layouts_and_rgb_pipelines():
    from mmengine.config import Config
    smg = Config(dict(test_dataloader=dict(dataset=dict(
        type='MGSMGSkeletonDataset', layout='ntu25', pipeline=[dict(type='PoseDecode')]))))
    with pytest.raises(ValueError, match='ntu25'):
        skeleton_test_pipeline(smg)
    rgb = Config(dict(test_dataloader=dict(dataset=dict(
        type='MGIMiGUERGBDataset', pipeline=[dict(type='DecordInit'), dict(type='DecordDecode')]))))
    with pytest.raises(ValueError, match='skeleton-based'):
        skeleton_test_pipeline(rgb)
    ok = Config(dict(test_dataloader=dict(dataset=dict(
        layout='body25', pipeline=[dict(type='MGLoadStoredKeypoints'), dict(type='PoseDecode')]))))
    pipeline, layout = skeleton_test_pipeline(ok)
    assert layout == 'body25' and [t['type'] for t in pipeline] == ['PoseDecode']


def test_sliding_window_scores_match_one_clip_at_a_time(tiny_stgcn):
    """Every window with a person is scored like the same window alone; empty ones are not run."""
    model = init_recognizer(*tiny_stgcn)
    cfg = model.cfg
    rng = np.random.default_rng(0)
    seq = np.zeros((30, 137, 3), np.float32)
    seq[:, :, :2] = rng.uniform(100, 600, (30, 137, 2))
    seq[:, :, 2] = 0.9
    seq[10:22] = 0  # nobody in frames 10..21: the window starting at 12 is empty
    out = sliding_window_scores(model, cfg, seq, window=8, stride=4, img_shape=(720, 1280))
    assert out['starts'].tolist() == [0, 4, 8, 12, 16, 20, 22]
    assert out['valid'].tolist() == [True, True, True, False, True, True, True]
    assert not out['scores'][3].any() and out['scores'].shape == (7, 32)
    np.testing.assert_allclose(out['probs'][out['valid']].sum(-1), 1, rtol=1e-5)
    torch.manual_seed(0)
    alone = sliding_window_scores(model, cfg, seq[16:24], window=8, stride=4,
                                  img_shape=(720, 1280))
    np.testing.assert_allclose(alone['scores'][0], out['scores'][4], rtol=1e-4, atol=1e-6)
