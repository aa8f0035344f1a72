"""Online MG recognition models (whole streams -> segments; the causal one frame by frame)."""
from .causal_detector import MGCausalStreamDetector  # noqa: F401
from .sliding_window_detector import MGSlidingWindowDetector  # noqa: F401
from .temporal_detector import MGOnlineTemporalNet, boundary_targets  # noqa: F401
