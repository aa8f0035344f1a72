"""Synthetic data in the real release formats, for demos and tests."""
from .imigue_generator import SyntheticConfig, generate_synthetic_imigue
from .interview_generator import InterviewConfig, generate_interview_imigue

__all__ = ['SyntheticConfig', 'generate_synthetic_imigue', 'InterviewConfig',
           'generate_interview_imigue']
