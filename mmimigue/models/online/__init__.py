"""Online MG recognition models (whole streams -> segments)."""
from .sliding_window_detector import MGSlidingWindowDetector  # noqa: F401
from .temporal_detector import MGOnlineTemporalNet, boundary_targets  # noqa: F401
