"""Every neuron's picture over the 2-D input plane (its heatmap), frame after frame (issue 19).

All shown layers are coloured in one pass (:func:`~nnviz.app.diagram.colours.rgba_layers`), the
new pictures are compared with the last ones in one NumPy call, and only the neurons whose
picture changed get a new pixmap; an item's ``image`` and ``values`` are read from the layer's
arrays when asked (nothing is stored per neuron per frame).
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF

from nnviz.app import theme
from nnviz.app.diagram import colours
from nnviz.app.diagram.items import HeatImage, cosmetic_pen


class NeuronHeat(HeatImage):
    """The heatmap item of neuron ``j`` of ``layer``; ``image`` and ``values`` are its part of the
    layer's last drawn arrays."""

    def __init__(self, grid: HeatGrid, layer: int, j: int):
        self._grid, self._lj = grid, (layer, j)
        super().__init__()

    @property
    def image(self):
        part = self._grid.last.get(self._lj[0])
        return part[0][self._lj[1]] if part is not None else None

    @image.setter
    def image(self, _value) -> None:
        pass

    @property
    def values(self):
        part = self._grid.last.get(self._lj[0])
        return part[1][self._lj[1]] if part is not None else None

    @values.setter
    def values(self, _value) -> None:
        pass


class HeatGrid:
    """The heatmap items of a network laid out with heatmaps, added to ``scene``."""

    def __init__(self, scene, layout, acts):
        self.items: dict[tuple[int, int], NeuronHeat] = {}
        self.last: dict[int, tuple] = {}               # layer -> (rgba (n, G, G, 4), values (n, G, G))
        self._layers = [[] for _ in range(layout.n_layers)]
        self._scales = [theme.scale_for(a) for a in acts]
        self._shown = [False] * layout.n_layers
        self._prev = None                               # (layers and shape, the stack as uint32 words)
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
        prev, self._prev = self._prev, []
        for shape, group in by_shape.items():
            rgba = colours.rgba_layers([self._scales[l] for l, _ in group], [u for _, u in group])
            items, a = [], 0
            for layer, u in group:
                self.last[layer] = (rgba[a:a + len(u)], u)
                items += self._layers[layer]
                a += len(u)
            key = (tuple(l for l, _ in group), shape)
            words = rgba.view(np.uint32).reshape(len(rgba), -1)
            old = dict(prev or []).get(key)
            changed = range(len(items)) if old is None else np.flatnonzero((words != old).any(axis=1)).tolist()
            for g in changed:
                items[g].show_rgba(rgba[g])
            self._prev.append((key, words))
