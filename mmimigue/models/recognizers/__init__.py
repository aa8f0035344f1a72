"""Recognizers registered into mmaction2's MODELS."""
from .dual_stream_recognizer import MGDualStreamRecognizer  # noqa: F401
from .freezable_recognizer import (  # noqa: F401
    MGFreezableRecognizer2D,
    MGFreezableRecognizer3D,
    MGFreezableRecognizerGCN,
)
from .recognizer_emotion import MGRecognizerEmotion  # noqa: F401
