"""Backbones registered into mmaction2's MODELS."""
from .bigru import BiGRU  # noqa: F401
from .emotion_lstm import EmotionLSTM  # noqa: F401
from .emotion_transformer import EmotionTransformer  # noqa: F401
from .frozen_gcn import FreezableAAGCN, FreezableSTGCN  # noqa: F401
from .gecn import GECN  # noqa: F401
