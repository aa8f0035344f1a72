"""Selfsup registered into mmaction2's MODELS."""
from .usvae import USVAE  # noqa: F401
