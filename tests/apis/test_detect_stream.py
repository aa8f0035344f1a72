"""One door for any model over a whole stream (mmimigue.apis.stream_detection)."""
import numpy as np
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

from mmimigue.apis import detect_stream, init_recognizer, sliding_window_scores
from mmimigue.skeleton import average_over_windows, layout_indices, probs_to_segments

ONLINE = 'configs/imigue/online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d.py'


def _stream(t=30, seed=0):
    rng = np.random.default_rng(seed)
    seq = np.zeros((t, 137, 3), np.float32)
    seq[:, :, :2] = rng.uniform(100, 600, (t, 137, 2))
    seq[:, :, 2] = 0.9
    seq[10:22] = 0  # nobody in frames 10..21
    return seq


def test_a_clip_model_gives_frame_probabilities_and_the_one_segmenter_s_segments(tiny_stgcn):
    model = init_recognizer(*tiny_stgcn)
    seq = _stream()
    out = detect_stream(model, seq, None, window=8, stride=4)
    windows = sliding_window_scores(model, model.cfg, seq, 8, 4, (720, 1280))
    np.testing.assert_allclose(out['windows']['probs'], windows['probs'], rtol=1e-5)
    # each frame: the mean over the windows covering it, background where nobody is
    per_window = np.concatenate([windows['probs'], (~windows['valid'])[:, None]], 1)
    want = average_over_windows(windows['starts'], np.repeat(per_window[:, None], 8, 1), 30)
    np.testing.assert_allclose(out['frame_probs'], want, rtol=1e-5)
    assert out['frame_probs'][14, 32] == 0.5  # windows at 8 (a person in 8, 9) and 12 (empty)
    assert out['segments'] == probs_to_segments(want, 32, smooth_frames=1, min_frames=1,
                                                merge_gap=0)
    for a, b, c, _ in out['segments']:  # every segment frame's top-1 is the segment's class
        assert (want[a:b + 1].argmax(1) == c).all()
    # a stream already in the config's layout gives the same answer
    same = detect_stream(model, seq[:, layout_indices('imigue22')], 'imigue22', 8, 4)
    assert same['segments'] == out['segments']


def test_an_online_model_runs_its_own_pass(tmp_path):
    cfg = Config.fromfile(ONLINE)
    cfg.model.update(hidden=8, num_layers=1, window=8, stride=4)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    model.cfg = cfg
    seq = _stream()
    out = detect_stream(model, seq)
    probs, segs = model.detect(torch.from_numpy(seq[:, layout_indices('imigue22')]))
    np.testing.assert_allclose(out['frame_probs'], probs)
    assert out['segments'] == segs and out['windows'] is None and out['layout'] == 'imigue22'


def test_a_stream_of_another_layout_is_refused(tiny_stgcn):
    model = init_recognizer(*tiny_stgcn)
    with pytest.raises(ValueError, match="holds layout 'body25' but the model reads 'imigue22'"):
        detect_stream(model, np.zeros((20, 25, 3), np.float32), 'body25')
    cfg = Config.fromfile(ONLINE)
    cfg.model.update(hidden=8, num_layers=1)
    online = MODELS.build(cfg.model).eval()
    online.cfg = cfg
    with pytest.raises(ValueError, match="'ntu25'"):
        detect_stream(online, np.zeros((20, 25, 3), np.float32), 'ntu25')
    with pytest.raises(ValueError, match='137 points'):
        detect_stream(online, np.zeros((20, 22, 3), np.float32), None)
