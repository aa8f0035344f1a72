"""Skeleton / RGB transforms registered into mmaction2's TRANSFORMS."""
