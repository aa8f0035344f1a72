"""Recognizers registered into mmaction2's MODELS."""
from .dual_stream_recognizer import DualStreamRecognizer  # noqa: F401
from .recognizer_emotion import RecognizerEmotion  # noqa: F401
from .visual_text_recognizer import VisualTextRecognizer2D, VisualTextRecognizer3D, VisualTextRecognizerGCN  # noqa: F401
