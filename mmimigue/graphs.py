"""Deprecated home of the skeleton layouts: use :mod:`mmimigue.skeleton.layouts`.

Kept importable for one release so that user code that imports it keeps working.
"""
from .skeleton.layouts import *  # noqa: F401,F403
