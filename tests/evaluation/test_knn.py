"""KNN evaluation: exact neighbour votes, distances, weighting, feature extraction, errors."""
import pytest
import torch
from mmaction.models import ActionDataPreprocessor
from mmaction.structures import ActionDataSample
from mmengine.model import BaseModel
from torch.utils.data import DataLoader

import mmimigue.registration  # noqa: F401  (compat shims + registration)
from mmimigue.evaluation import evaluate_knn, extract_features, knn_accuracy, knn_classify


def test_nearest_neighbour_votes_by_hand():
    bank = torch.tensor([[1., 0.], [0.9, 0.1], [0., 1.], [-1., 0.]])
    labels = torch.tensor([0, 1, 1, 2])
    query = torch.tensor([[1., 0.02], [0.1, 1.], [-1., -0.1]])
    s1 = knn_classify(bank, labels, query, k=1)
    assert s1.argmax(1).tolist() == [0, 1, 2]
    s2 = knn_classify(bank, labels, query, k=2)
    # query 0: neighbours bank 0 (label 0) and 1 (label 1) -> a tie broken by the nearer one
    assert s2[0, 0] > s2[0, 1] > 0 and s2[0, 2] == 0
    assert torch.allclose(s2.sum(1), torch.ones(3))
    s3 = knn_classify(bank, labels, query[:1], k=3)
    assert s3.argmax(1).tolist() == [1]  # labels 0, 1, 1 -> majority 1


def test_cosine_ignores_scale_euclidean_does_not():
    bank = torch.tensor([[10., 0.], [0.5, 0.5]])
    labels = torch.tensor([0, 1])
    query = torch.tensor([[0.6, 0.]])
    assert knn_classify(bank, labels, query, distance='cosine').argmax(1).item() == 0
    assert knn_classify(bank, labels, query, distance='euclidean').argmax(1).item() == 1


def test_softmax_weighting_favours_closer_neighbours():
    bank = torch.tensor([[1., 0.], [0.6, 0.8], [0.6, 0.8]])
    labels = torch.tensor([0, 1, 1])
    q = torch.tensor([[1., 0.]])
    assert knn_classify(bank, labels, q, k=3).argmax(1).item() == 1  # 2 votes beat 1
    s = knn_classify(bank, labels, q, k=3, weighting='softmax', temperature=0.05)
    assert s.argmax(1).item() == 0
    w = torch.softmax(torch.tensor([1., 0.6, 0.6]) / 0.05, 0)
    assert torch.allclose(s[0], torch.stack([w[0], w[1] + w[2]]), atol=1e-6)


def test_accuracy_and_errors():
    g = torch.Generator().manual_seed(0)
    centers = torch.randn(4, 8, generator=g) * 3
    yb = torch.arange(40) % 4
    yq = torch.arange(20) % 4
    bank = centers[yb] + torch.randn(40, 8, generator=g)
    query = centers[yq] + torch.randn(20, 8, generator=g)
    acc = knn_accuracy(bank, yb, query, yq, k=5)
    assert acc['top1'] > 0.9 and 0 <= acc['mean1'] <= 1
    chance = knn_accuracy(torch.randn(40, 8, generator=g), yb, query, yq, k=1)
    assert chance['top1'] < 0.6
    with pytest.raises(ValueError, match='distance'):
        knn_classify(bank, yb, query, distance='manhattan')
    with pytest.raises(ValueError, match='bank'):
        knn_classify(bank[:0], yb[:0], query)
    with pytest.raises(ValueError, match=r'\(Nb, D\)'):
        knn_classify(bank, yb, query[:, :3])


class _TwoStream(BaseModel):
    """Returns the input as 'raw' features and its negation as 'neg'."""

    def __init__(self):
        super().__init__(data_preprocessor=ActionDataPreprocessor())

    def forward(self, inputs, data_samples=None, mode='tensor'):
        x = inputs.flatten(1).float()
        return dict(raw=x, neg=-x)


def test_extract_and_evaluate_dict_features():
    items = [dict(inputs=torch.tensor([float(i % 3), 1.]),
                  data_samples=ActionDataSample().set_gt_label(i % 3)) for i in range(9)]

    def collate(batch):
        return dict(inputs=[b['inputs'] for b in batch],
                    data_samples=[b['data_samples'] for b in batch])

    loader = DataLoader(items, batch_size=4, collate_fn=collate)
    model = _TwoStream()
    model.train()
    feats, labels = extract_features(model, loader)
    assert model.training  # mode restored
    assert labels.tolist() == [i % 3 for i in range(9)] and feats['raw'].shape == (9, 2)
    metrics = evaluate_knn((feats, labels), (feats, labels), ks=(1, 3), distance='euclidean')
    assert metrics['raw_k1_top1'] == 1.0 and metrics['neg_k3_top1'] == 1.0
    assert set(metrics) == {f'{n}_k{k}_{m}' for n in ('raw', 'neg') for k in (1, 3)
                            for m in ('top1', 'mean1')}
