"""Heads registered into mmaction2's MODELS."""
from .adaptive_prompting import MGAdaptivePrompting  # noqa: F401
from .gecn_head import MGGECNHead  # noqa: F401
from .label_embedding_head import MGLabelEmbeddingHead  # noqa: F401
from .linear_probe_head import MGLinearProbeHead  # noqa: F401
from .visual_text_head import MGVisualTextHead  # noqa: F401
from .visual_text_mlp_head import MGVisualTextMLPHead  # noqa: F401
