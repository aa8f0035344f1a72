"""Recognizers registered into mmaction2's MODELS."""
from .dual_stream_recognizer import DualStreamRecognizer  # noqa: F401
