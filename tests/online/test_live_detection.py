"""Live MG recognition: the causal model, its segmenter and MGLiveDetector (push / flush)."""
import tracemalloc

import numpy as np
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.registry import init_default_scope

from mmimigue.apis import MGLiveDetector, detect_live, detect_stream
from mmimigue.skeleton import CausalSegmenter, probs_to_segments

BG = 4  # 4 MG classes + background in the segmenter tests


@pytest.fixture(autouse=True)
def _scope():
    init_default_scope('mmaction')


def _model(seed=0, **kw):
    torch.manual_seed(seed)
    model = MODELS.build(dict(type='MGCausalStreamDetector', num_classes=32, hidden=24,
                              num_layers=2, **kw))
    return model.eval()


def _stream(t=400, seed=0):
    """imigue22 frames: a slowly moving body with bursts of hand motion (varied model output)."""
    rng = np.random.default_rng(seed)
    base = rng.uniform(300, 900, (1, 22, 2))
    wobble = np.cumsum(rng.normal(0, 6, (t, 22, 2)), 0)
    xy = base + wobble
    score = rng.uniform(0.3, 1, (t, 22, 1))
    score[rng.random((t, 22)) < 0.05] = 0  # missed joints
    return np.concatenate([xy, score], -1).astype(np.float32)


def _one_hot_run(labels):
    p = np.full((len(labels), BG + 1), 0.01)
    p[np.arange(len(labels)), labels] = 1
    return p / p.sum(1, keepdims=True)


def _same_events(a, b):
    """Equal frames, labels and names; scores equal up to float rounding of the GRU's kernels."""
    key = [{k: v for k, v in e.items() if k not in ('score', 'probs')} for e in a]
    assert key == [{k: v for k, v in e.items() if k not in ('score', 'probs')} for e in b]
    np.testing.assert_allclose([e['score'] for e in a], [e['score'] for e in b], rtol=1e-5)
    np.testing.assert_allclose([e['probs'] for e in a], [e['probs'] for e in b], atol=1e-6)
    return True


def test_segmenter_rules_and_emission_frames():
    # MG 2 for 10 frames, 3 background (bridged), MG 2 for 5, then background 10: one segment
    labels = [BG] * 5 + [2] * 10 + [BG] * 3 + [2] * 5 + [BG] * 10 + [1] * 8 + [3] * 3 + [BG] * 2
    seg = CausalSegmenter(BG, smooth_frames=1, min_frames=6, merge_gap=4)
    events = seg.update(_one_hot_run(labels))
    first = dict(label=2, start=5, end=22, emitted_at=27)  # the 5th background frame in a row
    assert {k: events[0][k] for k in first} == first
    # MG 1 closes where MG 3 begins (decided there); MG 3 (3 frames) is shorter than min_frames
    assert {k: events[1][k] for k in ('label', 'start', 'end', 'emitted_at')} == \
        dict(label=1, start=33, end=40, emitted_at=41)
    assert len(events) == 2 and seg.flush() == []
    assert events[0]['score'] == pytest.approx(1 / 1.04)  # mean probability of its 15 MG frames
    assert events[0]['probs'] == pytest.approx(_one_hot_run([2])[0])


def test_segmenter_splits_at_a_rising_start_and_flushes_the_open_run():
    labels = [1] * 20
    starts = np.zeros(20)
    starts[[9, 10]] = 0.9  # one rise through 0.5 at frame 9
    seg = CausalSegmenter(BG, smooth_frames=1, min_frames=3, merge_gap=2)
    events = seg.update(_one_hot_run(labels), starts)
    assert [(e['start'], e['end'], e['emitted_at']) for e in events] == [(0, 8, 9)]
    assert [(e['start'], e['end'], e['emitted_at']) for e in seg.flush()] == [(9, 19, 19)]


def test_segmenter_is_causal_and_chunk_independent():
    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.ones(BG + 1) * 0.3, 600)
    probs = np.repeat(probs[::6], 6, 0)  # runs of a few frames
    starts = rng.random(600)
    whole = CausalSegmenter(BG, smooth_frames=5, min_frames=4, merge_gap=3)
    ref = whole.update(probs, starts) + whole.flush()
    assert len(ref) > 10
    for sizes in ([1], [7], [1, 50, 3, 200]):
        seg, events, i, k = CausalSegmenter(BG, smooth_frames=5, min_frames=4, merge_gap=3), [], 0, 0
        while i < len(probs):
            n = sizes[k % len(sizes)]
            events += seg.update(probs[i:i + n], starts[i:i + n])
            i, k = i + n, k + 1
        events += seg.flush()
        assert events == ref
    # an event never depends on frames after it was emitted
    for e in ref[:5]:
        cut = CausalSegmenter(BG, smooth_frames=5, min_frames=4, merge_gap=3)
        assert e in cut.update(probs[:e['emitted_at'] + 1], starts[:e['emitted_at'] + 1])


def test_segmenter_agrees_with_the_offline_segmenter_on_clean_runs():
    labels = [BG] * 8 + [0] * 12 + [BG] * 20 + [3] * 9 + [BG] * 15 + [1] * 30 + [BG] * 10
    probs = _one_hot_run(labels)
    offline = [(a, b, c) for a, b, c, _ in probs_to_segments(probs, BG, smooth_frames=1,
                                                             min_frames=6, merge_gap=4)]
    seg = CausalSegmenter(BG, smooth_frames=1, min_frames=6, merge_gap=4)
    live = [(e['start'], e['end'], e['label']) for e in seg.update(probs) + seg.flush()]
    assert live == offline == [(8, 19, 0), (40, 48, 3), (64, 93, 1)]


def test_segmenter_refuses_bad_input():
    seg = CausalSegmenter(BG)
    with pytest.raises(ValueError, match=r'\(n, 5\)'):
        seg.update(np.ones((3, 4)))
    with pytest.raises(ValueError, match='NaN'):
        seg.update(np.full((2, 5), np.nan))
    with pytest.raises(ValueError, match='merge_gap'):
        CausalSegmenter(BG, merge_gap=-1)


def test_the_model_is_causal():
    """Changing a later frame changes no earlier output."""
    model, x = _model(), torch.from_numpy(_stream(120))
    p1, s1, _ = model.stream_step(x)
    y = x.clone()
    y[80:] += 50
    p2, s2, _ = model.stream_step(y)
    np.testing.assert_array_equal(p1[:80], p2[:80])
    assert not np.allclose(p1[80:], p2[80:])


def test_pushing_frame_by_frame_equals_one_call_and_detect():
    model, stream = _model(postprocess=dict(smooth_frames=3, min_frames=2, merge_gap=1)), _stream()
    one_call = detect_live(model, stream, chunk=len(stream))
    assert len(one_call) >= 3, one_call  # an untrained model still flickers between classes
    assert _same_events(detect_live(model, stream, chunk=1), one_call)
    assert _same_events(detect_live(model, stream, chunk=37), one_call)
    # detect_stream (tools/online_detect.py) gives the same segments
    model.cfg = None
    segments = detect_stream(model, stream, layout='imigue22')['segments']
    assert [(a, b, c) for a, b, c, _ in segments] == \
        [(e['start'], e['end'], e['label']) for e in one_call]
    for e in one_call:
        assert e['start'] <= e['end'] <= e['emitted_at']


def test_state_survives_pushes_of_any_size_and_memory_does_not_grow():
    model, stream = _model(), _stream(3000, seed=2)
    live = MGLiveDetector(model, class_names=[f'c{k}' for k in range(32)])
    rng = np.random.default_rng(0)
    i, events = 0, []
    tracemalloc.start()
    marks = {}
    while i < len(stream):
        n = int(rng.integers(1, 40))
        events += live.push(stream[i:i + n])
        i += n
        if i >= 1000 and 'early' not in marks:
            marks['early'] = tracemalloc.get_traced_memory()[0]
    marks['late'] = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    assert live.frames == 3000 and live.last_probs.shape == (33,)
    assert marks['late'] - marks['early'] < 64 * 1024  # events only, not frames
    h = live._state['h']
    assert h.shape == (2, 1, 24)  # the carried state is one vector per layer, whatever the length
    assert len(live._segmenter._window) == 4  # smooth_frames - 1
    events += live.flush()
    assert live.frames == 0 and all(e['name'] == f"c{e['label']}" for e in events)
    assert _same_events(events, [dict(e, name=f"c{e['label']}")
                                 for e in detect_live(model, stream, chunk=len(stream))])


def test_live_detector_refuses_a_non_causal_model_and_bad_frames():
    offline = MODELS.build(dict(type='MGOnlineTemporalNet', num_classes=32, hidden=8,
                                num_layers=1))
    with pytest.raises(TypeError, match='causal'):
        MGLiveDetector(offline)
    live = MGLiveDetector(_model())
    with pytest.raises(ValueError, match='22 joints'):
        live.push(np.zeros((3, 25, 3), np.float32))
    with pytest.raises(ValueError, match='one frame'):
        live.push(np.zeros(3, np.float32))
    assert live.push(np.zeros((0, 22, 3), np.float32)) == []
    # a frame with NaN keypoints reads as undetected joints, not as NaN probabilities
    frame = _stream(2)
    frame[1, :5] = np.nan
    live.push(frame)
    assert np.isfinite(live.last_probs).all()


def test_online_detect_live_prints_events_and_the_closing_line(tmp_path):
    """tools/online_detect.py --live on converted streams: events as emitted, the summary line,
    the same segments as the one-call detector, and the offline model's F1 beside it."""
    import json
    import os.path as osp
    import pickle

    from cli import run_tool
    from mmengine.config import Config
    from tiny_streams import tiny_streams
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    pkl = tiny_streams(str(tmp_path), seed=3)
    paths = {}
    for kind, name, extra in (
            ('live', 'online_causal-gru_1xb32-w128-30e_imigue-xsub-stream-2d.py',
             'hidden=16, num_layers=1, postprocess=dict(smooth_frames=1, min_frames=1, '
             'merge_gap=0)'),
            ('offline', 'online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d.py',
             'hidden=16, num_layers=1')):
        cfg_path = tmp_path / f'{kind}.py'
        cfg_path.write_text(f"_base_ = [{osp.join(root, 'configs', 'imigue', name)!r}]\n"
                            f"model = dict({extra})\n")
        torch.manual_seed(0)
        model = MODELS.build(Config.fromfile(str(cfg_path)).model)
        torch.save(dict(state_dict=model.state_dict(), meta={}), str(tmp_path / f'{kind}.pth'))
        paths[kind] = (str(cfg_path), str(tmp_path / f'{kind}.pth'), model.eval())
    out = tmp_path / 'live.json'
    proc = run_tool('tools', 'online_detect.py', args=[
        paths['live'][0], paths['live'][1], '--streams', pkl, '--out', out, '--live',
        '--offline-config', paths['offline'][0], '--offline-checkpoint', paths['offline'][1]])
    saved = json.loads(out.read_text())
    with open(pkl, 'rb') as f:
        content = pickle.load(f)
    store = np.load(pkl.replace('.pkl', '.streams.npy'))
    total = content['meta']['summary']['frames']
    assert saved['live']['frames'] == total
    line = next(x for x in proc.stdout.splitlines() if x.startswith('live: '))
    assert line.startswith(f'live: {total} frames, ') and ' F1 kit ' in line and ' strict ' in line
    assert 'offline offline.py: F1 kit ' in proc.stdout and 'f1_kit' in saved['live']['offline']
    printed = [x for x in proc.stdout.splitlines() if x.startswith('[live] ')]
    detected = sum(len(v) for v in saved['videos'].values())
    assert detected > 0 and len(printed) == detected
    for s in content['streams']:  # frame-by-frame pushes = the one-call detector
        frames = torch.from_numpy(store[s['offset']:s['offset'] + s['num_frames']])
        _, segs = paths['live'][2].detect(frames)
        got = saved['videos'][s['video_id']]
        assert [(d['start_frame'], d['end_frame'], d['label']) for d in got] == \
            [(a, b, c) for a, b, c, _ in segs]
        assert all(d['emitted_at_frame'] >= d['end_frame'] for d in got)
    # a non-causal model is refused with the reason
    bad = run_tool('tools', 'online_detect.py', args=[
        paths['offline'][0], paths['offline'][1], '--streams', pkl, '--out', tmp_path / 'x.json',
        '--live'], check=False)
    assert bad.returncode != 0 and 'causal' in bad.stderr
