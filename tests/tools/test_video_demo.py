"""Raw video -> pose JSON -> sliding-window MG timeline + emotion (tools/demo/video_demo.py)."""
import glob
import json
import os.path as osp
from collections import Counter

import numpy as np
import pytest
import torch
from cli import run_tool

from mmimigue.apis import init_recognizer, to_probability
from mmimigue.emotion.wording import emotion_wording
from mmimigue.pose import frame_file_name, holistic_to_openpose, openpose_frame_json
from mmimigue.visualization.timeline import class_colours, window_cells

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VIDEO = osp.join(osp.dirname(ROOT), 'shared', 'data', 'videos',
                 'ntu_S001C001P001R001A001_drink_water.avi')
CLIP_CONFIG = osp.join(ROOT, 'configs', 'imigue',
                       'stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py')
EMO_CONFIG = osp.join(ROOT, 'configs', 'imigue', 'lstm_1xb16-prob-100e_imigue-emotion.py')
ONLINE_CONFIG = osp.join(ROOT, 'configs', 'imigue',
                         'online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d.py')


def mediapipe_available() -> bool:
    try:
        import mediapipe as mp
        return hasattr(mp, 'solutions') and hasattr(mp.solutions, 'holistic')
    except Exception:  # noqa: BLE001  (broken installs raise many kinds of errors)
        return False


def demo(args, check=True):
    """Run tools/demo/video_demo.py; its timeline JSON (or the process, without ``check``)."""
    proc = run_tool('tools', 'demo', 'video_demo.py', args=args, check=check)
    if not check:
        return proc
    out_dir = args[args.index('--out-dir') + 1]
    video_id = osp.splitext(osp.basename(args[0]))[0]
    with open(osp.join(out_dir, f'{video_id}_timeline.json')) as f:
        return json.load(f)


@pytest.fixture(scope='module')
def tiny_models(tmp_path_factory):
    """Tiny randomly initialised ST-GCN (iMiGUE classes) and emotion LSTM + checkpoints."""
    from mmaction.registry import MODELS
    from mmengine.config import Config
    out = tmp_path_factory.mktemp('demo_models')
    clip_cfg = out / 'tiny_stgcn.py'
    clip_cfg.write_text(f"""_base_ = [{CLIP_CONFIG!r}]
model = dict(backbone=dict(base_channels=8, num_stages=2, inflate_stages=[2], down_stages=[2]),
             cls_head=dict(in_channels=16))
test_pipeline = [
    dict(type='MGNormalizeBody2D'),
    dict(type='MGGenSkeFeat', layout='imigue22', feats=['j'], with_score=False),
    dict(type='UniformSampleFrames', clip_len=8, num_clips=2, test_mode=True),
    dict(type='PoseDecode'),
    dict(type='FormatGCNInput', num_person=1),
    dict(type='PackActionInputs')
]
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
""")
    emo_cfg = out / 'tiny_emotion.py'
    emo_cfg.write_text(f"""_base_ = [{EMO_CONFIG!r}]
model = dict(backbone=dict(hidden_channels=8, num_layers=1), cls_head=dict(in_channels=8))
""")
    paths = {}
    for key, cfg_path in (('clip', clip_cfg), ('emotion', emo_cfg)):
        torch.manual_seed(0)
        model = MODELS.build(Config.fromfile(str(cfg_path)).model)
        ckpt = out / f'{key}.pth'
        torch.save(dict(state_dict=model.state_dict(), meta=dict()), str(ckpt))
        paths[key] = (str(cfg_path), str(ckpt))
    return paths


def test_timeline_cells_tile_overlapping_windows_once():
    """Windows of 8 frames every 4 overlap; their plot cells must not (no phantom bands)."""
    windows = [dict(start_time=i * 4 / 25, end_time=(i * 4 + 8) / 25) for i in range(5)]
    cells = window_cells(windows)
    np.testing.assert_allclose(cells[:, 0], [0, 0.24, 0.40, 0.56, 0.72])
    np.testing.assert_allclose(cells[:, 1], [0.24, 0.40, 0.56, 0.72, 24 / 25])
    assert (cells[1:, 0] == cells[:-1, 1]).all()  # contiguous, no overlap


def test_timeline_colour_per_class_is_shared_and_distinct():
    colours = class_colours([5, 2, 9], [2, 7, 5, 30])
    assert list(colours) == [5, 2, 9, 7, 30]  # lines first, then segment-only classes
    assert len(set(colours.values())) == 5


def test_timeline_bands_are_the_json_segments(tmp_path, monkeypatch):
    """The segment panel draws each JSON segment over exactly its times, nothing else."""
    from matplotlib.axes import Axes

    from mmimigue.visualization.timeline import plot_timeline
    drawn = []
    original = Axes.axvspan
    monkeypatch.setattr(Axes, 'axvspan',
                        lambda self, x0, x1, *a, **k: drawn.append((x0, x1)) or original(
                            self, x0, x1, *a, **k))
    windows = [dict(start_time=i * 0.32, end_time=i * 0.32 + 2.56) for i in range(6)]
    segments = [dict(label=3, name='c3', start_time=0.40, end_time=1.28),
                dict(label=7, name='c7', start_time=1.28, end_time=4.16)]
    result = dict(windows=windows, classes=[f'c{k}' for k in range(10)], segments=segments,
                  video_id='v', duration=4.16)
    probs = np.full((6, 10), 0.1, dtype=np.float32)
    plot_timeline(result, probs, np.ones(6, bool), str(tmp_path / 'v.png'))
    assert drawn == [(0.40, 1.28), (1.28, 4.16)]
    assert (tmp_path / 'v.png').stat().st_size > 0


def _synthetic_video(tmp_path, num_frames=20, size=(64, 48)):
    """Tiny video + OpenPose JSON: frames 0-7 without a person, frame 15's file missing."""
    import cv2
    video = str(tmp_path / 'tiny.avi')
    writer = cv2.VideoWriter(video, cv2.VideoWriter_fourcc(*'MJPG'), 25.0, size)
    rng = np.random.default_rng(0)
    for _ in range(num_frames):
        writer.write(rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8))
    writer.release()
    skel = tmp_path / 'skeleton' / 'tiny'
    skel.mkdir(parents=True)
    base = rng.uniform(0.2, 0.8, (33, 4)).astype(np.float32)
    base[:, 3] = 0.9
    for t in range(num_frames):
        if t == 15:
            continue
        pose = base.copy()
        pose[:, :2] += 0.02 * np.sin(t / 3 + np.arange(33))[:, None]
        kp = None if t < 8 else holistic_to_openpose(pose, rng.uniform(0, 1, (21, 3)), None,
                                                     size)
        (skel / frame_file_name('tiny', t)).write_text(json.dumps(openpose_frame_json(kp)))
    return video, str(tmp_path / 'skeleton')


def test_demo_on_skeleton_json_matches_the_dataset_path(tmp_path, tiny_models):
    """Window predictions equal those of the official path: converter -> dataset -> model."""
    import mmengine
    from mmengine.config import Config
    from mmengine.dataset import pseudo_collate

    from mmimigue.datasets import MGIMiGUESkeletonDataset
    from mmimigue.datasets.converters.imigue_openpose import convert_video
    video, skel = _synthetic_video(tmp_path)
    (clip_cfg, clip_ckpt), (emo_cfg, emo_ckpt) = tiny_models['clip'], tiny_models['emotion']
    res = demo([video, clip_cfg, clip_ckpt, '--skeleton-dir', skel, '--window', '8',
                '--stride', '5', '--out-dir', str(tmp_path / 'out'), '--emotion-config',
                emo_cfg, '--emotion-ckpt', emo_ckpt, '--topk', '3'])
    with open(res['outputs']['json']) as f:
        saved = json.load(f)
    assert saved['num_frames'] == 20 and saved['fps'] == pytest.approx(25.0)
    assert [w['start_frame'] for w in saved['windows']] == [0, 5, 10, 12]
    assert saved['windows'][0]['top'] == [] and saved['windows_without_person'] == 1
    assert saved['skeleton']['empty_frames'] == 8 and saved['skeleton']['missing_frames'] == 1
    assert osp.getsize(res['outputs']['png']) > 1000
    emo = saved['emotion']
    assert emo['num_windows'] == 3 and emo['modality'] == 'prob'
    assert emo['prob_win'] + emo['prob_lose'] == pytest.approx(1.0, abs=1e-5)
    assert emo['label'] == ('win' if emo['prob_win'] > 0.5 else 'lose')

    # the same windows as clips of a converted pickle, read by the training dataset
    rows = [dict(clip_index=i, start_frame=w['start_frame'], end_frame=w['end_frame'], label=0,
                 video_id='tiny', subject_id=1, emotion=1)
            for i, w in enumerate(saved['windows'])]
    annos, counts, skipped = convert_video('tiny', rows, skel, (48, 64), False, 0.5)
    assert [s[0] for s in skipped] == ['tiny_0']  # the window without a person
    pkl = str(tmp_path / 'windows.pkl')
    mmengine.dump(dict(split={}, annotations=annos), pkl)
    cfg = Config.fromfile(clip_cfg)
    model = init_recognizer(clip_cfg, clip_ckpt, 'cpu')
    ds = MGIMiGUESkeletonDataset(pkl, pipeline=cfg.test_dataloader.dataset.pipeline, split=None,
                               test_mode=True)
    with torch.no_grad():
        samples = model.test_step(pseudo_collate([ds[i] for i in range(len(ds))]))
    for sample, window in zip(samples, saved['windows'][1:]):
        prob = to_probability(sample.pred_score.numpy()[None])[0]
        top = window['top']
        assert [t['label'] for t in top] == list(np.argsort(-prob)[:3])
        np.testing.assert_allclose([t['score'] for t in top], np.sort(prob)[::-1][:3],
                                   rtol=1e-4)


def test_demo_errors_clearly_without_skeletons(tmp_path, tiny_models):
    video, _ = _synthetic_video(tmp_path)
    (tmp_path / 'empty').mkdir()
    proc = demo([video, *tiny_models['clip'], '--skeleton-dir', str(tmp_path / 'empty'),
                 '--out-dir', str(tmp_path / 'out')], check=False)
    assert proc.returncode != 0 and 'extract_pose.py' in proc.stderr


@pytest.mark.skipif(not mediapipe_available(),
                    reason='MediaPipe Holistic not installed (pip install -e .[pose])')
@pytest.mark.skipif(not osp.isfile(VIDEO), reason=f'{VIDEO} not found')
def test_end_to_end_on_a_real_video(tmp_path, tiny_models):
    """Real NTU clip: MediaPipe extraction -> OpenPose JSON -> demo (timeline, emotion, video)."""
    import cv2

    from mmimigue.datasets.formats.openpose_json import parse_openpose_frame
    out = tmp_path / 'out'
    res = demo([VIDEO, *tiny_models['clip'], '--emotion-config',
                tiny_models['emotion'][0], '--emotion-ckpt', tiny_models['emotion'][1],
                '--out-dir', str(out), '--max-frames', '8', '--window', '4', '--stride',
                '2', '--out-video'])
    vid = osp.splitext(osp.basename(VIDEO))[0]
    files = sorted(glob.glob(str(out / 'skeleton' / vid / f'{vid}_*_keypoints.json')))
    assert len(files) == 8 and files[0].endswith('_000000000000_keypoints.json')
    counts = Counter()
    kps = np.stack([parse_openpose_frame(f, counts) for f in files])
    assert counts['empty_frames'] == 0  # one person stands in the middle of every frame
    body = kps[:, [0, 1, 2, 5, 8]]  # nose, neck, shoulders, mid-hip
    assert (body[..., 2] > 0.5).all()
    assert ((body[..., 0] > 0) & (body[..., 0] < 1920) & (body[..., 1] > 0) &
            (body[..., 1] < 1080)).all()
    assert (kps[:, 1, 1] > kps[:, 0, 1]).all()  # upright: neck below the nose
    assert (kps[:, 5, 0] > kps[:, 2, 0]).all()  # facing the camera: left shoulder on the right
    assert not kps[:, 25:95].any()  # face not mapped
    assert res['skeleton']['extraction']['frames'] == 8
    assert [w['start_frame'] for w in res['windows']] == [0, 2, 4]
    assert all(len(w['top']) == 3 for w in res['windows'])
    assert res['emotion']['num_windows'] == 3
    # a few seconds of a non-interview video: the output says it is outside the training domain
    assert any('press-conference interviews' in c for c in res['caveats'])
    assert any('rests on 3 window(s)' in c for c in res['caveats'])
    assert res['note'].startswith('outside the training domain')
    assert osp.isfile(res['outputs']['png']) and res['outputs']['video_frames'] == 8
    cap = cv2.VideoCapture(res['outputs']['video'])
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 8
    cap.release()


def test_demo_refuses_a_mismatched_checkpoint(tmp_path, tiny_models):
    """The tiny (8-channel) checkpoint with the full-width config is an error, not a silently
    half-random model; with its own config it loads."""
    video, skel = _synthetic_video(tmp_path)
    cfg_path, ckpt = tiny_models['clip']
    proc = demo([video, CLIP_CONFIG, ckpt, '--skeleton-dir', skel, '--out-dir',
                 str(tmp_path / 'out')], check=False)
    assert proc.returncode != 0 and 'does not match' in proc.stderr
    model = init_recognizer(cfg_path, ckpt, 'cpu')
    state = torch.load(ckpt, weights_only=True)['state_dict']
    name = next(iter(state))
    assert torch.equal(model.state_dict()[name], state[name])


def test_the_emotion_wording_is_calibrated():
    assert emotion_wording(0.503) == 'undecided (p(win) = 0.50)'  # never "win" at 0.50
    assert emotion_wording(0.61) == 'leans win (p(win) = 0.61)'
    assert emotion_wording(0.12345) == 'leans lose (p(win) = 0.12)'


def test_demo_with_an_online_model_uses_the_online_path(tmp_path):
    """An online config: the timeline comes from the model's frame probabilities and segments
    (the path of tools/online_detect.py), not from a clip classifier over windows."""
    from mmaction.registry import MODELS
    from mmengine.config import Config
    video, skel = _synthetic_video(tmp_path)
    cfg = tmp_path / 'tiny_online.py'
    cfg.write_text(f"_base_ = [{ONLINE_CONFIG!r}]\n"
                   "model = dict(hidden=8, num_layers=1, window=8, stride=4,\n"
                   "             postprocess=dict(smooth_frames=1, min_frames=1))\n")
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(str(cfg)).model)
    with torch.no_grad():  # make one class win everywhere, so there is a segment to draw
        model.cls.bias[5] = 20.0
        model.boundary.bias[:] = -20.0  # and no MG starts inside it
    ckpt = tmp_path / 'online.pth'
    torch.save(dict(state_dict=model.state_dict(), meta={}), str(ckpt))
    res = demo([video, str(cfg), str(ckpt), '--skeleton-dir', skel, '--stride', '4',
                '--out-dir', str(tmp_path / 'out')])
    assert [w['start_frame'] for w in res['windows']] == [0, 4, 8, 12, 16]
    seg = res['segments'][0]
    assert seg['label'] == 5 and (seg['start_frame'], seg['end_frame']) == (0, 19)
    # the figure draws a segment over the JSON's own times (no window-cell approximation)
    assert (seg['start_time'], seg['end_time']) == pytest.approx((0, 20 / 25))
    assert osp.getsize(res['outputs']['png']) > 1000


def test_domain_caveats():
    from mmimigue.apis.video_timeline import domain_caveats
    assert domain_caveats(600, 0.0, 40) == []  # a ten-minute interview with one speaker
    short = domain_caveats(3.4, 0.5, 2)
    assert len(short) == 3 and 'is 3 s long' in short[0] and '50 % of the frames' in short[2]
