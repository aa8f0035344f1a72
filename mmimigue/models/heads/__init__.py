"""Heads registered into mmaction2's MODELS."""
from .adaptive_prompting import AdaptivePrompting  # noqa: F401
from .gecn_head import GECNHead  # noqa: F401
from .linear_probe_head import LinearProbeHead  # noqa: F401
from .visual_text_head import VisualTextHead  # noqa: F401
from .visual_text_mlp_head import VisualTextMLPHead  # noqa: F401
