"""Heads registered into mmaction2's MODELS."""
from .gecn_head import GECNHead  # noqa: F401
