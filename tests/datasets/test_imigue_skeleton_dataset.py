"""MGIMiGUESkeletonDataset: layouts, splits, pipeline outputs, clear errors."""
import pickle

import pytest
from mmaction.registry import DATASETS

from mmimigue.skeleton.layouts import LAYOUTS


def _pipeline(layout, clip_len=16):
    return [dict(type='PreNormalize2D'),
            dict(type='MGGenSkeFeat', layout=layout, feats=['j']),
            dict(type='UniformSampleFrames', clip_len=clip_len),
            dict(type='PoseDecode'),
            dict(type='FormatGCNInput', num_person=1),
            dict(type='PackActionInputs', meta_keys=('frame_dir', 'video_id', 'subject_id'))]


@pytest.mark.parametrize('layout', ['imigue22', 'body25', 'openpose137'])
def test_pipeline_output_shapes(synthetic_imigue_pkl, layout):
    ds = DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=synthetic_imigue_pkl,
                             pipeline=_pipeline(layout), split='xsub_test', layout=layout))
    assert len(ds) > 0
    V = LAYOUTS[layout]['num_node']
    sample = ds[0]
    assert tuple(sample['inputs'].shape) == (1, 1, 16, V, 3)
    meta = sample['data_samples'].metainfo
    assert meta['frame_dir'] and meta['subject_id'] > 0
    assert 0 <= int(sample['data_samples'].gt_label) < 32
    assert ds.metainfo['classes'][10] == 'Touching jaw'


def test_splits_and_selection(synthetic_imigue_pkl):
    with open(synthetic_imigue_pkl, 'rb') as f:
        content = pickle.load(f)
    ds = DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=synthetic_imigue_pkl,
                             pipeline=[], split='xsub_train', layout='imigue22'))
    assert len(ds) == len(content['split']['xsub_train'])
    info = ds.get_data_info(0)
    full = {a['frame_dir']: a for a in content['annotations']}[info['frame_dir']]
    assert (info['keypoint'][0, :, 12] == full['keypoint'][0, :, 95 + 4]).all()  # L thumb tip


def test_clear_errors(tmp_path, synthetic_imigue_pkl):
    with pytest.raises(FileNotFoundError, match='convert.py'):
        DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=str(tmp_path / 'x.pkl')))
    with pytest.raises(KeyError, match="no split 'xsub_nope'.*xsub_test"):
        DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=synthetic_imigue_pkl,
                            split='xsub_nope'))
    with pytest.raises(KeyError, match='unknown skeleton layout'):
        DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=synthetic_imigue_pkl,
                            layout='coco'))


def test_the_kinect_layout_is_refused_for_openpose_clips(synthetic_imigue_pkl):
    """ntu25 would select the first 25 OpenPose points and wire them as NTU joints."""
    from mmimigue.datasets import MGIMiGUESkeletonDataset
    with pytest.raises(ValueError, match="'ntu25' is the Kinect"):
        MGIMiGUESkeletonDataset(synthetic_imigue_pkl, layout='ntu25')
