"""Synthetic data in the real release formats, for demos and tests."""
from .imigue_generator import SyntheticConfig, generate_synthetic_imigue

__all__ = ['SyntheticConfig', 'generate_synthetic_imigue']
