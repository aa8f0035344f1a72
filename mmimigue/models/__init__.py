"""Models registered into mmaction2's MODELS."""
from .graph_layouts import register_graph_layouts

register_graph_layouts()

from . import backbones, heads, necks, recognizers, selfsup  # noqa: E402,F401
from . import data_preprocessors  # noqa: E402,F401
from . import losses, text_encoders  # noqa: E402,F401
from . import online  # noqa: E402,F401
