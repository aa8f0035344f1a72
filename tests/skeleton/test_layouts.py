"""Skeleton layouts: trees over the stored keypoints, usable by mmaction2's Graph by name."""
import numpy as np
import pytest
import torch
from mmaction.models.utils import Graph
from mmaction.registry import MODELS

from mmimigue.skeleton.layouts import LAYOUTS, bone_pairs, graph_layout, layout_indices


@pytest.mark.parametrize('name', sorted(LAYOUTS))
def test_layout_is_a_spanning_tree(name):
    lay = LAYOUTS[name]
    children = [c for c, _ in lay['inward']]
    assert len(children) == len(set(children)) == lay['num_node'] - 1
    assert lay['center'] not in children  # the root has no parent
    g = Graph(layout=name, mode='spatial', max_hop=lay['num_node'])
    assert np.isfinite(g.hop_dis[:, lay['center']]).all()  # every joint reaches the centre
    assert g.A.shape == (3, lay['num_node'], lay['num_node'])
    assert len(layout_indices(name)) == lay['num_node']


def test_imigue22_matches_the_protocol():
    from mmimigue.protocol import imigue_protocol
    proto = imigue_protocol()['upper_body_22']
    offsets = dict(body=0, hand_left=95, hand_right=116)
    expected = [offsets[s.split('[')[0]] + int(s.split('[')[1][:-1]) for s in proto['source_joints']]
    assert layout_indices('imigue22') == expected
    assert sorted(tuple(sorted(e)) for e in graph_layout('imigue22')['inward']) == sorted(
        tuple(sorted(e)) for e in proto['edges'])
    assert graph_layout('imigue22')['center'] == proto['center']


def test_bone_pairs_centre_pairs_with_itself():
    pairs = dict(bone_pairs('imigue22'))
    assert pairs[1] == 1 and pairs[0] == 1 and pairs[12] == 7


def test_stgcn_builds_with_a_layout_name():
    model = MODELS.build(dict(type='STGCN', graph_cfg=dict(layout='body25', mode='stgcn_spatial'),
                              base_channels=8, num_stages=2, inflate_stages=[], down_stages=[]))
    assert model(torch.randn(2, 1, 12, 25, 3)).shape[-1] == 25
    with pytest.raises(KeyError, match='unknown skeleton layout'):
        graph_layout('nope')


def test_flip_pairs_of_the_default_recipe():
    """The recipe's Flip pairs are the layout's left / right joints, and a flip followed by
    body-unit normalisation mirrors the speaker about the neck with the sides swapped."""
    import os.path as osp

    import numpy as np
    from mmaction.registry import TRANSFORMS
    from mmengine.config import Config

    from mmimigue.skeleton.layouts import flip_pairs
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    cfg = Config.fromfile(osp.join(root, 'configs/_base_/datasets/imigue_skeleton_joint.py'))
    left, right = flip_pairs('imigue22')
    assert (cfg.left_kp, cfg.right_kp) == (left, right)
    assert len(left) == 10 and not set(left) & set(right)

    rng = np.random.default_rng(0)
    kp = rng.uniform(100, 600, (1, 4, 22, 2)).astype(np.float32)
    kp[0, :, 1] = (400, 300)  # neck
    kp[0, :, 2], kp[0, :, 5] = (350, 300), (450, 300)  # shoulders: width 100 px
    score = np.ones((1, 4, 22), np.float32)
    base = dict(keypoint=kp.copy(), keypoint_score=score, img_shape=(720, 1280),
                modality='Pose')
    norm = TRANSFORMS.build(dict(type='MGNormalizeBody2D'))
    flip = TRANSFORMS.build(dict(cfg.train_pipeline[0], flip_ratio=1.0))
    plain = norm(dict(base, keypoint=kp.copy()))['keypoint']
    flipped = norm(flip(dict(base, keypoint=kp.copy())))['keypoint']
    swap = list(range(22))
    for a, b in zip(left, right):
        swap[a], swap[b] = b, a
    np.testing.assert_allclose(flipped[..., 0], -plain[:, :, swap, 0], atol=1e-5)
    np.testing.assert_allclose(flipped[..., 1], plain[:, :, swap, 1], atol=1e-5)
