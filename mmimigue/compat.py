"""Shims for the released OpenMMLab stack (mmaction2 1.2.0, mmengine 0.10.7).

Each shim names the upstream bug it covers and does nothing where the bug is absent.
``apply()`` is idempotent and runs when :mod:`mmimigue` is imported.
"""
import importlib.util
import logging
import os.path as osp
import sys
import types

import numpy as np
import torch

_APPLIED = False

# Checkpoints written by mmengine's Runner hold optimizer state, message-hub history and
# numpy scalars, which torch >= 2.6's ``weights_only=True`` default refuses to unpickle; the
# safe loader of mmimigue.engine.checkpoint_loading allows exactly those.


def _mmaction_dir() -> str:
    spec = importlib.util.find_spec('mmaction')
    if spec is None or spec.origin is None:
        raise ImportError('mmaction2 is not installed: pip install mmaction2==1.2.0')
    return osp.dirname(spec.origin)


def patch_missing_drn() -> bool:
    """mmaction2#2714: the 1.2.0 wheel lacks ``models/localizers/drn`` so
    ``import mmaction.models`` fails; stub the package when its files are absent."""
    drn_dir = osp.join(_mmaction_dir(), 'models', 'localizers', 'drn')
    if osp.isfile(osp.join(drn_dir, 'drn.py')) or 'mmaction.models.localizers.drn' in sys.modules:
        return False  # the file is on disk (checked on disk, not with find_spec) or already stubbed
    pkg = types.ModuleType('mmaction.models.localizers.drn')
    pkg.__path__ = []  # a package, so ``from .drn.drn import DRN`` resolves the submodule
    mod = types.ModuleType('mmaction.models.localizers.drn.drn')

    class DRN(torch.nn.Module):
        """Placeholder: DRN is missing from the mmaction2 1.2.0 wheel (mmaction2#2714)."""

        def __init__(self, *args, **kwargs):
            raise ImportError('DRN is not shipped in the mmaction2 1.2.0 wheel (mmaction2#2714); '
                              'install mmaction2 from source to use it.')

    mod.DRN = DRN
    pkg.drn = mod
    sys.modules[pkg.__name__] = pkg
    sys.modules[mod.__name__] = mod
    return True


def patch_multimodal_without_timm() -> bool:
    """mmaction2 1.2.0 imports its VindLU models whenever transformers>=4.28 is installed, but
    they also need timm (undeclared); without timm, register mmaction2's own placeholders."""
    import mmaction.utils.dependency as dependency
    if not dependency.WITH_MULTIMODAL or importlib.util.find_spec('timm') is not None:
        return False
    if 'mmaction.models.multimodal' in sys.modules:
        return False  # too late to change; mmaction.models was imported before mmimigue
    dependency.WITH_MULTIMODAL = False
    return True


def patch_checkpoint_loading() -> bool:
    """mmengine#1655: with torch >= 2.6 ``torch.load`` defaults to ``weights_only=True`` and
    mmengine 0.10.7 cannot resume or ``load_from`` its own checkpoints. Local and ``http(s)``
    checkpoints load through :mod:`mmimigue.engine.checkpoint_loading`: ``weights_only=True``
    with exactly what mmengine checkpoints hold, so a crafted file cannot run code."""
    from mmengine.runner.checkpoint import CheckpointLoader

    from .engine.checkpoint_loading import load_local_checkpoint, load_url_checkpoint
    CheckpointLoader.register_scheme(prefixes='', loader=load_local_checkpoint, force=True)
    CheckpointLoader.register_scheme(prefixes=('http://', 'https://'), loader=load_url_checkpoint,
                                     force=True)
    return True


class _NumpyWithInfAlias(types.ModuleType):
    """numpy as seen by one module, plus the ``Inf`` alias numpy 2 removed."""

    Inf = float('inf')

    def __getattr__(self, name: str):
        return getattr(np, name)


def patch_pose_compact_numpy2() -> bool:
    """mmaction2 1.2.0's ``PoseCompact`` and ``MMCompact`` call ``np.Inf``, which numpy 2 removed,
    so every PoseC3D / RGBPoseConv3D pipeline fails with AttributeError. Give that one module a
    numpy that still has the alias (numpy itself is untouched); a no-op on numpy 1 or once
    mmaction2 stops using it."""
    from mmaction.datasets.transforms import pose_transforms
    if hasattr(np, 'Inf') or isinstance(pose_transforms.np, _NumpyWithInfAlias):
        return False
    with open(pose_transforms.__file__, encoding='utf-8') as f:
        if 'np.Inf' not in f.read():
            return False
    pose_transforms.np = _NumpyWithInfAlias('numpy')
    return True


class _DropLogLines(logging.Filter):
    """Drops log records whose message contains one of ``fragments``."""

    def __init__(self, fragments) -> None:
        super().__init__()
        self.fragments = tuple(fragments)

    def filter(self, record: logging.LogRecord) -> bool:
        return not any(f in str(record.msg) for f in self.fragments)


# mmengine 0.10.7's own CheckpointHook.before_train builds a FileClient for backward
# compatibility, which logs these two lines in every run whatever the config says.
_MMENGINE_OWN_DEPRECATIONS = ('"FileClient" will be deprecated in future',
                              '"HardDiskBackend" is the alias of "LocalBackend"')


def quiet_mmengine_own_deprecations() -> bool:
    """Filter the deprecation lines mmengine logs about its own internals (nothing a user's config
    can change) from every MMLogger, existing and future; other warnings pass unchanged."""
    from mmengine.logging import MMLogger
    drop = _DropLogLines(_MMENGINE_OWN_DEPRECATIONS)
    for logger in MMLogger._instance_dict.values():
        logger.addFilter(drop)
    if getattr(MMLogger.__init__, '_mmimigue_quiet', False):
        return True
    original = MMLogger.__init__

    def __init__(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.addFilter(drop)
    __init__._mmimigue_quiet = True
    MMLogger.__init__ = __init__
    return True


def apply() -> None:
    """Apply every shim once."""
    global _APPLIED
    if _APPLIED:
        return
    patch_missing_drn()
    patch_multimodal_without_timm()
    patch_checkpoint_loading()
    quiet_mmengine_own_deprecations()
    patch_pose_compact_numpy2()
    _APPLIED = True
