"""Selfsup registered into mmaction2's MODELS."""
from .dual_stream_moco import DualStreamMoCo  # noqa: F401
from .moco import SkeletonMoCo, info_nce_loss  # noqa: F401
from .usvae import USVAE  # noqa: F401
