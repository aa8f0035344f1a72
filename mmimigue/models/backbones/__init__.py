"""Backbones registered into mmaction2's MODELS."""
from .gecn import GECN  # noqa: F401
