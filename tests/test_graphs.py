"""Skeleton layouts: trees over the stored keypoints, usable by mmaction2's Graph by name."""
import numpy as np
import pytest
import torch
from mmaction.models.utils import Graph
from mmaction.registry import MODELS

from mmimigue.graphs import LAYOUTS, bone_pairs, graph_layout, layout_indices


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
