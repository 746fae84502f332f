"""The live network diagram: layers left to right, neurons coloured by their activation,
edges coloured by the sign of their weight and as thick as its size.

The diagram is a plain ``QGraphicsView`` whose scene coordinates are the layout's data
coordinates (x: layer, y: up). Every item is a stock Qt item set up from Python and painted by
Qt's C++ alone, so a frame is painted without Python's GIL, on the other core, while training
goes on.

* :mod:`.layout` — where everything is, which edges are drawn, what is under a point (NumPy only);
* :mod:`.items` — the stock-item wrappers; :mod:`.scene` — the items of one network;
* :mod:`.edgecache`, :mod:`.heatgrid`, :mod:`.colours` — what a frame redoes, and only that;
* :mod:`.legend` — the colour key; :mod:`.editor` — hover texts and the value editor;
* :mod:`.view` — :class:`NetworkDiagram`, the widget; :mod:`.export` — PNG and SVG.

Snapshot grids (``snap.grid["units"][layer]`` of shape (n_units, G, G)) are indexed
``[iy, ix]`` with ``ys`` and ``xs`` ascending (``np.meshgrid(xs, ys)`` order): row 0 is the
bottom of the input plane.
"""
from nnviz.app.diagram.layout import DEFAULT_MAX_EDGES

__all__ = ["DEFAULT_MAX_EDGES", "NetworkDiagram"]


def __getattr__(name):
    # The widget is imported on first use, so that ``nnviz.app.diagram.layout`` loads without Qt.
    if name == "NetworkDiagram":
        from nnviz.app.diagram.view import NetworkDiagram
        return NetworkDiagram
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
