"""tools/demo/live_demo.py on the real NTU sample video: MediaPipe pose -> causal detector ->
overlay video, events as decided, the closing frames/s line with its bottleneck."""
import os.path as osp

import cv2
import pytest
import torch
from cli import run_tool
from mmaction.registry import MODELS
from mmengine.config import Config
from test_video_demo import VIDEO

from mmimigue.pose.holistic_stream import mediapipe_available
from mmimigue.registration import register_all_modules

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CAUSAL = osp.join(ROOT, 'configs', 'imigue', 'online_causal-gru_1xb32-w128-30e_imigue-xsub-stream-2d.py')
EMOTION = osp.join(ROOT, 'configs', 'imigue', 'lstm_1xb16-prob-100e_imigue-emotion.py')


@pytest.mark.skipif(not mediapipe_available(), reason='needs mediapipe (pip install -e .[pose])')
@pytest.mark.skipif(not osp.isfile(VIDEO), reason=f'{VIDEO} not found')
def test_live_demo_on_the_sample_video(tmp_path):
    register_all_modules()
    cfg_path = tmp_path / 'live.py'
    cfg_path.write_text(f"_base_ = [{CAUSAL!r}]\n"
                        "model = dict(hidden=16, num_layers=1, postprocess=dict(smooth_frames=1, "
                        "min_frames=1, merge_gap=0))\n")
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(cfg_path)).model)
    ckpt = tmp_path / 'live.pth'
    torch.save(dict(state_dict=model.state_dict(), meta={}), str(ckpt))
    emo_cfg = tmp_path / 'emotion.py'
    emo_cfg.write_text(f"_base_ = [{EMOTION!r}]\nmodel = dict(backbone=dict(hidden_channels=8, "
                       "num_layers=1), cls_head=dict(in_channels=8))\n")
    emo = MODELS.build(Config.fromfile(str(emo_cfg)).model)
    torch.save(dict(state_dict=emo.state_dict(), meta={}), str(tmp_path / 'emotion.pth'))
    out = tmp_path / 'live.mp4'
    proc = run_tool('tools', 'demo', 'live_demo.py', args=[
        VIDEO, cfg_path, ckpt, '--out-video', out, '--max-frames', 24, '--emotion-config',
        emo_cfg, '--emotion-ckpt', tmp_path / 'emotion.pth'])
    line = next(x for x in proc.stdout.splitlines() if x.startswith('live_demo: 24 frames'))
    assert 'per frame: pose ' in line and 'bottleneck: ' in line
    assert any(x.startswith('[live] ') for x in proc.stdout.splitlines())  # untrained: flickers
    assert 'note: the video is 1 s long' in proc.stdout  # outside the interview domain
    # the emotion model read the MGs found so far (their mean probabilities)
    assert 'live_demo: emotion: ' in proc.stdout and 'p(win) = ' in proc.stdout
    cap = cv2.VideoCapture(str(out))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 24
    # the work dir would be the input; an output replacing the checkpoint is refused
    bad = run_tool('tools', 'demo', 'live_demo.py', args=[
        VIDEO, cfg_path, ckpt, '--out-video', ckpt], check=False)
    assert bad.returncode != 0 and ckpt.stat().st_size > 0
    missing = run_tool('tools', 'demo', 'live_demo.py', args=[
        tmp_path / 'nope.avi', cfg_path, ckpt], check=False)
    assert missing.returncode != 0 and 'cannot open' in missing.stderr
