"""Backbones registered into mmaction2's MODELS."""
from .bigru import MGBiGRU  # noqa: F401
from .emotion_lstm import MGEmotionLSTM  # noqa: F401
from .emotion_transformer import MGEmotionTransformer  # noqa: F401
from .frozen_gcn import MGFreezableAAGCN, MGFreezableSTGCN  # noqa: F401
from .gecn import MGGECN  # noqa: F401
