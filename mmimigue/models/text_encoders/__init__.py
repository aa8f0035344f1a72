"""Text encoders for class names, registered into mmaction2's MODELS."""
from .class_text_bank import ClassTextBank
from .hash_text_encoder import MGHashTextEncoder
from .pretrained_sentence_encoder import DEFAULT_TEXT_MODEL, MGPretrainedSentenceEncoder

__all__ = ['ClassTextBank', 'MGHashTextEncoder', 'MGPretrainedSentenceEncoder', 'DEFAULT_TEXT_MODEL']
