"""mmimigue: micro-gesture understanding for mmaction2 / mmengine.

Importing this package is cheap (it holds the version): data tools (converters, store checks,
scorers) import neither torch nor mmaction2. Components are registered into mmaction2's
registries by :mod:`mmimigue.registration`, which every config of this project loads through its
runtime base (``custom_imports = dict(imports=['mmimigue.registration'])``) and code without a
config loads with ``from mmimigue.registration import register_all_modules``.

A config written for earlier releases (``custom_imports=dict(imports=['mmimigue'])``) still
works: when mmengine's config system is already loaded, importing the package registers the
components too.
"""
import sys as _sys

from .version import __version__

if 'mmengine.config' in _sys.modules:  # imported by a config's custom_imports or a Runner
    from . import registration  # noqa: F401,E402

__all__ = ['__version__']
