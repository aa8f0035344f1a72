"""Recognizers registered into mmaction2's MODELS."""
from .dual_stream_recognizer import MGDualStreamRecognizer  # noqa: F401
from .recognizer_emotion import MGRecognizerEmotion  # noqa: F401
from .visual_text_recognizer import (  # noqa: F401
    MGVisualTextRecognizer2D,
    MGVisualTextRecognizer3D,
    MGVisualTextRecognizerGCN,
)
