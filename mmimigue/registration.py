"""Register every mmimigue component into mmaction2's registries.

What a config's ``custom_imports = dict(imports=['mmimigue.registration'])`` loads (the runtime
base does it for every config of this project), and what :func:`register_all_modules` does for
code that builds models or datasets without a config. ``import mmimigue`` alone stays cheap:
data tools (converters, store checks, scorers) import neither torch nor mmaction2.
"""
import importlib
import warnings

# Two warnings of the released stack precede every command and are harmless here: mmcv-lite lacks
# the compiled deformable-attention op (no model of this project uses it) and mmengine resolves
# `mmaction::` base configs through the deprecated pkg_resources. Silenced once, by message.
warnings.filterwarnings('ignore', message='Fail to import ``MultiScaleDeformableAttention``')
warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

from . import compat  # noqa: E402

compat.apply()

from . import datasets, evaluation  # noqa: E402

for _room in (datasets, evaluation):
    for _module in _room.REGISTERING_MODULES:
        importlib.import_module(f'{_room.__name__}.{_module}')
from . import engine, models  # noqa: E402,F401  (their packages register on import)


def register_all_modules(init_default_scope: bool = True) -> None:
    """Make sure every mmimigue component is registered (importing this module did it) and,
    like mmaction2's function of the same name, register mmaction2's own and make ``'mmaction'``
    the default scope."""
    from mmaction.utils import register_all_modules as register_mmaction
    register_mmaction(init_default_scope=init_default_scope)
