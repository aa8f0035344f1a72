"""Skeleton / RGB transforms registered into mmaction2's TRANSFORMS."""
from .skeleton_features import MGGenSkeFeat, MGJointToBone  # noqa: F401
