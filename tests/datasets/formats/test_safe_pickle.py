"""Label pickles of the challenge kit are data: rebuilt without running any code they carry."""
import os
import pickle

import numpy as np
import pytest

from mmimigue.datasets.formats import ConversionError
from mmimigue.datasets.formats.safe_pickle import load_data_pickle


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f'touch {self.marker}',))


def test_names_and_labels_load_with_python_or_numpy_values(tmp_path):
    path = tmp_path / 'train_label.pkl'
    obj = (['0001_0', '0001_1'], [3, np.int64(31)], np.arange(2), {'a': 1.5})
    path.write_bytes(pickle.dumps(obj, protocol=2))
    names, labels, arr, d = load_data_pickle(str(path))
    assert names == ['0001_0', '0001_1'] and labels == [3, 31] and d == {'a': 1.5}
    np.testing.assert_array_equal(arr, [0, 1])


def test_a_pickle_with_a_code_payload_is_refused_and_runs_nothing(tmp_path):
    marker = tmp_path / 'ran'
    path = tmp_path / 'train_label.pkl'
    path.write_bytes(pickle.dumps((['0001_0'], [_Payload(str(marker))])))
    with pytest.raises(ConversionError, match=r'train_label.pkl: the pickle asks for '
                       r'(posix|os|nt)\.system.*refused'):
        load_data_pickle(str(path))
    assert not marker.exists()


def test_a_truncated_pickle_names_the_file(tmp_path):
    path = tmp_path / 'train_label.pkl'
    path.write_bytes(pickle.dumps((['0001_0'], [1]))[:-5])
    with pytest.raises(ConversionError, match='train_label.pkl: cannot unpickle'):
        load_data_pickle(str(path))
