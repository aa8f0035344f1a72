"""mmimigue: micro-gesture understanding for mmaction2 / mmengine.

Importing this package applies the compat shims and registers every component into
mmaction2's registries, so ``custom_imports=dict(imports=['mmimigue'])`` is all a config needs.
"""
from . import compat

compat.apply()

from . import datasets, engine, evaluation, models  # noqa: E402,F401  (registers components)
from .version import __version__  # noqa: E402

__all__ = ['__version__']
