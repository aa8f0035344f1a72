"""mmaction2's ``Graph`` learns the layout names of :mod:`mmimigue.skeleton.layouts`."""
from ..skeleton.layouts import LAYOUTS, graph_layout


def register_graph_layouts() -> None:
    """Let mmaction2's ``Graph`` accept the names in :data:`LAYOUTS`.

    mmaction2's ``Graph`` takes a layout as one of its three built-in names or as a dict; wrapping
    its constructor to translate our names keeps configs short
    (``graph_cfg=dict(layout='imigue22', mode='spatial')``) and every mmaction2 GCN backbone
    (STGCN, AAGCN, ...) works unchanged. Idempotent.
    """
    from mmaction.models.utils import graph as graph_module
    cls = graph_module.Graph
    if getattr(cls, '_mmimigue_layouts', False):
        return
    original_init = cls.__init__

    def __init__(self, layout='coco', *args, **kwargs):
        if isinstance(layout, str) and layout in LAYOUTS:
            layout = graph_layout(layout)
        original_init(self, layout, *args, **kwargs)

    cls.__init__ = __init__
    cls._mmimigue_layouts = True
