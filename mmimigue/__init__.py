"""mmimigue: micro-gesture understanding for mmaction2 / mmengine.

Importing this package applies the compat shims and registers every component into
mmaction2's registries, so ``custom_imports=dict(imports=['mmimigue'])`` is all a config needs.
"""
import warnings

# Two warnings of the released stack precede every command and are harmless here: mmcv-lite lacks
# the compiled deformable-attention op (no model of this project uses it) and mmengine resolves
# `mmaction::` base configs through the deprecated pkg_resources. Silenced once, by message.
warnings.filterwarnings('ignore', message='Fail to import ``MultiScaleDeformableAttention``')
warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

from . import compat  # noqa: E402

compat.apply()

from . import datasets, engine, evaluation, models  # noqa: E402,F401  (registers components)
from .version import __version__  # noqa: E402

__all__ = ['__version__']
