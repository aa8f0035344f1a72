"""Data preprocessors registered into mmaction2's MODELS."""
from .skeleton_sequence_preprocessor import MGSkeletonSequencePreprocessor  # noqa: F401
