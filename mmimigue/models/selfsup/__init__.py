"""Selfsup registered into mmaction2's MODELS."""
from .dual_stream_moco import MGDualStreamMoCo  # noqa: F401
from .moco import MGSkeletonMoCo, info_nce_loss  # noqa: F401
from .usvae import MGUSVAE  # noqa: F401
