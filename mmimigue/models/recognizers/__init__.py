"""Recognizers registered into mmaction2's MODELS."""
from .recognizer_emotion import RecognizerEmotion  # noqa: F401
from .visual_text_recognizer import (VisualTextRecognizer2D, VisualTextRecognizer3D,  # noqa: F401
                                     VisualTextRecognizerGCN)
from .dual_stream_recognizer import DualStreamRecognizer  # noqa: F401
