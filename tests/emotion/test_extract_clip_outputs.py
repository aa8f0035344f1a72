"""tools/extract_clip_outputs.py on a tiny converted pickle with the ST-GCN baseline config."""
import os.path as osp

import mmengine
import numpy as np
import pytest
import torch
from cli import run_tool
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmimigue.apis.extract_clip_outputs import extract_clip_outputs

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
STGCN_CFG = osp.join(REPO, 'configs', 'imigue',
                     'stgcn_1xb16-joint-u64-80e_imigue-xsub-keypoint-2d.py')


def _tiny_pickle(path):
    """3 videos x 4 clips (22 joints), clips listed out of temporal order, two clip splits."""
    rng = np.random.default_rng(0)
    annos, train, test = [], [], []
    for v, (vid, subject, emotion) in enumerate((('0001', 5, 1), ('0007', 9, 0), ('0008', 5, 0))):
        for k, start in zip((3, 1, 4, 2), (300, 0, 450, 120)):
            t = int(rng.integers(20, 30))
            fd = f'{vid}_{k}'
            annos.append(dict(
                frame_dir=fd, label=int(rng.integers(0, 32)), total_frames=t,
                img_shape=(720, 1280), original_shape=(720, 1280),
                keypoint=rng.uniform(200, 900, (1, t, 22, 2)).astype(np.float32),
                keypoint_score=rng.uniform(0.3, 1, (1, t, 22)).astype(np.float32),
                video_id=vid, subject_id=subject, emotion=emotion, start_frame=start,
                end_frame=start + t - 1, clip_index=k))
            (train if subject == 5 else test).append(fd)
    mmengine.dump(dict(split=dict(xsub_train=train, xsub_test=test), annotations=annos), path)
    return annos


@pytest.fixture(scope='module')
def tiny_setup(tmp_path_factory):
    root = tmp_path_factory.mktemp('extract')
    ann = str(root / 'tiny.pkl')
    annos = _tiny_pickle(ann)
    cfg_path = str(root / 'tiny_stgcn.py')
    pipeline = [
        dict(type='MGNormalizeBody2D'),  # the default recipe's x / y input
        dict(type='MGGenSkeFeat', layout='imigue22', feats=['j'], with_score=False),
        dict(type='UniformSampleFrames', clip_len=8, num_clips=3, test_mode=True),
        dict(type='PoseDecode'),
        dict(type='FormatGCNInput', num_person=1),
        dict(type='PackActionInputs')]
    with open(cfg_path, 'w') as f:
        f.write(f"_base_ = {STGCN_CFG!r}\n"
                "model = dict(backbone=dict(base_channels=8, num_stages=2, inflate_stages=[], "
                "down_stages=[]), cls_head=dict(in_channels=8, average_clips='score'))\n"
                f"test_dataloader = dict(num_workers=0, persistent_workers=False, "
                f"dataset=dict(ann_file={ann!r}, pipeline={pipeline!r}))\n")
    cfg = Config.fromfile(cfg_path)
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    ckpt = str(root / 'tiny.pth')
    torch.save(dict(state_dict=model.state_dict(), meta=dict()), ckpt)
    out = str(root / 'clip_outputs.pkl')
    run_tool('tools', 'extract_clip_outputs.py', args=[cfg_path, ckpt, '--out', out,
                                                       '--batch-size', '5', '--device', 'cpu'])
    return dict(cfg=cfg_path, ckpt=ckpt, out=out, annos=annos, model=model, root=root)


def test_every_clip_once_in_temporal_order(tiny_setup):
    content = mmengine.load(tiny_setup['out'])
    annos = {a['frame_dir']: a for a in tiny_setup['annos']}
    videos = content['videos']
    assert sorted(videos) == ['0001', '0007', '0008']
    seen = []
    for vid, v in videos.items():
        assert v['start_frame'].tolist() == [0, 120, 300, 450]
        assert v['clip_index'].tolist() == [1, 2, 3, 4]
        assert v['frame_dir'] == [f'{vid}_{k}' for k in (1, 2, 3, 4)]
        for i, fd in enumerate(v['frame_dir']):
            a = annos[fd]
            assert v['gt_label'][i] == a['label'] and v['end_frame'][i] == a['end_frame']
            assert v['clip_split'][i] == ('xsub_train' if a['subject_id'] == 5 else 'xsub_test')
            assert v['subject_id'] == a['subject_id'] and v['emotion'] == a['emotion']
        seen += v['frame_dir']
    assert sorted(seen) == sorted(annos)
    meta = content['meta']
    assert meta['num_classes'] == 32 and meta['feature_dim'] == 8 and len(meta['classes']) == 32
    assert meta['splits'] == ['xsub_train', 'xsub_test']


def test_scores_probabilities_and_pooled_features(tiny_setup):
    content = mmengine.load(tiny_setup['out'])
    fc = tiny_setup['model'].cls_head.fc
    for v in content['videos'].values():
        assert v['prob'].shape == (4, 32) and v['feature'].shape == (4, 8)
        np.testing.assert_allclose(v['prob'].sum(1), 1, atol=1e-5)
        assert (v['pred_label'] == v['cls_score'].argmax(1)).all()
        e = np.exp(v['cls_score'] - v['cls_score'].max(1, keepdims=True))
        np.testing.assert_allclose(v['prob'], e / e.sum(1, keepdims=True), atol=1e-6)
        # average_clips='score': the stored score is the mean of the 3 views' logits, and the
        # head's linear layer is affine, so fc(mean pooled feature) reproduces it
        with torch.no_grad():
            logits = fc(torch.from_numpy(v['feature'])).numpy()
        np.testing.assert_allclose(logits, v['cls_score'], atol=1e-4)


def test_split_all_and_bad_feature_layer(tiny_setup):
    a = extract_clip_outputs(tiny_setup['cfg'], tiny_setup['ckpt'], ['all'])
    b = mmengine.load(tiny_setup['out'])
    for vid in b['videos']:
        np.testing.assert_allclose(a['videos'][vid]['cls_score'], b['videos'][vid]['cls_score'],
                                   atol=1e-5)
        assert set(a['videos'][vid]['clip_split']) == {'all'}
    with pytest.raises(RuntimeError, match='does not match'):  # never random weights
        extract_clip_outputs(tiny_setup['cfg'], tiny_setup['ckpt'], cfg_options={
            'model.backbone.base_channels': 4, 'model.cls_head.in_channels': 4})
    with pytest.raises(ValueError, match='not a module'):
        extract_clip_outputs(tiny_setup['cfg'], tiny_setup['ckpt'],
                             feature_layer='cls_head.nope')


def test_emotion_dataset_reads_extracted_file(tiny_setup):
    from mmimigue.datasets import MGIMiGUEEmotionDataset
    ds = MGIMiGUEEmotionDataset(tiny_setup['out'], split='train', modality='feature',
                              split_file=None)
    # 0001 / 0007 / 0008 are all official emotion train videos
    assert sorted(ds.get_data_info(i)['video_id'] for i in range(len(ds))) == \
        ['0001', '0007', '0008']
    assert ds[0]['inputs']['seq'].shape == (4, 8)
