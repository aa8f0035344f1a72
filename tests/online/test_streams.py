"""Whole streams: generator density, converter store, stream dataset windows, both online
models (a training step and a whole-stream prediction), tools/online_detect.py."""
import glob
import json
import os
import os.path as osp
import pickle

import numpy as np
import pytest
import torch
from cli import run_tool
from mmaction.registry import DATASETS, MODELS
from mmengine.dataset import pseudo_collate
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope

from mmimigue.datasets.converters.streams import convert_imigue_streams
from mmimigue.datasets.formats import read_labels_csv
from mmimigue.skeleton import frame_labels, window_label

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PIPE = [dict(type='MGPackStream')]
ONLINE_IMIGUE = osp.join(ROOT, 'configs', 'imigue',
                         'online_bigru_1xb32-w128-30e_imigue-xsub-stream-2d.py')
ONLINE_SMG = osp.join(ROOT, 'configs', 'smg', 'online_bigru_1xb32-w128-30e_smg-xsub-stream-3d.py')


@pytest.fixture(scope='module')
def stream_release(tmp_path_factory):
    from mmimigue.datasets.synthetic import SyntheticConfig, generate_synthetic_imigue
    out = str(tmp_path_factory.mktemp('stream_raw'))
    cfg = SyntheticConfig(num_train_subjects=3, num_test_subjects=2, videos_per_subject=1,
                          clips_per_video=(4, 6), gap_frames=(40, 120), gap_motion=True, seed=5)
    generate_synthetic_imigue(out, cfg, workers=1)
    pkl = osp.join(out, 'streams.pkl')
    content = convert_imigue_streams(osp.join(out, 'labels.csv'), osp.join(out, 'skeleton'),
                                     pkl)
    return out, pkl, content


@pytest.fixture(autouse=True)
def _scope():
    init_default_scope('mmaction')


def test_streams_hold_every_frame_and_the_csv_intervals(stream_release):
    from mmimigue.datasets.formats.openpose_json import parse_openpose_frame
    out, pkl, content = stream_release
    rows = read_labels_csv(osp.join(out, 'labels.csv'))
    store = np.load(pkl.replace('.pkl', '.streams.npy'), mmap_mode='r')
    assert store.shape == (content['meta']['summary']['frames'], 22, 3)
    s = content['streams'][0]
    mine = sorted((r['start_frame'], r['end_frame'], r['label']) for r in rows
                  if r['video_id'] == s['video_id'])
    assert [tuple(x) for x in s['segments']] == mine
    # MGs are sparse between talking: under half of the frames
    covered = sum(b - a + 1 for a, b, _ in mine)
    assert covered < 0.5 * s['num_frames']
    # a frame of the stream equals the JSON file's speaker (imigue22 joints)
    from collections import Counter

    from mmimigue.skeleton.layouts import layout_indices
    t = int(mine[0][0]) + 3
    f = osp.join(out, 'skeleton', s['video_id'])
    name = next(n for n in sorted(__import__('os').listdir(f)) if f'_{t:012d}_' in n)
    kp = parse_openpose_frame(osp.join(f, name), Counter())[layout_indices('imigue22')]
    np.testing.assert_allclose(store[s['offset'] + t], kp, atol=1e-3)
    assert set(content['split']['xsub_train']) | set(content['split']['xsub_test']) == \
        {x['video_id'] for x in content['streams']}


def test_window_labels():
    segs = np.array([[10, 19, 4], [40, 45, 2]])
    labels = frame_labels(segs, 60, background=9)
    assert (labels[10:20] == 4).all() and labels[9] == 9 and (labels[40:46] == 2).all()
    assert window_label(labels[0:32], segs, 0, 9, 0.5) == 4  # the whole MG inside
    assert window_label(labels[16:48], segs, 16, 9, 0.5) == 2  # all 6 frames of the short MG
    assert window_label(labels[17:49], segs, 17, 9, 0.5) == 2
    assert window_label(labels[0:12], segs, 0, 9, 0.5) == 9  # 2 of 10 frames: background
    assert window_label(labels[50:60], segs, 50, 9, 0.5) == 9
    # a window holding 10 frames of a 100-frame MG is background, whatever other (shorter) MGs
    # of that class the stream has elsewhere
    segs = np.array([[0, 99, 4], [120, 123, 4]])
    labels = frame_labels(segs, 130, background=9)
    assert window_label(labels[90:118], segs, 90, 9, 0.5) == 9
    assert window_label(labels[60:92], segs, 60, 9, 0.5) == 4  # 32 of its frames: all window
    assert window_label(labels[116:128], segs, 116, 9, 0.5) == 4  # the whole short one


def test_stream_dataset_windows_and_whole_streams(stream_release):
    _, pkl, content = stream_release
    ds = DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, pipeline=PIPE, window=32,
                             stride=8, background_keep=0.0))
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert all((i['frame_labels'] != 32).any() for i in infos)  # no MG-free window kept
    item = ds[0]
    assert item['inputs'].shape == (32, 22, 3)
    info = infos[0]
    store = np.load(pkl.replace('.pkl', '.streams.npy'))
    np.testing.assert_array_equal(item['inputs'].numpy(),
                                  store[info['offset'] + info['start']:][:32])
    all_bg = DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, pipeline=PIPE, window=32,
                                 stride=8, background_keep=1.0))
    assert len(all_bg) > len(ds)
    test = DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, pipeline=PIPE,
                               split='xsub_test', test_mode=True))
    assert len(test) == len(content['split']['xsub_test'])
    sample = test[0]['data_samples']
    assert test[0]['inputs'].shape[0] == sample.num_frames
    with pytest.raises(KeyError, match='no split'):
        DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, split='nope'))
    with pytest.raises(FileNotFoundError, match='--streams'):
        DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl + '.missing'))


MODELS_CFG = {
    'causal': dict(type='MGCausalStreamDetector', num_classes=32, hidden=16, num_layers=1,
                   window=32, chunk=50),
    'temporal': dict(type='MGOnlineTemporalNet', num_classes=32, num_joints=22, hidden=16,
                     num_layers=1, window=32, stride=8),
    'window': dict(type='MGSlidingWindowDetector', num_classes=32, window=32, stride=8,
                   recognizer=dict(type='RecognizerGCN', backbone=dict(
                       type='STGCN', in_channels=2, base_channels=8, num_stages=2,
                       inflate_stages=[2], down_stages=[2],
                       graph_cfg=dict(layout='imigue22', mode='stgcn_spatial')),
                       cls_head=dict(type='GCNHead', num_classes=33, in_channels=16))),
}


@pytest.mark.parametrize('kind', sorted(MODELS_CFG))
def test_models_step_and_predict_whole_streams(kind, stream_release):
    _, pkl, _ = stream_release
    torch.manual_seed(0)
    model = MODELS.build(MODELS_CFG[kind])
    ds = DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, pipeline=PIPE, window=32,
                             stride=16))
    optim = OptimWrapper(torch.optim.Adam(model.parameters(), lr=1e-3))
    losses = model.train_step(pseudo_collate([ds[i] for i in range(4)]), optim)
    assert all(torch.isfinite(v) for k, v in losses.items() if k.startswith('loss'))
    test = DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, pipeline=PIPE,
                               split='xsub_test', test_mode=True))
    model.eval()
    out = model.val_step(pseudo_collate([test[0]]))[0]
    n = test[0]['inputs'].shape[0]
    assert out.frame_probs.shape == (n, 33)
    np.testing.assert_allclose(out.frame_probs.sum(1), 1, atol=1e-4)
    segs = np.asarray(out.pred_segments).reshape(-1, 4)
    assert ((segs[:, 0] >= 0) & (segs[:, 1] < n) & (segs[:, 2] < 32)).all()
    with pytest.raises(ValueError, match='num_classes \\+ 1'):
        MODELS.build(dict(MODELS_CFG['window'], num_classes=31))


def test_online_detect_tool_end_to_end(stream_release, tmp_path):
    out, pkl, _ = stream_release
    torch.manual_seed(0)
    cfg_path = tmp_path / 'tiny_online.py'
    cfg_path.write_text(f"_base_ = [{ONLINE_IMIGUE!r}]\n"
                        "model = dict(hidden=16, num_layers=1)\n")
    from mmengine.config import Config
    model = MODELS.build(Config.fromfile(str(cfg_path)).model)
    ckpt = tmp_path / 'tiny.pth'
    torch.save(dict(state_dict=model.state_dict(), meta={}), str(ckpt))
    det = tmp_path / 'det.json'
    proc = run_tool('tools', 'online_detect.py', args=[
        cfg_path, ckpt, '--ann', osp.join(out, 'labels.csv'), '--skeleton-root',
        osp.join(out, 'skeleton'), '--out', det])
    saved = json.loads(det.read_text())
    rows = read_labels_csv(osp.join(out, 'labels.csv'))
    assert set(saved['videos']) == {r['video_id'] for r in rows}
    # the tool's segments are the model's on the converter's stream of the same video
    from mmimigue.evaluation.online_detection import online_f1
    with open(osp.join(out, 'streams.pkl'), 'rb') as f:
        streams = pickle.load(f)
    store = np.load(osp.join(out, 'streams.streams.npy'))
    s = streams['streams'][0]
    model.eval()
    _, segs = model.detect(torch.from_numpy(store[s['offset']:s['offset'] + s['num_frames']]))
    assert [(d['start_frame'], d['end_frame'], d['label']) for d in saved['videos'][
        s['video_id']]] == [(a, b, c) for a, b, c, _ in segs]
    # its F1 is the metric's on the written segments and the csv's intervals
    preds = {v: [(d['start_frame'], d['end_frame'], d['label'], d['score']) for d in segs_]
             for v, segs_ in saved['videos'].items()}
    gts = {}
    for r in rows:
        gts.setdefault(r['video_id'], []).append((r['start_frame'], r['end_frame'], r['label']))
    assert saved['scores']['f1'] == pytest.approx(online_f1(preds, gts)['f1'])
    printed = proc.stdout
    assert f"F1: {saved['scores']['f1']:.4f}" in printed
    with open(osp.join(out, 'streams.pkl'), 'rb') as f:
        total = pickle.load(f)['meta']['summary']['frames']
    assert f'{total} frames' in printed
    # the converted streams give the same segments and scores as the release read whole
    det2 = tmp_path / 'det_streams.json'
    run_tool('tools', 'online_detect.py', args=[cfg_path, ckpt, '--streams', pkl, '--out', det2])
    saved2 = json.loads(det2.read_text())
    assert saved2['videos'] == saved['videos'] and saved2['scores'] == saved['scores']
    assert f"kit F1: {saved['scores']['kit']['f1']:.4f}" in printed
    # eval_online.py scores the written JSON as online_detect.py did, under both rules and from
    # either annotation
    for ann in (osp.join(out, 'labels.csv'), pkl):
        for protocol, want in (('strict', saved['scores']), ('kit', saved['scores']['kit'])):
            ev = run_tool('tools', 'analysis', 'eval_online.py', args=[
                '--ann', ann, '--pred', det, '--protocol', protocol]).stdout
            assert f"F1: {want['f1']:.4f}" in ev.splitlines() and 'precision: ' in ev
    bad = tmp_path / 'bad.json'
    bad.write_text('{"videos": {"9999": [{"start_frame": 0}]}}')
    proc = run_tool('tools', 'analysis', 'eval_online.py', check=False,
                    args=['--ann', pkl, '--pred', bad])
    assert proc.returncode != 0 and 'not a detections JSON' in proc.stderr
    bad.write_text(json.dumps(dict(videos={'9999': []})))
    proc = run_tool('tools', 'analysis', 'eval_online.py', check=False,
                    args=['--ann', osp.join(out, 'labels.csv'), '--pred', bad])
    assert proc.returncode != 0 and "['9999']" in proc.stderr and 'without' in proc.stderr
    # a model of another layout is refused, naming both
    smg_cfg = tmp_path / 'tiny_online_smg.py'
    smg_cfg.write_text(f"_base_ = [{ONLINE_SMG!r}]\n"
                       "model = dict(hidden=16, num_layers=1)\n")
    smg_model = MODELS.build(Config.fromfile(str(smg_cfg)).model)
    torch.save(dict(state_dict=smg_model.state_dict(), meta={}), str(tmp_path / 'smg.pth'))
    bad = run_tool('tools', 'online_detect.py', check=False, args=[
        smg_cfg, tmp_path / 'smg.pth', '--streams', pkl, '--out', tmp_path / 'bad.json'])
    assert bad.returncode != 0 and "'imigue22'" in bad.stderr and "'ntu25'" in bad.stderr
    # --out may not replace an input (here the release's labels.csv)
    labels = osp.join(out, 'labels.csv')
    before = open(labels, 'rb').read()
    proc = run_tool('tools', 'online_detect.py', check=False, args=[
        cfg_path, ckpt, '--ann', labels, '--skeleton-root', osp.join(out, 'skeleton'),
        '--out', labels])
    assert proc.returncode == 1 and 'would overwrite the input' in proc.stderr
    assert open(labels, 'rb').read() == before


ONLINE_CONFIGS = sorted(glob.glob(osp.join(ROOT, 'configs', '[!_]*', 'online_*.py')))
assert len(ONLINE_CONFIGS) == 6


@pytest.mark.parametrize('path', ONLINE_CONFIGS, ids=lambda p: p.split('configs/')[1])
def test_online_configs_build(path):
    from mmengine.config import Config
    cfg = Config.fromfile(path)
    model = MODELS.build(cfg.model)
    smg = '/smg/' in path
    assert model.num_classes == (17 if smg else 32) and model.layout.kinect == smg
    assert cfg.default_hooks.checkpoint.save_best == 'online/f1'
    assert cfg.val_evaluator.type == 'MGOnlineDetectionMetric'
    # the checkpoint is chosen on held-out training subjects, never on the test subjects
    splits = [cfg[f'{s}_dataloader'].dataset.split for s in ('train', 'val', 'test')]
    assert splits == ['xsub_train_minus_val', 'xsub_val', 'xsub_test']
    x = torch.randn(2, cfg.model.window, 25 if smg else 22, 3).abs()
    probs, _ = model.window_scores(model.body_units(x))
    assert probs.shape == (2, cfg.model.window, model.num_classes + 1)


def test_smg_streams(tmp_path):
    from mmimigue.datasets.converters.streams import convert_smg_streams
    from mmimigue.datasets.formats.smg_kinect import read_smg_finelabels
    from mmimigue.datasets.synthetic.smg import make_synthetic_smg
    make_synthetic_smg(str(tmp_path / 'rel'), subjects=[1, 36], clips_per_subject=3, seed=0)
    content = convert_smg_streams(str(tmp_path / 'rel'), str(tmp_path / 'smg_streams.pkl'))
    split = content['split']
    assert (split['xsub_train'], split['xsub_test']) == (['Sample0001'], ['Sample0036'])
    assert split['xsub_val'] == ['Sample0001'] and split['xsub_train_minus_val'] == []
    labels = read_smg_finelabels(str(tmp_path / 'rel' / 'Sample0001' /
                                     'Sample0001_finelabels.csv'), 17)
    s = content['streams'][0]
    assert sorted((b - 1, e - 1, c - 1) for c, b, e in labels) == \
        [tuple(x) for x in s['segments']]  # 1-based frames and labels -> 0-based
    ds = DATASETS.build(dict(type='MGStreamDataset', ann_file=str(tmp_path / 'smg_streams.pkl'),
                             pipeline=PIPE, window=16, stride=8))
    assert ds[0]['inputs'].shape == (16, 25, 3)


def test_smg_clip_and_stream_conversion_share_the_split_file(tmp_path):
    """One `convert.py --split-file ... --streams ...` run: clips and streams agree on who is a
    test subject (the stream conversion once ignored the split file: every stream in train)."""
    from mmimigue.datasets.synthetic.smg import make_synthetic_smg
    make_synthetic_smg(str(tmp_path / 'rel'), subjects=[1, 2, 3], clips_per_subject=2, seed=0)
    split_file = tmp_path / 'split.json'
    split_file.write_text(json.dumps(dict(test_subjects=[2])))
    run_tool('tools', 'data', 'smg', 'convert.py', args=[
        '--root', tmp_path / 'rel', '--out', tmp_path / 'clips.pkl', '--split-file', split_file,
        '--streams', tmp_path / 'streams.pkl'])
    with open(tmp_path / 'clips.pkl', 'rb') as f:
        clips = pickle.load(f)
    with open(tmp_path / 'streams.pkl', 'rb') as f:
        streams = pickle.load(f)
    subject = {a['frame_dir']: a['subject_id'] for a in clips['annotations']}
    stream_subject = {s['video_id']: s['subject_id'] for s in streams['streams']}
    for name in ('xsub_train', 'xsub_test', 'xsub_val'):
        assert {subject[f] for f in clips['split'][name]} == \
            {stream_subject[v] for v in streams['split'][name]}
    assert {stream_subject[v] for v in streams['split']['xsub_test']} == {2}


def test_a_model_refuses_streams_of_another_layout(stream_release):
    """The streams pickle records the layout; a model built for another refuses its samples in
    every mode (training windows and whole streams)."""
    _, pkl, _ = stream_release
    ds = DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, pipeline=PIPE, window=16,
                             stride=8))
    assert ds.layout == 'imigue22'
    batch = pseudo_collate([ds[0], ds[1]])
    kinect = MODELS.build(dict(type='MGOnlineTemporalNet', num_classes=32, layout='ntu25',
                               hidden=8, num_layers=1))
    for mode in ('loss', 'tensor', 'predict'):
        with pytest.raises(ValueError, match="hold layout 'imigue22' but the model was built "
                                             "for 'ntu25'"):
            kinect(batch['inputs'], batch['data_samples'], mode=mode)
    with pytest.raises(ValueError, match='num_joints=22'):
        MODELS.build(dict(type='MGOnlineTemporalNet', num_classes=32, layout='ntu25',
                          num_joints=22))


def test_a_stream_shorter_than_the_window_is_padded(stream_release):
    _, pkl, content = stream_release
    longest = max(s['num_frames'] for s in content['streams'])
    ds = DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, pipeline=PIPE,
                             window=longest + 10, stride=8, background_keep=1.0))
    item = ds[0]
    assert item['inputs'].shape[0] == longest + 10
    assert (item['inputs'][-10:] == 0).all()
    assert (item['data_samples'].frame_labels[-10:] == 32).all()  # background


def test_online_config_trains_through_the_runner(stream_release, tmp_path):
    """tools/train.py's machinery end to end: windows, the loss, whole-stream validation with
    the online metric, and the best-F1 checkpoint."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    _, pkl, _ = stream_release
    cfg = Config.fromfile(ONLINE_IMIGUE)
    cfg.work_dir = str(tmp_path / 'work')
    cfg.model.update(hidden=16, num_layers=1, window=32, stride=16)
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[key].update(num_workers=0, persistent_workers=False)
        cfg[key].dataset.ann_file = pkl
    cfg.train_dataloader.dataset.update(window=32, stride=16)
    cfg.train_dataloader.batch_size = 8
    cfg.train_cfg.update(max_epochs=1, val_interval=1)
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert glob_one(cfg.work_dir, 'best_online_f1_epoch_1.pth')
    metrics = runner.val_loop.run()
    assert 0 <= metrics['online/f1'] <= 1 and 'online/mAP@0.5' in metrics


def glob_one(folder, name):
    import glob
    return glob.glob(osp.join(folder, name))


def test_a_store_name_leaving_its_folder_or_a_foreign_store_is_refused(stream_release, tmp_path):
    import mmengine
    _, pkl, content = stream_release
    bad = dict(content, meta=dict(content['meta'], store='../elsewhere.streams.npy'))
    mmengine.dump(bad, str(tmp_path / 'bad.pkl'))
    with pytest.raises(ValueError, match='store'):
        DATASETS.build(dict(type='MGStreamDataset', ann_file=str(tmp_path / 'bad.pkl')))
    np.save(tmp_path / 'small.streams.npy', np.zeros((5, 22, 3), np.float32))
    small = dict(content, meta=dict(content['meta'], store='small.streams.npy'))
    mmengine.dump(small, str(tmp_path / 'small.pkl'))
    with pytest.raises(ValueError, match='another conversion'):
        DATASETS.build(dict(type='MGStreamDataset', ann_file=str(tmp_path / 'small.pkl')))


def test_a_stray_frame_number_is_refused_before_anything_is_allocated(tmp_path):
    """One frame file numbered 10**9 among a video's files: a clear error naming it, instead of
    a billion-frame stream store (or an out-of-memory in online_detect.py)."""
    import shutil

    from mmimigue.datasets.formats import ConversionError
    from mmimigue.datasets.formats.openpose_stream import read_video_stream
    from mmimigue.datasets.synthetic import SyntheticConfig, generate_synthetic_imigue
    out = str(tmp_path / 'raw')
    generate_synthetic_imigue(out, SyntheticConfig(num_train_subjects=1, num_test_subjects=1,
                                                   videos_per_subject=1, clips_per_video=(2, 3),
                                                   seed=1), workers=1)
    folder = osp.join(out, 'skeleton', sorted(os.listdir(osp.join(out, 'skeleton')))[0])
    first = sorted(os.listdir(folder))[0]
    stray = first[:-len('000000000000_keypoints.json')] + f'{10 ** 9:012d}_keypoints.json'
    shutil.copy(osp.join(folder, first), osp.join(folder, stray))
    with pytest.raises(ConversionError, match=stray):
        read_video_stream(folder)
    with pytest.raises(ConversionError, match='stray file'):
        convert_imigue_streams(osp.join(out, 'labels.csv'), osp.join(out, 'skeleton'),
                               str(tmp_path / 'streams.pkl'))
    assert not osp.exists(tmp_path / 'streams.pkl')


def test_streams_only_conversion_leaves_the_clip_pickle_alone(stream_release, tmp_path):
    out, pkl, content = stream_release
    clip_pkl = tmp_path / 'clips.pkl'
    clip_pkl.write_bytes(b'the quickstart pickle')
    streams = tmp_path / 'streams.pkl'
    printed = run_tool('tools', 'data', 'imigue', 'convert.py', args=[
        '--ann', osp.join(out, 'labels.csv'), '--skeleton-root', osp.join(out, 'skeleton'),
        '--out', clip_pkl, '--streams', streams, '--streams-only']).stdout
    assert clip_pkl.read_bytes() == b'the quickstart pickle' and streams.is_file()
    assert f"{content['meta']['summary']['frames']} frames" in printed
    proc = run_tool('tools', 'data', 'imigue', 'convert.py', check=False, args=[
        '--ann', osp.join(out, 'labels.csv'), '--skeleton-root', osp.join(out, 'skeleton'),
        '--streams-only'])
    assert proc.returncode == 2 and '--streams-only needs --streams' in proc.stderr


def test_context_frames_come_before_each_window_and_carry_no_loss(stream_release):
    """With ``context`` each training sample starts ``context`` frames before its window (at
    frame 0 near the stream's start) and says so in ``loss_from``; the causal model's loss is
    then exactly the loss of the window's frames run from the state the context leaves."""
    _, pkl, _ = stream_release
    plain = DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, pipeline=PIPE, window=32,
                                stride=16, background_keep=1.0))
    ctx = DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, pipeline=PIPE, window=32,
                              stride=16, background_keep=1.0, context=24))
    assert len(ctx) == len(plain)
    store = np.load(pkl.replace('.pkl', '.streams.npy'))
    for i in range(len(ctx)):
        a, b = plain.get_data_info(i), ctx.get_data_info(i)
        assert b['start'] == max(0, a['start'] - 24) and b['loss_from'] == a['start'] - b['start']
        assert b['length'] == 24 + 32 and len(b['frame_labels']) == 56
        lo = b['loss_from']  # the window's frames and labels where the plain sample has them
        np.testing.assert_array_equal(b['frame_labels'][lo:lo + 32], a['frame_labels'])
        item = ctx[i]
        np.testing.assert_array_equal(item['inputs'].numpy(),
                                      store[b['offset'] + b['start']:][:56])
        assert item['data_samples'].loss_from == lo
    with pytest.raises(ValueError, match='context >= 0'):
        DATASETS.build(dict(type='MGStreamDataset', ann_file=pkl, context=-1))

    torch.manual_seed(0)
    model = MODELS.build(dict(MODELS_CFG['causal'], dropout=0.0))
    i = next(i for i in range(len(ctx)) if ctx.get_data_info(i)['loss_from'] == 24)
    sample = ctx[i]
    x = model.body_units(sample['inputs'][None])
    losses = model.window_loss(x, [sample['data_samples']])
    # the reference: the context's state, then the plain window loss on the window's frames
    _, _, state = model._heads(x[:, :24])
    labels = sample['data_samples'].frame_labels[24:]
    logits, bound, _ = model._heads(x[:, 24:], dict(state))
    ref_cls = torch.nn.functional.cross_entropy(logits[0], labels, weight=model.class_weight)
    torch.testing.assert_close(losses['loss_cls'], ref_cls)
    from mmimigue.models.online.temporal_detector import boundary_targets
    full = sample['data_samples'].frame_labels[None]
    target = boundary_targets(full, model.background)[:, 24:]
    ref_bound = torch.nn.functional.binary_cross_entropy_with_logits(bound, target)
    torch.testing.assert_close(losses['loss_boundary'], model.boundary_weight * ref_bound)
    # a window that needs no context gives the plain loss
    sample0 = plain[i]
    x0 = model.body_units(sample0['inputs'][None])
    torch.testing.assert_close(model.window_loss(x0, [sample0['data_samples']])['loss_cls'],
                               torch.nn.functional.cross_entropy(
                                   model._heads(x0)[0][0], sample0['data_samples'].frame_labels,
                                   weight=model.class_weight))
    window_model = MODELS.build(MODELS_CFG['window'])
    with pytest.raises(ValueError, match='context=0'):
        window_model.loss([sample['inputs']], [sample['data_samples']])
