"""Necks registered into mmaction2's MODELS."""
from .projection_mlp import MGProjectionMLP  # noqa: F401
from .skeleton_pool import skeleton_global_pool  # noqa: F401
