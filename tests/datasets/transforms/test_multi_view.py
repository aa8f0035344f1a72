"""MGMultiView: independent views packed as (N, num_views, M, T, V, C) for contrastive learning."""
import warnings

import numpy as np
import pytest
import torch
from mmaction.registry import TRANSFORMS
from mmengine.dataset import Compose, default_collate

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.datasets.transforms.multi_view import MGMultiView

SAMPLE = [dict(type='UniformSampleFrames', clip_len=16), dict(type='PoseDecode')]
FORMAT = [dict(type='GenSkeFeat', dataset='coco', feats=['j']),
          dict(type='FormatGCNInput', num_person=2)]
RECIPE = [dict(type='MGCoordinatePerturb'), dict(type='MGStretch'), dict(type='MGPosterizeTime')]


def make_results(t=50, v=22, seed=0, label=3):
    rng = np.random.default_rng(seed)
    kp = np.cumsum(rng.normal(0, 0.02, (1, t, v, 2)), axis=1) + rng.normal(0, 0.3, (1, 1, v, 2))
    return dict(keypoint=kp.astype(np.float32), total_frames=t, label=label, start_index=0,
                keypoint_score=rng.uniform(0.2, 1.0, (1, t, v)).astype(np.float32))


def pipeline(inner, num_views=2):
    return Compose([TRANSFORMS.build(dict(type='MGMultiView', transforms=inner,
                                          num_views=num_views)),
                    TRANSFORMS.build(dict(type='PackActionInputs'))])


def test_two_views_pack_and_collate_to_n_v_m_t_v_c():
    pipe = pipeline(SAMPLE + RECIPE + FORMAT)
    np.random.seed(0)
    samples = [pipe(make_results(seed=i, label=i)) for i in range(3)]
    assert samples[0]['inputs'].shape == (2, 2, 16, 22, 3)  # (views * clips, M, T, V, C)
    batch = default_collate(samples)
    assert batch['inputs'].shape == (3, 2, 2, 16, 22, 3)
    x = batch['inputs']
    assert not torch.allclose(x[:, 0], x[:, 1])  # views are independent draws
    assert torch.isfinite(x).all()
    assert (x[:, :, 1] == 0).all()  # FormatGCNInput zero-pads the second person in both views
    assert [s.gt_label.item() for s in batch['data_samples']] == [0, 1, 2]


def test_views_equal_single_view_pipeline_when_deterministic():
    res = make_results()
    res['frame_inds'] = np.arange(0, 50, 3)[:16]
    inner = [dict(type='PoseDecode')] + FORMAT
    out = pipeline(inner, num_views=3)(dict(res, keypoint=res['keypoint'].copy()))
    single = Compose([TRANSFORMS.build(t) for t in inner + [dict(type='PackActionInputs')]])(
        dict(res, keypoint=res['keypoint'].copy()))
    assert out['inputs'].shape == (3, 2, 16, 22, 3)
    for view in out['inputs']:
        torch.testing.assert_close(view, single['inputs'][0])


def test_view_order_is_query_then_key_and_seeded():
    """View i is the i-th draw from numpy's global RNG: replaying the draws reproduces it."""
    inner = SAMPLE + [dict(type='MGViewPerturb')] + FORMAT
    res = make_results()
    np.random.seed(5)
    out = pipeline(inner)(dict(res))
    np.random.seed(5)
    single = Compose([TRANSFORMS.build(t) for t in inner])
    q = single(dict(res))['keypoint']
    k = single(dict(res))['keypoint']
    np.testing.assert_allclose(out['inputs'].numpy(), np.concatenate([q, k]), atol=1e-6)
    np.random.seed(5)
    again = pipeline(inner)(dict(res))
    torch.testing.assert_close(out['inputs'], again['inputs'])


def test_num_clips_are_view_major_and_input_untouched():
    res = make_results()
    before = res['keypoint'].copy()
    inner = [dict(type='UniformSampleFrames', clip_len=8, num_clips=2), dict(type='PoseDecode'),
             dict(type='MGReverseClip')] + FORMAT
    out = MGMultiView(inner, num_views=2)(res)
    assert out['keypoint'].shape == (4, 2, 8, 22, 3) and out['num_views'] == 2
    np.testing.assert_array_equal(res['keypoint'], before)


def test_multiview_errors_and_skips():
    with pytest.raises(ValueError, match='num_views'):
        MGMultiView(SAMPLE, num_views=0)
    with pytest.raises(TypeError, match='list'):
        MGMultiView(dict(type='PoseDecode'))
    lengths = iter([8, 12])

    def variable_length(results):
        results['keypoint'] = results['keypoint'][:, :next(lengths)]
        return results

    with pytest.raises(ValueError, match='different keypoint shapes'):
        MGMultiView([variable_length])(make_results())
    assert MGMultiView([lambda r: None])(make_results()) is None
    with pytest.warns(UserWarning, match='test_mode'):
        MGMultiView([dict(type='UniformSampleFrames', clip_len=8, test_mode=True)])
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        MGMultiView(SAMPLE)
    assert repr(MGMultiView(SAMPLE)).startswith('MGMultiView(transforms=[UniformSampleFrames(')


def test_recommended_pipeline_on_converted_imigue(synthetic_imigue_pkl):
    """The docs' two-view recipe on MGIMiGUESkeletonDataset: finite (N, 2, 1, 64, 22, 3) batches."""
    from mmaction.registry import DATASETS
    view = RECIPE + [dict(type='MGGenSkeFeat', layout='imigue22', feats=['j']),
                     dict(type='FormatGCNInput', num_person=1)]
    pipeline = [dict(type='PreNormalize2D'), dict(type='UniformSampleFrames', clip_len=64),
                dict(type='PoseDecode'), dict(type='MGMultiView', transforms=view, num_views=2),
                dict(type='PackActionInputs')]
    ds = DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=synthetic_imigue_pkl,
                             pipeline=pipeline, split='xsub_train'))
    np.random.seed(0)
    batch = default_collate([ds[i] for i in range(4)])
    x = batch['inputs']
    assert x.shape == (4, 2, 1, 64, 22, 3)
    assert torch.isfinite(x).all()
    assert not torch.allclose(x[:, 0, ..., :2], x[:, 1, ..., :2])
    torch.testing.assert_close(x[:, 0, ..., 2], x[:, 0, ..., 2].clamp(0, 1))  # score channel
