"""The diagram's scene: every item of one network, and how a snapshot changes them.

A snapshot costs Python only its updates: every neuron is a pixel-sized circle whose brush
comes from the prebuilt steps of its colour scale (only the circles whose colour changed are
touched); edges are binned into 2 signs × 4 widths = 8 paths (bias edges into 8 more, dashed),
and only the bins whose edges changed get a new path (:mod:`.edgecache`); the heatmaps are
coloured in one pass and only the changed pictures get a new pixmap (:mod:`.heatgrid`); an image
input is one picture and its edges start from the pixels.
"""
from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsScene, QToolTip

from nnviz.app import theme
from nnviz.app.diagram import colours
from nnviz.app.diagram.edgecache import EdgeCache
from nnviz.app.diagram.heatgrid import HeatGrid
from nnviz.app.diagram.items import Dots, EdgeBatch, HeatImage, ImageInput, Label, cosmetic_pen
from nnviz.app.diagram.layout import N_BINS, N_WIDTHS, DiagramLayout, EdgePlan, density_is_high

# Edges are opaque (Qt's raster engine paints translucent antialiased lines several times
# slower); thin ones are drawn as lighter tints of their colour, under the thicker ones.
EDGE_WIDTHS = (0.8, 1.0, 2.0, 3.2)
EDGE_TINTS = (0.45, 0.65, 0.85, 1.0)
EDGE_TINTS_DENSE = (0.25, 0.45, 0.75, 1.0)    # when many edges are drawn (see density_is_high)
NODE_PEN = (85, 85, 85)

# brush step of every neuron: diverging steps first, then the sequential ones
_BRUSHES = np.empty(2 * theme.N_STEPS, dtype=object)
_BRUSHES[:] = theme.DIVERGING.brushes + theme.SEQUENTIAL.brushes


#: A net with a layer pair of more weights than this draws its 1-px edges without antialiasing.
LOD_EDGES = 300
THIN_WIDTHS = (0, 1)  # the widths (EDGE_WIDTHS) drawn that way: 0.8 and 1 px


def _edge_pen(k: int, dashed: bool, dense: bool, aliased: bool = False):
    """Pen of bin ``k`` (``4 * positive + width``) of weight (or, dashed, bias) edges
    (``aliased``: for the backdrop, where a thinner-than-a-pixel line is drawn 1 px wide, so its
    tint is lightened as much as antialiasing would)."""
    colour = theme.POSITIVE if k >= 4 else theme.NEGATIVE
    tint = (EDGE_TINTS_DENSE if dense else EDGE_TINTS)[k % 4]
    width = min(EDGE_WIDTHS[k % 4], 2.0) if dashed else EDGE_WIDTHS[k % 4]
    if aliased and width < 1.0:
        tint, width = tint * width, 1.0
    # 1 px as Qt's hairline (width 0): drawn the same, but the item's bounds after a new path
    # are the path's own, not a stroke of every segment
    return cosmetic_pen(theme.blend(colour, theme.BACKGROUND, tint), 0.0 if width == 1.0 else width, dashed)


def _esc(s) -> str:
    return html.escape(str(s), quote=False)


class DiagramScene(QGraphicsScene):
    """The items of the diagram in data coordinates (y up). Its tooltips are the diagram's hover
    texts: only ``helpEvent`` is overridden, so painting never calls into Python."""

    def __init__(self, owner):
        super().__init__(owner)
        self._owner = owner
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)  # items move every frame
        self.network_layout: DiagramLayout | None = None
        self._acts: list[str] = []
        node_pen = cosmetic_pen(NODE_PEN, 1.0)
        self.neurons = Dots(self, z=20, pen=node_pen, brush=QBrush(theme.qcolor(theme.ZERO)))
        self.bias_nodes = Dots(self, square=True, z=20, pen=node_pen, brush=QBrush(theme.qcolor(theme.BIAS_NODE)))
        self._dense = self._behind = False
        self.backdrop_scene: QGraphicsScene | None = None  # where a dense net's 1-px edges go (backdrop.py)
        self.edges = [EdgeBatch(_edge_pen(k, False, False)) for k in range(N_BINS)]
        self.bias_edges = [EdgeBatch(_edge_pen(k, True, False)) for k in range(N_BINS)]
        for k, (e, b) in enumerate(zip(self.edges, self.bias_edges)):
            e.setZValue(2 + k % 4)
            b.setZValue(1)
        self.highlight_edge = EdgeBatch(cosmetic_pen(QColor(20, 20, 20, 200), 4.0))
        self.highlight_edge.setZValue(15)
        for it in [*self.edges, *self.bias_edges, self.highlight_edge]:
            self.addItem(it)
        self.highlight_node = Dots(self, z=25, pen=cosmetic_pen((20, 20, 20), 2.5))
        self.image = ImageInput(self)
        self.heatmaps: dict[tuple[int, int], HeatImage] = {}
        self.captions: list[Label] = []
        self.names: list[Label] = []
        self._name_lists: list = []       # (layer, its name labels) for the inputs and the outputs
        self._static: list = []
        self.plan: EdgePlan | None = None
        self._edge_cache: EdgeCache | None = None
        self._heat: HeatGrid | None = None
        self._edges_drawn = None          # (weights, max_edges) of the edges shown
        self._pixel = None                # data units per pixel
        self.margins = (14.0, 14.0, 14.0, 10.0)
        self.spot_px = np.zeros(0)
        self.bias_px = np.zeros(0)

    def helpEvent(self, ev) -> None:  # noqa: N802
        text = self._owner.tooltip_at(ev.scenePos())
        if text:
            QToolTip.showText(ev.screenPos(), text, ev.widget())
        else:
            QToolTip.hideText()
        ev.setAccepted(bool(text))

    # -- building -----------------------------------------------------------------------------
    def build(self, layout: DiagramLayout, texts) -> None:
        """Make the items of a new network (no snapshot yet: no edges, neutral colours)."""
        self.network_layout = layout
        self._acts = list(texts.acts)
        self._edge_cache = EdgeCache(layout)
        scales = [theme.DIVERGING if l == -1 else theme.scale_for(self._acts[l]) for l in layout.spot_layers]
        self._spot_index = colours.SpotIndex([layout.n_units(l) for l in layout.spot_layers], scales,
                                             [theme.N_STEPS if s is theme.SEQUENTIAL else 0 for s in scales],
                                             theme.N_STEPS // 2)
        for it in self._static + list(self.heatmaps.values()):
            self.removeItem(it)
        self._static, self.heatmaps, self.captions, self.names = [], {}, [], []
        self.neurons.place(layout.spot_xy)
        self.bias_nodes.place(layout.bias_positions, size=16)
        for xy in layout.bias_positions:
            self._label("+1", (0.5, 0.5), xy, size=7.0, z=21)
        top = layout.bbox.top
        for layer in range(-1, layout.n_layers):
            cx = layout.column_x(layer) + layout.heat_side(layer) / 2
            self.captions.append(self._label("", (0.5, 1.0), (cx, top), html=True))
        self.set_captions(texts)
        self._name_lists = []
        if texts.in_names is not None and layout.image_shape is None and layout.sizes[0] <= 40:
            self._name_lists.append((-1, [self._label(_esc(s), (1.0, 0.5), (0, 0), html=True)
                                          for s in texts.in_names]))
        if texts.out_names is not None and layout.sizes[-1] <= 40:
            self._name_lists.append((layout.n_layers - 1, [self._label(_esc(s), (0.0, 0.5), (0, 0), html=True)
                                                            for s in texts.out_names]))
        self.names = [t for _, ts in self._name_lists for t in ts]
        self.image.place(layout)
        self._heat = HeatGrid(self, layout, texts.acts)
        self.heatmaps = self._heat.items
        self.margins = self._margins(texts)
        self.clear_snapshot()

    def set_captions(self, texts) -> None:
        """The layers' names above their columns and their tooltips, in the current language."""
        layout = self.network_layout
        for t, layer in zip(self.captions, range(-1, layout.n_layers)):
            n = layout.n_units(layer)
            if layer == -1:
                img = layout.image_shape
                what = f"{img[0]}×{img[1]} = {n}" if img else str(n)
            else:
                what = f"{n} · {texts.acts[layer]}"
            t.set_html(f"<div style='text-align:center; color:#282828'><b>{_esc(texts.layer_name(layer))}"
                       f"</b><br>{what}</div>")
            t.setToolTip(texts.layer_tooltip(layer))

    def _label(self, text, anchor, pos, size=9.0, z=30, html=False) -> Label:
        t = Label(anchor=anchor, size=size)
        t.set_html(text) if html else t.set_text(text)
        t.setPos(float(pos[0]), float(pos[1]))
        t.setZValue(z)
        self.addItem(t)
        self._static.append(t)
        return t

    def _margins(self, texts) -> tuple[float, float, float, float]:
        """Pixel margins (left, right, top, bottom) around the drawing: captions above, names
        left and right, the incoming weights' caption under the image."""
        f = QFont()
        f.setPointSizeF(9.0)
        fm = QFontMetricsF(f)
        left, right, top, bottom = 14.0, 14.0, 2 * fm.lineSpacing() + 14, 10.0
        for layer, _ in self._name_lists:
            names = texts.in_names if layer == -1 else texts.out_names
            w = max(fm.horizontalAdvance(str(n)) for n in names) + 12
            if layer == -1:
                left += w
            else:
                right += w
        if self.network_layout.image_shape is not None:
            bottom += fm.lineSpacing() + 4
        return left, right, top, bottom

    def set_scale(self, s: float, heatmaps_shown: bool) -> None:
        """Sizes and text positions for ``s`` pixels per data unit."""
        layout = self.network_layout
        pixel, self._pixel = self._pixel, 1.0 / s
        if self._edges_drawn is not None and layout.image_shape is not None and pixel != self._pixel:
            self.draw_edges(*self._edges_drawn)   # where the edges leave the picture moved
        self.spot_px = layout.spot_pixel_sizes(s)
        self.neurons.set_sizes(self.spot_px)
        self.bias_px = layout.bias_pixel_sizes(s)
        self.bias_nodes.set_sizes(self.bias_px)
        gap = 6 / s
        for layer, labels in self._name_lists:
            r = layout.radius(layer)
            if layer >= 0 and heatmaps_shown:
                r = max(r, layout.heat_side(layer))
            for t, (x, y) in zip(labels, layout.positions(layer)):
                t.setPos(x - r - gap if layer == -1 else x + r + gap, y)
        for t in self.captions:
            t.setPos(t.pos().x(), layout.bbox.top + 6 / s)

    def set_density(self, max_edges: int) -> None:
        """Fainter thin edges when many are drawn, so the picture does not turn into a grey mesh;
        a big net's 1-px edges painted behind, without antialiasing (level of detail)."""
        sizes = self.network_layout.sizes
        behind = self.backdrop_scene is not None and any(a * b > LOD_EDGES for a, b in zip(sizes, sizes[1:]))
        dense = density_is_high(sizes, max_edges)
        if (dense, behind) != (self._dense, self._behind):
            self._dense, self._behind = dense, behind
            self._place_thin_edges(behind)
            for k in range(N_BINS):
                self.edges[k].setPen(_edge_pen(k, False, dense, behind and k % N_WIDTHS in THIN_WIDTHS))
                self.bias_edges[k].setPen(_edge_pen(k, True, dense))

    def _place_thin_edges(self, behind: bool) -> None:
        """The 1-px (and 0.8-px) weight edges in the backdrop's scene (``behind``, when there is one) or here.
        On 784-100-10 they are ~530 of ~700 edges, and Qt paints a 1-px line without antialiasing
        at about a third of the cost (nnviz.app.diagram.backdrop)."""
        target = self.backdrop_scene if behind else self
        for k in range(N_BINS):
            if k % N_WIDTHS not in THIN_WIDTHS:
                continue
            it = self.edges[k]
            if it.scene() is not target:
                if it.scene() is not None:
                    it.scene().removeItem(it)
                target.addItem(it)

    # -- a snapshot ---------------------------------------------------------------------------
    def clear_snapshot(self) -> None:
        self._clear_edges()
        self.highlight(None)

    def _clear_edges(self) -> None:
        for it in [*self.edges, *self.bias_edges]:
            it.clear()
        self.plan = self._edges_drawn = None
        if self._edge_cache is not None:
            self._edge_cache.reset()

    def draw_neurons(self, snap) -> None:
        """Every neuron's colour: its activation for the shown sample (inputs: the sample)."""
        layout = self.network_layout
        values = []
        for layer in layout.spot_layers:
            v = snap.x if layer == -1 else (snap.a[layer] if layer < len(snap.a) else None)
            values.append(None if v is None or np.size(v) != layout.n_units(layer) else np.ravel(v))
        self.neurons.set_brush_ids(self._spot_index.ids(values), _BRUSHES)

    def draw_edges(self, weights, max_edges: int) -> EdgePlan | None:
        """The strongest ``max_edges`` weights and biases of every layer (None: draw none)."""
        if weights is None:
            self._clear_edges()
            return None
        self._edges_drawn = (weights, max_edges)
        self.plan, changed = self._edge_cache.plan(weights, max_edges, self._pixel)
        for bias, items in ((False, self.edges), (True, self.bias_edges)):
            for k in changed[bias]:
                items[k].set_pairs(*self.plan.pairs(k, bias))
        return self.plan

    def draw_heatmaps(self, units, show: bool) -> set:
        """Every neuron's output over the input plane (``units[layer]`` (n, G, G)); returns the
        layers whose pictures are shown."""
        return self._heat.draw(units, show, self.network_layout.sizes)

    def highlight(self, key) -> None:
        """A dark line over the hovered edge, a ring around the hovered neuron."""
        kind = key[0] if key is not None else None
        layout = self.network_layout
        if kind in ("w", "b"):
            layer = key[1]
            a = layout.positions(layer - 1)[key[2]] if kind == "w" else layout.bias_positions[layer]
            b = layout.positions(layer)[key[-1]]
            self.highlight_edge.set_segments(np.array([a[0], b[0]]), np.array([a[1], b[1]]))
        else:
            self.highlight_edge.clear()
        if kind in ("n", "heat"):
            layer, j = key[1], key[2]
            sl = layout.spot_slices.get(layer)
            s = self.spot_px[sl.start + j] if sl is not None and len(self.spot_px) else 10
            self.highlight_node.place(layout.positions(layer)[j:j + 1], size=s + 6)
        else:
            self.highlight_node.place(np.empty((0, 2)))
