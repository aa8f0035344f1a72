"""Compat shims: the mmaction2 1.2.0 wheel imports, and mmengine checkpoints load under torch>=2.6."""
import sys

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from mmimigue import compat
from mmimigue.engine.checkpoint_loading import UNSAFE_LOAD_ENV


def test_mmaction_models_import_and_drn_stub():
    import mmaction.models  # noqa: F401  (fails on the bare 1.2.0 wheel without the shim)
    assert 'mmaction.models.localizers.drn.drn' in sys.modules
    assert compat.patch_missing_drn() is False  # idempotent: nothing left to patch
    from mmaction.models.localizers import DRN
    with pytest.raises(ImportError, match='2714'):
        DRN()


def _runner_like_checkpoint(path):
    # What mmengine's CheckpointHook writes: tensors plus numpy and mmengine objects.
    ckpt = dict(meta=dict(epoch=3, seed=np.int64(7)), state_dict=dict(w=torch.ones(2)),
                message_hub=dict(log_scalars=dict(loss=HistoryBuffer([1.0, 2.0], [1, 1]))))
    torch.save(ckpt, path)


def test_checkpoint_loading_under_weights_only_default(tmp_path, monkeypatch):
    path = str(tmp_path / 'epoch_3.pth')
    _runner_like_checkpoint(path)
    monkeypatch.delenv(UNSAFE_LOAD_ENV, raising=False)
    ckpt = CheckpointLoader.load_checkpoint(path, map_location='cpu')
    assert ckpt['meta']['epoch'] == 3 and torch.equal(ckpt['state_dict']['w'], torch.ones(2))
    assert isinstance(ckpt['message_hub']['log_scalars']['loss'], HistoryBuffer)
    assert ckpt['message_hub']['log_scalars']['loss'].mean() == 1.5  # statistics methods work


def test_missing_checkpoint_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        CheckpointLoader.load_checkpoint(str(tmp_path / 'nope.pth'))


def test_mmengines_own_deprecation_lines_are_dropped_and_others_kept():
    """CheckpointHook builds a FileClient in every run; its two deprecation lines are filtered,
    any other warning still reaches the log."""
    import logging

    from mmengine.fileio import FileClient
    from mmengine.logging import MMLogger, print_log
    logger = MMLogger.get_instance('test_quiet_deprecations', logger_name='mmengine')
    seen = []

    class Collect(logging.Handler):
        def emit(self, record):
            seen.append(record.getMessage())
    logger.addHandler(Collect())
    FileClient.infer_client(None, '.')  # what CheckpointHook.before_train does
    print_log('a warning of the user', logger='test_quiet_deprecations', level=logging.WARNING)
    assert seen == ['a warning of the user']


@pytest.mark.parametrize('name', ['PoseCompact', 'MMCompact'])
def test_stock_compact_transforms_run_under_numpy2(name):
    """mmaction2 1.2.0's own PoseCompact / MMCompact (np.Inf) crop to the keypoints' box."""
    from mmaction.registry import TRANSFORMS
    kp = np.zeros((1, 4, 3, 2), np.float32)
    kp[0, :, :, 0] = [[100, 140, 120]] * 4  # x in [100, 140]
    kp[0, :, :, 1] = [[50, 60, 90]] * 4  # y in [50, 90]
    results = dict(keypoint=kp, img_shape=(200, 300))
    if name == 'MMCompact':
        results['imgs'] = [np.zeros((200, 300, 3), np.uint8)] * 4
    out = TRANSFORMS.build(dict(type=name, padding=0.25, hw_ratio=1., allow_imgpad=True))(results)
    # box centre (120, 70), half side max(20, 20) * 1.25 = 25 -> x0 95, y0 45, 50 x 50 crop
    assert tuple(out['img_shape']) == (50, 50)
    np.testing.assert_allclose(out['keypoint'][0, 0, :, 0], [5, 45, 25])
    np.testing.assert_allclose(out['keypoint'][0, 0, :, 1], [5, 15, 45])
    assert compat.patch_pose_compact_numpy2() is False  # applied once, at import
