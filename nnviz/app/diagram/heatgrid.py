"""Every neuron's picture over the 2-D input plane (its heatmap), frame after frame (issue 19).

All shown layers are coloured in one pass (:func:`~nnviz.app.diagram.colours.rgba_layers`), the
new pictures are compared with the last ones in one NumPy call, and only the neurons whose
picture changed get a new pixmap, from a ``QImage`` kept on the picture's rows of the kept RGBA
stack (no image object made per frame); an item's ``image`` and ``values`` are read from the
layer's arrays when asked (nothing is stored per neuron per frame).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage

from nnviz.app import theme
from nnviz.app.diagram import colours
from nnviz.app.diagram.items import _RGBA8888, HeatImage, cosmetic_pen


def _layer_part(index: int) -> property:
    """A :class:`NeuronHeat` attribute read from its layer's last drawn arrays (``index`` 0: the
    pictures, 1: the values); setting it does nothing (``HeatImage.__init__`` sets both)."""

    def get(self):
        part = self._grid.last.get(self._lj[0])
        return part[index][self._lj[1]] if part is not None else None

    return property(get, lambda self, _value: None)


class NeuronHeat(HeatImage):
    """The heatmap item of neuron ``j`` of ``layer``; ``image`` and ``values`` are its part of the
    layer's last drawn arrays."""

    image = _layer_part(0)
    values = _layer_part(1)

    def __init__(self, grid: HeatGrid, layer: int, j: int):
        self._grid, self._lj = grid, (layer, j)
        super().__init__()


class HeatGrid:
    """The heatmap items of a network laid out with heatmaps, added to ``scene``."""

    def __init__(self, scene, layout, acts):
        self.items: dict[tuple[int, int], NeuronHeat] = {}
        self.last: dict[int, tuple] = {}               # layer -> (rgba (n, G, G, 4), values (n, G, G))
        self._layers = [[] for _ in range(layout.n_layers)]
        self._scales = [theme.scale_for(a) for a in acts]
        self._shown = [False] * layout.n_layers
        # (layers, shape) of the pictures drawn last -> (their RGBA stack, a QImage on each picture)
        self._bufs: dict = {}
        if not layout.heatmaps:
            return
        border = cosmetic_pen((120, 120, 120), 1.0)
        for layer in range(layout.n_layers):
            for j in range(layout.n_units(layer)):
                it = NeuronHeat(self, layer, j)
                it.show_rgba(np.zeros((2, 2, 4), np.uint8))
                b = layout.heat_box(layer, j)
                it.set_rect(QRectF(b.left, b.bottom, b.width, b.height))
                it.setZValue(10)
                it.set_border(border)
                it.hide()
                scene.addItem(it)
                self.items[(layer, j)] = it
                self._layers[layer].append(it)

    def draw(self, units, show: bool, sizes) -> set:
        """Every neuron's output over the input plane (``units[layer]`` (n, G, G)); returns the
        layers whose pictures are shown."""
        ok = []
        for layer, n in enumerate(sizes[1:]):
            u = units[layer] if show and units is not None and layer < len(units) else None
            if u is not None and np.ndim(u) == 3 and u.shape[0] == n:
                ok.append((layer, u))
        if self.items and ok:
            self._colour(ok)
        shown = {layer for layer, _ in ok}
        for layer, items in enumerate(self._layers):
            if (layer in shown) != self._shown[layer]:
                self._shown[layer] = layer in shown
                for it in items:
                    it.setVisible(layer in shown)
        return shown

    def _colour(self, ok) -> None:
        by_shape: dict = {}
        for layer, u in ok:
            by_shape.setdefault(np.shape(u)[1:], []).append((layer, u))
        bufs, self._bufs = self._bufs, {}
        for shape, group in by_shape.items():
            new = colours.rgba_layers([self._scales[l] for l, _ in group], [u for _, u in group])
            items = [it for layer, _ in group for it in self._layers[layer]]
            key = (tuple(l for l, _ in group), shape)
            h, w = shape
            if key in bufs:
                cur, images = bufs[key]
                changed = np.flatnonzero((new.view(np.uint32).reshape(len(new), -1)
                                          != cur.view(np.uint32).reshape(len(cur), -1)).any(axis=1)).tolist()
                if changed:
                    np.copyto(cur, new)      # what the QImages show
            else:
                cur, changed = new, range(len(items))
                images = [QImage(cur[g].data, w, h, 4 * w, _RGBA8888) for g in range(len(cur))]
            for g in changed:
                items[g].show_qimage(images[g], w, h)
            self._bufs[key] = (cur, images)
            a = 0
            for layer, u in group:
                self.last[layer] = (cur[a:a + len(u)], u)
                a += len(u)
