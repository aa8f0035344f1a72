"""Every pickle the project reads goes through the data-only unpickler: a crafted file cannot run
code, and a truncated or empty one is a clear error naming it."""
import os
import pickle

import pytest
from cli import run_tool

from mmimigue.datasets.formats import ConversionError


class _Payload:
    """Unpickling this calls os.mkdir(path): what a crafted data file could do."""

    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return os.mkdir, (self.path, )


def _crafted(tmp_path, content):
    path = tmp_path / 'crafted.pkl'
    path.write_bytes(pickle.dumps(content))
    return str(path)


def _readers():
    from mmaction.registry import DATASETS

    from mmimigue.datasets.stream_store import StreamsFile
    from mmimigue.emotion.clip_outputs import load_clip_outputs
    from mmimigue.evaluation.score_files import load_score_dump
    from mmimigue.models.losses.balanced_softmax_loss import split_class_counts
    return {
        'clip dataset': lambda p: DATASETS.build(dict(type='MGIMiGUESkeletonDataset', ann_file=p,
                                                      split=None)),
        'streams': StreamsFile,
        'clip outputs': load_clip_outputs,
        'score dump': load_score_dump,
        'class counts': lambda p: split_class_counts(p, 'xsub_train', 32),
    }


@pytest.mark.parametrize('reader', sorted(_readers()))
def test_code_in_a_pickle_never_runs(tmp_path, reader):
    marker = tmp_path / 'ran'
    path = _crafted(tmp_path, dict(annotations=[_Payload(str(marker))], split={},
                                   streams=[], meta={}))
    with pytest.raises((ConversionError, ValueError), match='os.mkdir|posix.mkdir'):
        _readers()[reader](path)
    assert not marker.exists()


@pytest.mark.parametrize('reader', sorted(_readers()))
def test_empty_and_truncated_pickles_name_the_file(tmp_path, reader):
    empty = tmp_path / 'empty.pkl'
    empty.write_bytes(b'')
    whole = pickle.dumps(dict(annotations=list(range(1000)), split={}))
    cut = tmp_path / 'cut.pkl'
    cut.write_bytes(whole[:len(whole) // 2])
    for path in (empty, cut):
        with pytest.raises((ConversionError, ValueError), match=str(path)):
            _readers()[reader](str(path))


def test_verify_store_refuses_code(tmp_path):
    marker = tmp_path / 'ran'
    path = _crafted(tmp_path, dict(annotations=[_Payload(str(marker))]))
    proc = run_tool('tools', 'data', 'verify_store.py', args=[path], check=False)
    assert proc.returncode == 1 and 'refused' in proc.stderr and not marker.exists()
