"""MGIMiGUEEmotionDataset and the padding collate."""
import json

import mmengine
import numpy as np
import pytest
import torch
from mmaction.registry import DATASETS
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmimigue.datasets import MGIMiGUEEmotionDataset, mg_emotion_pad_collate
from mmimigue.protocol import imigue_emotion_split


def test_split_membership_and_labels(toy_clip_outputs):
    train_ids, test_ids = imigue_emotion_split()
    content = mmengine.load(toy_clip_outputs)
    for split, ids, num in (('train', train_ids, 60), ('emotion_test', test_ids, 24)):
        ds = MGIMiGUEEmotionDataset(toy_clip_outputs, split=split, modality='pred_label')
        got = [ds.get_data_info(i)['video_id'] for i in range(len(ds))]
        assert len(got) == num and set(got) <= set(ids)
        for i in range(len(ds)):
            info = ds.get_data_info(i)
            assert info['label'] == content['videos'][info['video_id']]['emotion']
        # the other 42 / 76 official videos are not in the toy file: counted, not fatal
        assert len(ds.skipped['missing']) == len(ids) - num


def test_temporal_order_and_modalities(toy_clip_outputs):
    content = mmengine.load(toy_clip_outputs)
    shapes = dict(prob=(32, ), score=(32, ), feature=(8, ), pred_label=(), gt_label=())
    for modality, tail in shapes.items():
        ds = MGIMiGUEEmotionDataset(toy_clip_outputs, split='test', modality=modality)
        item = ds[0]
        seq = item['inputs']['seq']
        vid = item['data_samples'].video_id
        entry = content['videos'][vid]
        assert tuple(seq.shape) == (entry['start_frame'].shape[0], *tail)
        field = 'cls_score' if modality == 'score' else modality
        order = np.argsort(entry['start_frame'])
        np.testing.assert_array_equal(seq.numpy(), np.asarray(entry[field])[order])
        assert seq.dtype == (torch.int64 if modality.endswith('label') else torch.float32)
        assert item['data_samples'].num_clips == len(seq)
        assert int(item['data_samples'].gt_label) == entry['emotion']


def test_hand_made_unsorted_file_is_sorted(tmp_path, toy_clip_outputs):
    content = mmengine.load(toy_clip_outputs)
    vid = sorted(content['videos'])[0]
    entry = content['videos'][vid]
    rev = slice(None, None, -1)  # store one video's clips in reverse order
    for key in ('start_frame', 'end_frame', 'gt_label', 'pred_label', 'prob', 'cls_score',
                'feature', 'clip_index'):
        entry[key] = entry[key][rev]
    entry['frame_dir'] = entry['frame_dir'][rev]
    entry['clip_split'] = entry['clip_split'][rev]
    path = str(tmp_path / 'rev.pkl')
    mmengine.dump(content, path)
    for split in ('train', 'test'):
        ds = MGIMiGUEEmotionDataset(path, split=split, modality='gt_label')
        for i in range(len(ds)):
            assert np.all(np.diff(ds.get_data_info(i)['start_frame']) > 0)


def test_split_file_and_clip_splits(tmp_path, toy_clip_outputs):
    content = mmengine.load(toy_clip_outputs)
    some = sorted(content['videos'])[:5]
    split_file = tmp_path / 'split.json'
    split_file.write_text(json.dumps({'emotion_train_videos': some[:3],
                                      'emotion_test_videos': some[3:] + ['9999']}))
    ds = MGIMiGUEEmotionDataset(toy_clip_outputs, split='train', split_file=str(split_file))
    assert [ds.get_data_info(i)['video_id'] for i in range(len(ds))] == some[:3]
    ds = MGIMiGUEEmotionDataset(toy_clip_outputs, split='test', split_file=str(split_file))
    assert len(ds) == 2 and ds.skipped == {'missing': ['9999']}
    only = MGIMiGUEEmotionDataset(toy_clip_outputs, split='train', split_file=str(split_file),
                                clip_splits=('xsub_test', ))
    for i in range(len(only)):
        vid = only.get_data_info(i)['video_id']
        keep = np.asarray(content['videos'][vid]['clip_split']) == 'xsub_test'
        assert only.get_data_info(i)['num_clips'] == keep.sum()


def test_bad_arguments_and_empty_split(tmp_path, toy_clip_outputs):
    with pytest.raises(ValueError, match='modality'):
        MGIMiGUEEmotionDataset(toy_clip_outputs, modality='probs')
    with pytest.raises(ValueError, match='split'):
        MGIMiGUEEmotionDataset(toy_clip_outputs, split='val')
    split_file = tmp_path / 'split.json'
    split_file.write_text(json.dumps({'emotion_train_videos': ['9998', '9999']}))
    with pytest.raises(ValueError, match='none of the train videos'):
        MGIMiGUEEmotionDataset(toy_clip_outputs, split='train', split_file=str(split_file))


def test_collate_pads_and_masks(toy_clip_outputs):
    ds = MGIMiGUEEmotionDataset(toy_clip_outputs, split='train', modality='prob')
    items = [ds[i] for i in range(4)]
    batch = mg_emotion_pad_collate(items)
    seq, mask = batch['inputs']['seq'], batch['inputs']['mask']
    lengths = [len(it['inputs']['seq']) for it in items]
    assert seq.shape == (4, max(lengths), 32) and mask.dtype == torch.bool
    assert mask.sum(1).tolist() == lengths
    for i, it in enumerate(items):
        assert torch.equal(seq[i, :lengths[i]], it['inputs']['seq'])
        assert torch.all(seq[i, lengths[i]:] == 0)
    assert batch['data_samples'] == [it['data_samples'] for it in items]
    labels = mg_emotion_pad_collate([{'inputs': torch.tensor([3, 4]), 'data_samples': None},
                                  {'inputs': torch.tensor([5]), 'data_samples': None}])
    assert labels['inputs']['seq'].tolist() == [[3, 4], [5, 0]]
    assert labels['inputs']['mask'].tolist() == [[True, True], [True, False]]
    with pytest.raises(ValueError, match='empty'):
        mg_emotion_pad_collate([{'inputs': torch.zeros(0, 3), 'data_samples': None}])
    with pytest.raises(ValueError, match='per-step shapes'):
        mg_emotion_pad_collate([{'inputs': torch.zeros(2, 3), 'data_samples': None},
                             {'inputs': torch.zeros(2, 4), 'data_samples': None}])


def test_dataloader_from_config(toy_clip_outputs):
    init_default_scope('mmaction')
    loader = Runner.build_dataloader(dict(
        batch_size=5, num_workers=0, sampler=dict(type='DefaultSampler', shuffle=False),
        collate_fn=dict(type='mg_emotion_pad_collate'),
        dataset=dict(type='MGIMiGUEEmotionDataset', ann_file=toy_clip_outputs, split='test',
                     modality='gt_label')))
    assert isinstance(loader.dataset, DATASETS.get('MGIMiGUEEmotionDataset'))
    batch = next(iter(loader))
    assert batch['inputs']['seq'].dtype == torch.int64
    assert batch['inputs']['mask'].shape == batch['inputs']['seq'].shape
