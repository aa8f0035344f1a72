"""PoseC3D keypoint / limb and RGBPoseConv3D configs on iMiGUE: they build, their heat maps and
flip pairs are the imigue22 skeleton's, and a narrow model takes a training step on CPU."""
import glob
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmaction.registry import DATASETS, MODELS
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope

from mmimigue.skeleton.layouts import IMIGUE22_EDGES, LAYOUTS, flip_pairs

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
P3D = osp.join(ROOT, 'configs', 'imigue', 'posec3d')
KEYPOINT = osp.join(P3D, 'slowonly_r50_1xb16-u48-24e_imigue-xsub-keypoint.py')
LIMB = osp.join(P3D, 'slowonly_r50_1xb16-u48-24e_imigue-xsub-limb.py')
RGBPOSE = osp.join(P3D, 'rgbpose_conv3d_1xb6-r8p32-20e_imigue-xsub.py')
RGB_ONLY = osp.join(P3D, 'rgbpose-rgb_slowonly-r50_1xb12-r8-18e_imigue-xsub-rgb.py')
POSE_ONLY = osp.join(P3D, 'rgbpose-pose_slowonly-r50_1xb16-p32-18e_imigue-xsub-keypoint.py')
LABELEMB = osp.join(P3D, 'slowonly_r50_1xb16-u48-labelemb-100e_imigue-xsub-keypoint.py')
LABELEMB_LIMB = osp.join(P3D, 'slowonly_r50_1xb16-u48-labelemb-100e_imigue-xsub-limb.py')
SMG_P3D = osp.join(ROOT, 'configs', 'smg', 'posec3d')
SMG_KEYPOINT = osp.join(SMG_P3D, 'slowonly_r50_1xb16-u48-24e_smg-xsub-keypoint.py')
SMG_LIMB = osp.join(SMG_P3D, 'slowonly_r50_1xb16-u48-24e_smg-xsub-limb.py')
NTU = osp.join(osp.dirname(ROOT), 'shared', 'data', 'videos',
               'ntu_S001C001P001R001A001_drink_water.avi')


@pytest.fixture(autouse=True)
def _mmaction_scope():
    init_default_scope('mmaction')


@pytest.mark.parametrize('path', [KEYPOINT, SMG_KEYPOINT], ids=['imigue', 'smg'])
def test_heatmap_skeleton_and_flip_pairs_are_the_layouts(path):
    cfg = Config.fromfile(path)
    if path == KEYPOINT:
        assert [tuple(e) for e in cfg.skeletons] == IMIGUE22_EDGES
        left, right = flip_pairs('imigue22')
        assert (cfg.left_kp, cfg.right_kp) == (left, right)
    else:
        assert [tuple(e) for e in cfg.skeletons] == LAYOUTS['ntu25']['inward']
        left, right = cfg.left_kp, cfg.right_kp
    mirror = dict(zip(left + right, right + left))
    edge_index = {frozenset(e): i for i, e in enumerate(cfg.skeletons)}
    for a, b in zip(cfg.left_limb, cfg.right_limb):  # each left limb's mirror is its partner
        la, lb = cfg.skeletons[a]
        assert edge_index[frozenset((mirror.get(la, la), mirror.get(lb, lb)))] == b
    sides = set(cfg.left_limb) | set(cfg.right_limb)
    for i, (a, b) in enumerate(cfg.skeletons):  # the others are their own mirror
        if i not in sides:
            assert {mirror.get(a, a), mirror.get(b, b)} == {a, b}


def _narrow(cfg, kind):
    cfg.model.backbone.base_channels = 4
    cfg.model.cls_head.in_channels = 64
    for ds in (cfg.train_dataloader.dataset.dataset, cfg.test_dataloader.dataset):
        next(t for t in ds.pipeline if t.type == 'UniformSampleFrames').clip_len = 8
    return cfg


@pytest.mark.parametrize('path,channels', [(KEYPOINT, 22), (LIMB, 21)],
                         ids=['keypoint', 'limb'])
def test_posec3d_builds_and_steps(path, channels, synthetic_imigue_pkl):
    cfg = _narrow(Config.fromfile(path), path)
    assert cfg.model.backbone.in_channels == channels and cfg.model.cls_head.num_classes == 32
    train_cfg = cfg.train_dataloader.dataset
    assert train_cfg.type == 'RepeatDataset' and train_cfg.times == 10
    train_cfg.dataset.ann_file = synthetic_imigue_pkl
    train = DATASETS.build(train_cfg.dataset)
    batch = pseudo_collate([train[i] for i in range(2)])
    assert batch['inputs'][0].shape == (1, channels, 8, 56, 56)
    heat = batch['inputs'][0].numpy()
    assert 0 < heat.max() <= 1 and heat.min() >= 0  # Gaussians scaled by OpenPose scores
    model = MODELS.build(cfg.model)
    losses = model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01)))
    assert torch.isfinite(losses['loss_cls'])
    cfg.test_dataloader.dataset.ann_file = synthetic_imigue_pkl
    test = DATASETS.build(cfg.test_dataloader.dataset)
    sample = test[0]
    assert sample['inputs'].shape == (20, channels, 8, 64, 64)  # 10 clips and their mirrors
    model.eval()
    with torch.no_grad():
        score = model.test_step(pseudo_collate([sample]))[0].pred_score
    assert score.shape == (32, ) and float(score.sum()) == pytest.approx(1, abs=1e-4)


@pytest.fixture(scope='module')
def rgbpose_data(synthetic_imigue_pkl, tmp_path_factory):
    """The synthetic pickle with one real video for every video id of its test split."""
    import pickle
    with open(synthetic_imigue_pkl, 'rb') as f:
        content = pickle.load(f)
    videos = tmp_path_factory.mktemp('rgbpose_videos')
    ids = {a['video_id'] for a in content['annotations']}
    for vid in sorted(ids)[:6]:
        os.symlink(NTU, videos / f'{vid}.mp4')
    return synthetic_imigue_pkl, str(videos), content


@pytest.mark.skipif(not osp.isfile(NTU), reason=f'{NTU} not found')
def test_rgbpose_frames_are_the_keypoints_moments(rgbpose_data):
    from mmaction.registry import TRANSFORMS
    pkl, videos, content = rgbpose_data
    cfg = Config.fromfile(RGBPOSE)
    ds_cfg = dict(cfg.val_dataloader.dataset, ann_file=pkl, data_prefix=dict(video=videos),
                  split=None, pipeline=[])
    ds = DATASETS.build(ds_cfg)
    s = ds.summary
    assert s['clips'] == len(ds) > 0 and s['skipped_missing_video'] > 0  # only 6 videos exist
    assert s['clips'] + s['skipped_missing_video'] + s['skipped_past_video_end'] == \
        len(content['annotations'])
    info = ds.get_data_info(0)
    assert info['keypoint'].shape[1] == info['total_frames'] == \
        info['end_frame'] - info['start_frame'] + 1  # every keypoint frame, even if truncated
    sampler = TRANSFORMS.build(dict(type='MMUniformSampleFrames', clip_len=dict(RGB=4, Pose=8),
                                    num_clips=1, test_mode=True))
    out = TRANSFORMS.build(dict(type='MGClipToVideoFrames'))(sampler(dict(info)))
    pose_inds = out['Pose_inds']
    assert (pose_inds < info['total_frames']).all()
    rgb = out['RGB_inds']
    assert (rgb >= info['clip_start']).all() and (rgb <= info['clip_end']).all()
    again = sampler(dict(info))
    np.testing.assert_array_equal(rgb, np.minimum(again['RGB_inds'] + info['clip_start'],
                                                  info['clip_end']))
    # by hand: clip frame i is video frame clip_start + i, capped at the clip's (cut) last frame
    moved = TRANSFORMS.build(dict(type='MGClipToVideoFrames'))(
        dict(RGB_inds=np.array([0, 5, 12]), Pose_inds=np.array([0, 5, 12]), clip_start=10,
             clip_end=20))
    assert moved['RGB_inds'].tolist() == [10, 15, 20]
    assert moved['Pose_inds'].tolist() == [0, 5, 12]  # keypoints hold only the clip
    # and MMDecode decodes exactly those video frames
    import decord
    decoded = TRANSFORMS.build(dict(type='MMDecode'))(dict(out, modality=['RGB', 'Pose']))
    frames = decord.VideoReader(info['filename']).get_batch(list(out['RGB_inds'])).asnumpy()
    np.testing.assert_array_equal(np.stack(decoded['imgs']), frames)


@pytest.mark.skipif(not osp.isfile(NTU), reason=f'{NTU} not found')
def test_rgbpose_builds_and_steps(rgbpose_data):
    pkl, videos, _ = rgbpose_data
    cfg = Config.fromfile(RGBPOSE)
    assert cfg.model.backbone.pose_pathway.in_channels == 22
    assert cfg.model.cls_head.num_classes == 32
    rgb, pose = cfg.model.backbone.rgb_pathway, cfg.model.backbone.pose_pathway
    rgb.base_channels, pose.base_channels = 8, 4
    cfg.model.cls_head.in_channels = [256, 64]
    pipeline = cfg.train_dataloader.dataset.pipeline
    pipeline[0].clip_len = dict(RGB=2, Pose=8)  # the model's speed ratio 4
    pipeline[4].scale, pipeline[6].scale = (72, 72), (64, 64)
    ds = DATASETS.build(dict(cfg.train_dataloader.dataset, ann_file=pkl,
                             data_prefix=dict(video=videos), split=None))
    batch = pseudo_collate([ds[i] for i in range(2)])
    imgs, heat = batch['inputs']['imgs'][0], batch['inputs']['heatmap_imgs'][0]
    assert imgs.shape == (1, 3, 2, 64, 64) and heat.shape == (1, 22, 8, 16, 16)
    model = MODELS.build(cfg.model)
    losses = model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01)))
    assert all(torch.isfinite(v) for k, v in losses.items() if k.startswith('loss'))


def test_kinect_projection_is_the_pinhole_equation():
    from mmimigue.datasets.transforms import MGProjectKinect2D
    kp = np.array([[[[0.2, 0.1, 2.0], [0, 0, 0], [-0.5, -0.25, 2.5]]]], np.float32)
    out = MGProjectKinect2D(focal=400, img_shape=(424, 512))(dict(keypoint=kp))
    np.testing.assert_allclose(out['keypoint'][0, 0], [[256 + 40, 212 - 20], [0, 0],
                                                       [256 - 80, 212 + 40]], rtol=1e-6)
    np.testing.assert_array_equal(out['keypoint_score'][0, 0], [1, 0, 1])  # untracked: 0
    assert out['img_shape'] == (424, 512)
    with pytest.raises(ValueError, match='3D joints'):
        MGProjectKinect2D()(dict(keypoint=kp[..., :2]))


@pytest.fixture(scope='module')
def smg_pkl(tmp_path_factory):
    from mmimigue.datasets.converters.smg_kinect import convert_smg
    from mmimigue.datasets.synthetic.smg import make_synthetic_smg
    tmp = tmp_path_factory.mktemp('smg_p3d')
    make_synthetic_smg(str(tmp / 'rel'), subjects=[1, 2, 36], clips_per_subject=3, seed=0)
    convert_smg(str(tmp / 'rel'), str(tmp / 'smg.pkl'))
    return str(tmp / 'smg.pkl')


@pytest.mark.parametrize('path,channels', [(SMG_KEYPOINT, 25), (SMG_LIMB, 24)],
                         ids=['keypoint', 'limb'])
def test_smg_posec3d_builds_and_steps(path, channels, smg_pkl):
    cfg = _narrow(Config.fromfile(path), path)
    assert cfg.model.cls_head.num_classes == 17
    cfg.train_dataloader.dataset.dataset.ann_file = smg_pkl
    train = DATASETS.build(cfg.train_dataloader.dataset.dataset)
    # the release's own colour pixels reach the pipeline (the projection is the fallback)
    assert train.get_data_info(0)['keypoint_2d'].shape[-1] == 2
    batch = pseudo_collate([train[i] for i in range(2)])
    assert batch['inputs'][0].shape == (1, channels, 8, 56, 56)
    assert batch['inputs'][0].max() > 0.5  # the body lands inside the crop
    model = MODELS.build(cfg.model)
    losses = model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01)))
    assert torch.isfinite(losses['loss_cls'])


def test_every_posec3d_config_is_tested():
    assert sorted(glob.glob(osp.join(P3D, '*.py'))) == sorted(
        [KEYPOINT, LIMB, RGBPOSE, RGB_ONLY, POSE_ONLY, LABELEMB, LABELEMB_LIMB])
    assert sorted(glob.glob(osp.join(SMG_P3D, '*.py'))) == sorted([SMG_KEYPOINT, SMG_LIMB])


# -- mmaction2's RGBPoseConv3D recipe: RGB-only + pose-only -> merged initialisation -> fused --

def _narrow_rgbpose(cfg):
    rgb, pose = cfg.model.backbone.rgb_pathway, cfg.model.backbone.pose_pathway
    rgb.base_channels, pose.base_channels = 8, 4
    cfg.model.cls_head.in_channels = [256, 64]
    return cfg


def _randomise(model, seed):
    """Every float parameter and buffer moved off its initialisation (BN statistics too)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, t in list(model.named_parameters()) + list(model.named_buffers()):
            if t.is_floating_point():
                t.add_(0.1 * torch.randn(t.shape, generator=g))
                if name.endswith('running_var'):
                    t.abs_().add_(0.5)


def test_rgbpose_recipe_configs():
    rgbpose = Config.fromfile(RGBPOSE)
    splits = [rgbpose[f'{s}_dataloader'].dataset.split for s in ('train', 'val', 'test')]
    assert splits == ['xsub_train_minus_val', 'xsub_val', 'xsub_test']
    assert rgbpose.default_hooks.checkpoint.save_best == 'acc/RGBPose_1:1_top1'
    assert rgbpose.load_from == 'work_dirs/rgbpose_conv3d_init_imigue.pth'
    rgb, pose = Config.fromfile(RGB_ONLY), Config.fromfile(POSE_ONLY)
    # each single model has its pathway's settings, so the merge is exact
    for single, path in ((rgb.model.backbone, rgbpose.model.backbone.rgb_pathway),
                         (pose.model.backbone, rgbpose.model.backbone.pose_pathway)):
        for key in ('conv1_kernel', 'inflate'):  # (1, 7, 7) is ResNet3dSlowOnly's default
            assert tuple(single.get(key, (1, 7, 7))) == tuple(path[key])
    assert rgb.model.backbone.with_pool2 is False
    assert tuple(pose.model.backbone.temporal_strides) == (1, 1, 1)
    assert [t.type for t in rgb.train_pipeline][:3] == ['MMUniformSampleFrames',
                                                         'MGClipToVideoFrames', 'MMDecode']
    assert rgb.train_pipeline[0].clip_len == dict(RGB=8)
    assert pose.train_pipeline[0].clip_len == 32
    for cfg in (rgb, pose):
        train = cfg.train_dataloader.dataset
        assert (train.times, train.dataset.split) == (10, 'xsub_train_minus_val')
        assert cfg.val_dataloader.dataset.split == 'xsub_val'


def test_merged_init_reproduces_both_single_models(tmp_path):
    from tests.cli import run_tool
    rgb_cfg, pose_cfg = Config.fromfile(RGB_ONLY), Config.fromfile(POSE_ONLY)
    rgb_cfg.model.backbone.base_channels, rgb_cfg.model.cls_head.in_channels = 8, 256
    pose_cfg.model.backbone.base_channels, pose_cfg.model.cls_head.in_channels = 4, 64
    singles = {}
    for name, cfg, seed in (('rgb', rgb_cfg, 1), ('pose', pose_cfg, 2)):
        model = MODELS.build(cfg.model)
        model.init_weights()
        _randomise(model, seed)
        torch.save(dict(state_dict=model.state_dict(), meta={}), str(tmp_path / f'{name}.pth'))
        singles[name] = model.eval()
    narrow = tmp_path / 'rgbpose_narrow.py'
    narrow.write_text(f"_base_ = [{RGBPOSE!r}]\nmodel = dict(backbone=dict(rgb_pathway=dict("
                      "base_channels=8), pose_pathway=dict(base_channels=4)), "
                      "cls_head=dict(in_channels=[256, 64]))\n")
    out = tmp_path / 'init.pth'
    printed = run_tool('tools', 'model_converters', 'merge_rgbpose_init.py', args=[
        narrow, tmp_path / 'rgb.pth', tmp_path / 'pose.pth', '--out', out]).stdout
    assert 'with zero lateral input channels' in printed and '0 unused' in printed
    merged = MODELS.build(_narrow_rgbpose(Config.fromfile(RGBPOSE)).model)
    ckpt = torch.load(str(out), map_location='cpu', weights_only=True)
    merged.load_state_dict(ckpt['state_dict'], strict=True)
    merged.eval()
    torch.manual_seed(0)
    imgs, heat = torch.randn(2, 3, 8, 64, 64), torch.rand(2, 22, 32, 16, 16)
    with torch.no_grad():
        scores = merged.cls_head(merged.backbone(imgs, heat))
        rgb = singles['rgb'].cls_head(singles['rgb'].backbone(imgs))
        pose = singles['pose'].cls_head(singles['pose'].backbone(heat))
    # at initialisation each pathway is its single model (the laterals start at zero)
    torch.testing.assert_close(scores['rgb'], rgb, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(scores['pose'], pose, rtol=1e-4, atol=1e-5)
    # a single model of another width is refused, naming the tensor
    bad = tmp_path / 'bad.pth'
    wide = MODELS.build(dict(rgb_cfg.model, backbone=dict(rgb_cfg.model.backbone,
                                                          base_channels=16)))
    torch.save(dict(state_dict=wide.state_dict()), str(bad))
    proc = run_tool('tools', 'model_converters', 'merge_rgbpose_init.py', check=False, args=[
        narrow, bad, tmp_path / 'pose.pth', '--out', tmp_path / 'x.pth'])
    assert proc.returncode == 1 and 'does not fit RGBPoseConv3D' in proc.stderr
    assert not (tmp_path / 'x.pth').exists()


@pytest.mark.skipif(not osp.isfile(NTU), reason=f'{NTU} not found')
def test_rgbpose_test_dump_keeps_each_stream_and_the_fused_score(rgbpose_data, tmp_path):
    """tools/test.py --dump on RGBPoseConv3D (a dict of rgb / pose scores per clip)."""
    import pickle

    from mmimigue.evaluation.score_files import load_stream
    from tests.cli import run_tool
    pkl, videos, _ = rgbpose_data
    model = MODELS.build(_narrow_rgbpose(Config.fromfile(RGBPOSE)).model)
    torch.save(dict(state_dict=model.state_dict(), meta={}), str(tmp_path / 'm.pth'))
    narrow = tmp_path / 'rgbpose_narrow.py'
    narrow.write_text(
        f"_base_ = [{RGBPOSE!r}]\nmodel = dict(backbone=dict(rgb_pathway=dict(base_channels=8),"
        " pose_pathway=dict(base_channels=4)), cls_head=dict(in_channels=[256, 64]))\n"
        f"test_dataloader = dict(num_workers=0, persistent_workers=False, dataset=dict("
        f"ann_file={pkl!r}, data_prefix=dict(video={videos!r}), split=None, indices=3))\n"
        "test_pipeline = [dict(type='MMUniformSampleFrames', clip_len=dict(RGB=2, Pose=8), "
        "num_clips=1, test_mode=True)] + _base_.decode + [dict(type='Resize', scale=(64, 64), "
        "keep_ratio=False), _base_.target] + _base_.pack\n"
        "test_dataloader['dataset']['pipeline'] = test_pipeline\n")
    dump = tmp_path / 'rgbpose.pkl'
    run_tool('tools', 'test.py', args=[narrow, tmp_path / 'm.pth', '--dump', dump,
                                        '--work-dir', tmp_path / 'wd'])
    with open(dump, 'rb') as f:
        records = pickle.load(f)
    assert len(records) == 3
    for r in records:
        assert set(r['stream_scores']) == {'rgb', 'pose'}
        np.testing.assert_allclose(r['pred_score'], (r['stream_scores']['rgb'] +
                                                     r['stream_scores']['pose']) / 2, rtol=1e-6)
        assert r['pred_score'].shape == (32, ) and r['frame_dir']
    rgb = load_stream(str(dump), key='rgb')
    np.testing.assert_allclose(rgb.scores[0], records[0]['stream_scores']['rgb'], rtol=1e-6)
    # the 2025 winner's fusion of one model's streams: rgb 0.5 + pose 0.5
    fused = run_tool('tools', 'analysis', 'fuse_scores.py', args=[
        f'{dump}:rgb', f'{dump}:pose', '--weights', '0.5', '0.5', '--out',
        tmp_path / 'fused.pkl']).stdout
    assert 'fused' in fused
    with open(tmp_path / 'fused.pkl', 'rb') as f:
        again = pickle.load(f)
    np.testing.assert_allclose([r['pred_score'] for r in again],
                               [r['pred_score'] for r in records], rtol=1e-5)


@pytest.mark.parametrize('path,channels', [(LABELEMB, 22), (LABELEMB_LIMB, 21)],
                         ids=['keypoint', 'limb'])
def test_miga2023_winner_recipe(path, channels, synthetic_imigue_pkl):
    cfg = Config.fromfile(path)
    head = cfg.model.cls_head
    assert head.type == 'MGLabelEmbeddingHead' and head.loss_weight == 20
    assert head.head.type == 'I3DHead' and head.head.num_classes == 32
    assert cfg.train_cfg.max_epochs == 100 and cfg.optim_wrapper.clip_grad is None
    assert cfg.optim_wrapper.optimizer.lr == pytest.approx(0.4 / 6 / 8)
    train = cfg.train_dataloader.dataset
    assert (train.times, train.dataset.split, cfg.val_dataloader.dataset.split) == \
        (1, 'xsub_train_minus_val', 'xsub_val')
    cfg.model.backbone.base_channels, head.head.in_channels = 4, 64
    head.text_encoder = dict(type='MGHashTextEncoder', embed_dims=16)  # fast; MiniLM by default
    for ds in (train.dataset, cfg.test_dataloader.dataset):
        next(t for t in ds.pipeline if t.type == 'UniformSampleFrames').clip_len = 8
    train.dataset.ann_file = synthetic_imigue_pkl
    batch = pseudo_collate([DATASETS.build(train.dataset)[i] for i in range(2)])
    assert batch['inputs'][0].shape == (1, channels, 8, 56, 56)
    model = MODELS.build(cfg.model)
    model.init_weights()
    losses = model.train_step(batch, OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01)))
    assert torch.isfinite(losses['loss_label_emb']) and torch.isfinite(losses['loss_cls'])
