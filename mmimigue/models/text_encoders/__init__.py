"""Text encoders for class names, registered into mmaction2's MODELS."""
from .class_text_bank import ClassTextBank
from .hash_text_encoder import HashTextEncoder
from .pretrained_sentence_encoder import DEFAULT_TEXT_MODEL, PretrainedSentenceEncoder

__all__ = ['ClassTextBank', 'HashTextEncoder', 'PretrainedSentenceEncoder', 'DEFAULT_TEXT_MODEL']
