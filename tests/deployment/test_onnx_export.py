"""ONNX export with onnxruntime parity for every exported family, and the torch-free live detector
giving the same events as the torch one."""
import json
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config

pytest.importorskip('onnxruntime')
pytest.importorskip('onnx')

from mmimigue.apis import detect_live  # noqa: E402
from mmimigue.deployment import onnx_export  # noqa: E402
from mmimigue.deployment.onnx_export import ExportParityError, export_onnx  # noqa: E402
from mmimigue.deployment.onnx_live import OnnxLiveDetector  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
IMIGUE = osp.join(ROOT, 'configs', 'imigue')
NAMES = [f'class {k}' for k in range(32)]
CAUSAL = osp.join(IMIGUE, 'online_causal-gru_1xb32-w128-30e_imigue-xsub-stream-2d.py')

# every exported clip family, narrowed where its width does not change the graph
CLIP_FAMILIES = {
    'stgcn': ('stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py',
              dict(model=dict(backbone=dict(base_channels=16), cls_head=dict(in_channels=64)))),
    '2s-agcn': ('2s-agcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py', {}),
    'stgcnpp': ('stgcnpp_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py', {}),
    'gecn': ('gecn_1xb32-joint-u64-110e_imigue-xsub-keypoint-2d.py', {}),
    'visual-text': ('visual-text_stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py', {}),
    'dual-stream-linear': ('linear_dual-stream_4xb32-u64-100e_imigue-xsub-keypoint-2d.py', dict(
        model=dict(streams=dict(temporal=dict(backbone=dict(hidden_size=32, num_layers=1,
                                                            frozen_stages=1),
                                              cls_head=dict(in_channels=64)))))),
}


def _trained_like(model):
    """The classifier layers scaled up, so the probabilities are far from uniform as a trained
    model's are (random initialisation gives near-uniform outputs that hide differences; scaling
    every layer instead would saturate them to one-hot and hide them too)."""
    final = ('fc_cls.weight', 'fc.weight', 'cls.weight', 'boundary.weight')
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith(final) and ('cls' in name or name.startswith('boundary')):
                p.mul_(8.0)
    return model.eval()


@pytest.mark.parametrize('family', sorted(CLIP_FAMILIES))
def test_clip_families_export_with_parity(family, synthetic_imigue_pkl, tmp_path):
    name, options = CLIP_FAMILIES[family]
    cfg = Config.fromfile(osp.join(IMIGUE, name))
    cfg.merge_from_dict(options)
    torch.manual_seed(0)
    model = _trained_like(MODELS.build(cfg.model))
    from mmaction.registry import DATASETS
    ds = cfg.test_dataloader.dataset.copy()
    ds.update(ann_file=synthetic_imigue_pkl)
    dataset = DATASETS.build(ds)
    real = np.concatenate([dataset[i]['inputs'].numpy()[:1] for i in range(3)])
    out = str(tmp_path / f'{family}.onnx')
    result = export_onnx(model, out, NAMES, cfg=cfg, real_inputs=[real])
    assert result['kind'] == 'clip' and result['max_abs_diff'] <= onnx_export.TOLERANCE
    assert result['top1_agreement'] == 1.0
    import onnxruntime as ort
    sess = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    probs = sess.run(['probs'], {'skeleton': real})[0]
    with torch.no_grad():
        ref = onnx_export.ClipProbs(model)(torch.from_numpy(real)).numpy()
    np.testing.assert_allclose(probs, ref, atol=onnx_export.TOLERANCE)
    if family != 'visual-text':  # cosine logits at a fixed temperature stay near uniform
        assert probs.max() > 2 / 32  # not the uniform output of an untrained model
    meta = onnx_export.read_metadata(out)
    assert meta['kind'] == 'clip' and meta['class_names'] == NAMES
    assert meta['layout'] == 'imigue22' and meta['input_shape'] == list(real.shape[1:])


def _causal(hidden=24, layers=2):
    torch.manual_seed(0)
    model = MODELS.build(dict(Config.fromfile(CAUSAL).model, hidden=hidden, num_layers=layers,
                              postprocess=dict(smooth_frames=3, min_frames=2, merge_gap=1)))
    return _trained_like(model)


def _stream(t=300, seed=0):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(300, 900, (1, 22, 2)) + np.cumsum(rng.normal(0, 6, (t, 22, 2)), 0)
    return np.concatenate([xy, rng.uniform(0.3, 1, (t, 22, 1))], -1).astype(np.float32)


def test_the_causal_detector_exports_its_state_and_runs_without_torch(tmp_path):
    model, stream = _causal(), _stream()
    out = str(tmp_path / 'causal.onnx')
    result = export_onnx(model, out, NAMES, real_inputs=[stream])
    assert result['kind'] == 'causal' and result['max_abs_diff'] <= onnx_export.TOLERANCE
    # the onnxruntime live detector, fed frame by frame, gives the torch detector's events
    ref = detect_live(model, stream, chunk=1)
    assert len(ref) >= 3
    live = OnnxLiveDetector(out)
    events = [e for f in stream for e in live.push(f)] + live.flush()
    key = [(e['start'], e['end'], e['label'], e['emitted_at']) for e in events]
    assert key == [(e['start'], e['end'], e['label'], e['emitted_at']) for e in ref]
    np.testing.assert_allclose([e['score'] for e in events], [e['score'] for e in ref],
                               atol=1e-5)
    assert all(e['name'] == NAMES[e['label']] for e in events)
    # chunked pushes give the same events
    live2 = OnnxLiveDetector(out)
    chunked = [e for i in range(0, len(stream), 23) for e in live2.push(stream[i:i + 23])]
    assert [(e['start'], e['end'], e['label']) for e in chunked + live2.flush()] == \
        [k[:3] for k in key]
    # the live path imports neither torch nor mmengine
    code = ('import sys, numpy as np\n'
            'from mmimigue.deployment.onnx_live import OnnxLiveDetector\n'
            f'live = OnnxLiveDetector({out!r})\n'
            'live.push(np.ones((5, 22, 3), np.float32)); live.flush()\n'
            "print('torch' in sys.modules, 'mmengine' in sys.modules)")
    res = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=ROOT)
    assert res.stdout.split() == ['False', 'False'], res.stderr[-2000:]


def test_an_export_beyond_the_tolerance_is_not_written(tmp_path, monkeypatch):
    monkeypatch.setattr(onnx_export, 'TOLERANCE', -1.0)
    out = tmp_path / 'causal.onnx'
    with pytest.raises(ExportParityError, match='was not written'):
        export_onnx(_causal(hidden=8, layers=1), str(out), NAMES)
    assert not out.exists() and not list(tmp_path.iterdir())  # no temporary left either


def test_models_that_cannot_be_exported_are_refused(tmp_path):
    offline = MODELS.build(dict(type='MGOnlineTemporalNet', num_classes=32, hidden=8,
                                num_layers=1))
    with pytest.raises(TypeError, match='MGCausalStreamDetector'):
        export_onnx(offline, str(tmp_path / 'x.onnx'), NAMES)
    with pytest.raises(ValueError, match='not an exported causal'):
        clip = tmp_path / 'clip.onnx'
        cfg = Config.fromfile(osp.join(IMIGUE, CLIP_FAMILIES['stgcn'][0]))
        cfg.merge_from_dict(CLIP_FAMILIES['stgcn'][1])
        export_onnx(MODELS.build(cfg.model), str(clip), NAMES, cfg=cfg)
        OnnxLiveDetector(str(clip))


def test_export_tool_and_online_detect_on_onnx(tmp_path):
    """export_onnx.py on a checkpoint, then online_detect.py --live on the .onnx file: the
    torch path's events, and a frames/s figure for each."""
    from cli import run_tool
    from tiny_streams import tiny_streams
    pkl = tiny_streams(str(tmp_path), seed=4)
    cfg_path = tmp_path / 'causal.py'
    cfg_path.write_text(f'_base_ = [{CAUSAL!r}]\nmodel = dict(hidden=16, num_layers=1, '
                        'postprocess=dict(smooth_frames=1, min_frames=1, merge_gap=0))\n')
    model = _trained_like(MODELS.build(Config.fromfile(str(cfg_path)).model))
    ckpt = tmp_path / 'causal.pth'
    torch.save(dict(state_dict=model.state_dict(), meta={}), str(ckpt))
    onnx_file = tmp_path / 'causal.onnx'
    proc = run_tool('tools', 'deployment', 'export_onnx.py', args=[
        cfg_path, ckpt, '--out', onnx_file, '--check-data', pkl, '--check-samples', 2])
    assert 'real stream 1' in proc.stdout and onnx_file.is_file()
    runs = {}
    for kind, model_args in (('torch', [cfg_path, ckpt]), ('onnx', [onnx_file])):
        out = tmp_path / f'{kind}.json'
        run_tool('tools', 'online_detect.py', args=[*model_args, '--streams', pkl, '--out', out,
                                                    '--live', '--quiet-events'])
        runs[kind] = json.loads(out.read_text())
    strip = {v: [(d['start_frame'], d['end_frame'], d['label'], d['emitted_at_frame'])
                 for d in segs] for v, segs in runs['torch']['videos'].items()}
    assert strip == {v: [(d['start_frame'], d['end_frame'], d['label'], d['emitted_at_frame'])
                         for d in segs] for v, segs in runs['onnx']['videos'].items()}
    assert sum(map(len, strip.values())) > 0
    assert runs['onnx']['live']['frames_per_s'] > 0 and runs['torch']['live']['frames_per_s'] > 0
    # an .onnx model is only for --live; an output over the input is refused
    bad = run_tool('tools', 'online_detect.py', args=[onnx_file, '--streams', pkl, '--out',
                                                      tmp_path / 'x.json'], check=False)
    assert bad.returncode != 0 and '--live' in bad.stderr
    bad = run_tool('tools', 'deployment', 'export_onnx.py', args=[cfg_path, ckpt, '--out', ckpt],
                   check=False)
    assert bad.returncode != 0 and ckpt.stat().st_size > 0
