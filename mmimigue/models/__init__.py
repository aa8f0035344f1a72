"""Models registered into mmaction2's MODELS."""
from .graph_layouts import register_graph_layouts

register_graph_layouts()

from . import (  # noqa: E402,F401  # noqa: E402,F401
    backbones,
    data_preprocessors,  # noqa: E402,F401
    heads,
    losses,
    necks,
    online,  # noqa: E402,F401
    recognizers,
    selfsup,
    text_encoders,
)
