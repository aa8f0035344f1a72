"""MGIMiGUERGBDataset + MGDecordClipInit on the real videos, cut_clips, and the RGB configs."""
import os
import os.path as osp
import pickle

import decord
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.datasets import MGIMiGUERGBDataset
from mmimigue.datasets.transforms.decord_clip_init import ClipRangeError, MGDecordClipInit

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VIDEOS = osp.join(osp.dirname(ROOT), 'shared', 'data', 'videos')
NTU = osp.join(VIDEOS, 'ntu_S001C001P001R001A001_drink_water.avi')  # 103 frames
SHAKE = osp.join(VIDEOS, 'two_person_handshake.mp4')  # 72 frames
# The two real videos live in ../shared (not in the repository): without them, skip and say so.
pytestmark = pytest.mark.skipif(not osp.isdir(VIDEOS), reason=f'real test videos not found: {VIDEOS}')
HEADER = ('video_id,label_id,start_time,start_frame,end_time,end_frame,class,subject_id,'
          'subject_gender,subject_nationality,win_or_lose')
# subject 2 is an official training subject, subject 1 a test subject
ROWS = ['2,1,0,0,0.8,20,8,2,F,X,Win', '2,2,0.8,21,2.0,50,31,2,F,X,Win',
        '2,3,2.0,51,4.1,102,99,2,F,X,Win', '2,4,3.6,90,4.8,120,8,2,F,X,Win',
        '2,5,4.4,110,5.2,130,31,2,F,X,Win',
        '9,1,0,0,1.2,30,8,1,M,Y,Lose', '9,2,1.2,31,2.8,71,31,1,M,Y,Lose']

init_default_scope('mmaction')


@pytest.fixture(scope='module')
def rgb_data(tmp_path_factory):
    root = tmp_path_factory.mktemp('rgb')
    os.makedirs(root / 'videos')
    os.symlink(NTU, root / 'videos' / '0002.mp4')
    os.symlink(SHAKE, root / 'videos' / '0009.mp4')
    (root / 'labels.csv').write_text('\n'.join([HEADER] + ROWS) + '\n')
    return str(root)


def _pipeline(num_clips=4, size=16, test_mode=False):
    return [dict(type='MGDecordClipInit'),
            dict(type='SampleFrames', clip_len=1, frame_interval=1, num_clips=num_clips,
                 test_mode=test_mode),
            dict(type='DecordDecode'), dict(type='Resize', scale=(size, size), keep_ratio=False),
            dict(type='FormatShape', input_format='NCHW'), dict(type='PackActionInputs')]


def _dataset(rgb_data, split='xsub_train', **kwargs):
    return MGIMiGUERGBDataset(osp.join(rgb_data, 'labels.csv'), kwargs.pop('pipeline', _pipeline()),
                            data_prefix=dict(video=osp.join(rgb_data, 'videos')), split=split,
                            **kwargs)


@pytest.fixture(scope='module')
def ntu_small_frames():
    """Every frame of the NTU video decoded in order at 64x36 (the ground truth)."""
    vr = decord.VideoReader(NTU, width=64, height=36)
    return vr.get_batch(list(range(len(vr)))).asnumpy()


def test_frames_are_sampled_inside_the_clip(rgb_data, ntu_small_frames):
    from mmaction.registry import TRANSFORMS
    ds = _dataset(rgb_data)
    assert ds.clip_ids() == ['0002_1', '0002_2', '0002_3', '0002_4']
    init = MGDecordClipInit(width=64, height=36)
    sampler = TRANSFORMS.build(dict(type='SampleFrames', clip_len=1, num_clips=6))
    uniform = TRANSFORMS.build(dict(type='UniformSample', clip_len=5))
    decode = TRANSFORMS.build(dict(type='DecordDecode'))
    np.random.seed(0)
    for idx, (lo, hi) in enumerate([(0, 20), (21, 50), (51, 102), (90, 102)]):
        r = init(ds.get_data_info(idx))
        assert r['total_frames'] == hi - lo + 1 and r['start_index'] == lo
        assert r['video_total_frames'] == 103
        seen = set()
        for _ in range(30):  # sampling only: cheap, so many draws
            for op in (sampler, uniform):
                inds = op(dict(r))['frame_inds']
                assert inds.min() >= lo and inds.max() <= hi, (idx, inds)
                seen.update(inds.tolist())
        assert len(seen) > 0.6 * (hi - lo + 1)  # random draws cover the clip, not a prefix
        out = decode(sampler(r))  # one decode per clip: frames equal the ground truth
        np.testing.assert_array_equal(np.stack(out['imgs']), ntu_small_frames[out['frame_inds']])
        assert out['img_shape'] == (36, 64)


def test_pipeline_output_and_labels(rgb_data):
    ds = _dataset(rgb_data, split='xsub_test', pipeline=_pipeline(test_mode=True))
    assert len(ds) == 2 and ds.summary['clips'] == 2
    out = ds[1]
    assert out['inputs'].shape == (4, 3, 16, 16) and out['inputs'].dtype == torch.uint8
    assert int(out['data_samples'].gt_label) == 30  # csv class 31 -> index 30
    assert _dataset(rgb_data).get_data_info(2)['label'] == 31  # csv class 99 -> index 31
    info = ds.get_data_info(1)
    assert (info['video_id'], info['subject_id'], info['emotion'], info['clip_index']) == \
        ('0009', 1, 0, 2)
    assert ds.metainfo['classes'][31].startswith('Illustrative')


def test_clips_past_the_video_end_are_counted(rgb_data):
    ds = _dataset(rgb_data)
    s = ds.summary
    assert s['skipped_past_video_end'] == 1 and s['truncated_at_video_end'] == 1
    assert s['skipped'] == [('0002_5', 'starts at frame 110, past the last frame 102 of '
                             f'{osp.join(rgb_data, "videos", "0002.mp4")}')]
    assert ds.get_data_info(3)['clip_end'] == 102 and ds.get_data_info(3)['total_frames'] == 13


def test_unchecked_clip_past_the_end_is_a_clear_error(rgb_data):
    ds = _dataset(rgb_data, check_videos=False)
    assert len(ds) == 5
    with pytest.raises(ClipRangeError, match=r'0002_5 spans frames 110..130 but the video has '
                       r'frames 0..102'):
        ds[4]
    r = MGDecordClipInit()(ds.get_data_info(3))
    assert r['clip_truncated'] and r['total_frames'] == 13


def test_whole_video_init_is_rejected(rgb_data):
    pipe = [dict(type='DecordInit')] + _pipeline()[1:]
    with pytest.raises(ValueError, match='replace DecordInit with MGDecordClipInit'):
        _dataset(rgb_data, pipeline=pipe)


def test_missing_videos(rgb_data, tmp_path):
    os.makedirs(tmp_path / 'videos')
    os.symlink(NTU, tmp_path / 'videos' / '0002.mp4')
    ds = MGIMiGUERGBDataset(osp.join(rgb_data, 'labels.csv'), _pipeline(),
                          data_prefix=dict(video=str(tmp_path / 'videos')), split=None)
    assert ds.summary['skipped_missing_video'] == 2 and len(ds) == 4
    with pytest.raises(FileNotFoundError, match='none of the 2 clips .* video_template'):
        MGIMiGUERGBDataset(osp.join(rgb_data, 'labels.csv'), _pipeline(),
                         data_prefix=dict(video=str(tmp_path / 'videos')), split='xsub_test')
    with pytest.raises(FileNotFoundError, match='labels.csv'):
        MGIMiGUERGBDataset(str(tmp_path / 'none.csv'), _pipeline())


def test_converted_pickle_as_annotation_source(rgb_data, tmp_path):
    annos = [dict(frame_dir='0009_2', label=5, start_frame=31, end_frame=71, video_id='0009',
                  subject_id=1, emotion=0, clip_index=2, keypoint=np.zeros((1, 41, 137, 2)))]
    pkl = tmp_path / 'ann.pkl'
    with open(pkl, 'wb') as f:
        pickle.dump(dict(split={'xsub_test': ['0009_2'], 'xsub_train': []}, annotations=annos), f)
    ds = MGIMiGUERGBDataset(str(pkl), _pipeline(), split='xsub_test',
                          data_prefix=dict(video=osp.join(rgb_data, 'videos')))
    info = ds.get_data_info(0)
    assert (info['clip_start'], info['clip_end'], info['label']) == (31, 71, 5)
    assert 'keypoint' not in info


def test_cut_clips_tool(rgb_data, tmp_path):
    from mmimigue.datasets.rgb_clip_files import cut_clips
    labels = tmp_path / 'labels.csv'  # a few short clips keep the decoding cheap
    labels.write_text('\n'.join([HEADER, ROWS[0], ROWS[3], ROWS[4], ROWS[5]]) + '\n')
    s = cut_clips(str(labels), osp.join(rgb_data, 'videos'), str(tmp_path / 'clips'),
                  short_side=32)
    assert s['written'] == 3 and s['skipped_past_video_end'] == 1
    assert s['truncated_at_video_end'] == 1
    clip = decord.VideoReader(str(tmp_path / 'clips' / '0002_4.mp4'))
    assert len(clip) == 13 and clip[0].shape == (32, 56, 3)  # frames 90..102, short side 32
    assert len(decord.VideoReader(str(tmp_path / 'clips' / '0009_1.mp4'))) == 31
    assert open(s['lists']['xsub_train']).read() == '0002_1.mp4 7\n0002_4.mp4 7\n'
    assert open(s['lists']['xsub_test']).read() == '0009_1.mp4 7\n'
    again = cut_clips(str(labels), osp.join(rgb_data, 'videos'), str(tmp_path / 'clips'))
    assert again['written'] == 0 and again['already_there'] == 3
    files = sorted(os.listdir(tmp_path / 'clips'))  # no temporary file left behind
    assert files == sorted(['0002_1.mp4', '0002_4.mp4', '0009_1.mp4'] +
                           [osp.basename(p) for p in s['lists'].values()])


def test_cut_clips_never_writes_outside_its_folder(rgb_data, tmp_path):
    """A pickle whose split is named ../../ESCAPED: refused before any file is written."""
    from mmimigue.datasets.rgb_clip_files import cut_clips
    annos = [dict(frame_dir='0009_2', label=5, start_frame=31, end_frame=40, video_id='0009')]
    pkl = tmp_path / 'ann.pkl'
    with open(pkl, 'wb') as f:
        pickle.dump(dict(split={'../../ESCAPED': ['0009_2']}, annotations=annos), f)
    out = tmp_path / 'a' / 'b' / 'clips'
    with pytest.raises(ValueError, match='not a plain name'):
        cut_clips(str(pkl), osp.join(rgb_data, 'videos'), str(out))
    assert not (tmp_path / 'a' / 'ESCAPED_list.txt').exists() and not out.exists()


def _tiny_rgb_cfg(name, rgb_data, work_dir):
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(ROOT, 'configs', 'imigue', name))
    assert cfg.model.backbone.pretrained is None
    cfg.work_dir = work_dir
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dl = cfg[key]
        dl.num_workers, dl.persistent_workers, dl.batch_size = 0, False, 2
        dl.dataset.ann_file = osp.join(rgb_data, 'labels.csv')
        # the tiny release has one training subject: nothing is left to hold out for validation
        dl.dataset.split = 'xsub_train' if key == 'train_dataloader' else 'xsub_test'
        dl.dataset.data_prefix = dict(video=osp.join(rgb_data, 'videos'))
        for t in dl.dataset.pipeline:
            if t.type == 'MGDecordClipInit':
                t.update(width=64, height=36)  # decord scales while decoding: cheap tests
            if t.type in ('SampleFrames', ):
                t.num_clips = 2
            if t.type == 'UniformSample':
                t.clip_len = 4
            if t.type == 'Resize' and t.scale != (-1, 256):
                t.scale = (32, 32)
            if t.type == 'Resize' and t.scale == (-1, 256):
                t.scale = (-1, 40)
            if t.type == 'MultiScaleCrop':
                t.input_size = 32
            if t.type == 'CenterCrop':
                t.crop_size = 32
    cfg.train_cfg.update(max_epochs=1, val_begin=1, val_interval=1)
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=-1, save_last=False)
    cfg.default_hooks.logger.interval = 1
    return cfg


@pytest.mark.parametrize('name', ['tsm_r50_1xb16-1x1x8-50e_imigue-rgb.py',
                                  'r2plus1d_r34_1xb8-u32-180e_imigue-rgb.py'])
def test_rgb_configs_train_one_epoch(name, rgb_data, tmp_path):
    from mmengine.runner import Runner
    torch.manual_seed(0)
    torch.set_num_threads(1)
    cfg = _tiny_rgb_cfg(name, rgb_data, str(tmp_path))
    if name.startswith('tsm'):
        cfg.model.backbone.update(depth=18, num_segments=2)
        cfg.model.cls_head.update(in_channels=512, num_segments=2)
    else:
        cfg.model.backbone.update(depth=18)
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.iter == 2  # 4 training clips, batch 2
    metrics = runner.val_loop.run()
    assert 0.0 <= metrics['acc/top1'] <= 1.0
    last = runner.message_hub.get_scalar('train/loss').current()
    assert np.isfinite(last)
