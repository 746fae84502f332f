"""The live network diagram: layers left to right, neurons coloured by their activation,
edges coloured by the sign of their weight and as thick as its size.

The diagram is a plain ``QGraphicsView`` whose scene coordinates are the layout's data
coordinates (x: layer, y: up). Every item is a stock Qt item set up from Python and painted by
Qt's C++ alone, so a frame is painted without Python's GIL, on the other core, while training
goes on (see the note above :class:`HeatImage`). A snapshot costs Python only its updates:

* every neuron is a pixel-sized circle (:class:`Dots`) whose brush comes from a prebuilt list
  of 64 colours per colour map, and only the circles whose colour changed are touched;
* edges are binned into 2 signs × 4 widths = 8 :class:`EdgeBatch` paths (bias edges into 8
  more, dashed); big layers draw only their strongest ``max_edges_per_layer`` weights;
* an image input (``image_shape``) is one :class:`HeatImage` and its edges start from the pixels.

User interaction (documented for the help text):

* hover a neuron, a bias node, a heatmap or an edge → a tooltip with its numbers;
* click a neuron → edit its bias; click an edge → edit its weight (a small editor opens in place:
  type the value, Enter applies, Esc cancels) → :attr:`NetworkDiagram.paramEditRequested`;
* image inputs: hovering a neuron of the first hidden layer shows its incoming weights as a
  picture below the input image; Ctrl+click pins that neuron (Ctrl+click again to unpin).

Snapshot grids (``snap.grid["units"][layer]`` of shape (n_units, G, G)) are indexed
``[iy, ix]`` with ``ys`` and ``xs`` ascending (``np.meshgrid(xs, ys)`` order): row 0 is the
bottom of the input plane.
"""
from __future__ import annotations

import math

import time

import numpy as np
import pyqtgraph as pg  # only its arrayToQPath (fast path building); nothing here paints through it
from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QImage, QLinearGradient, QPainter, QPainterPath,
                           QPalette, QPen, QPixmap, QTransform)
from PySide6.QtWidgets import (QDoubleSpinBox, QFrame, QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem,
                               QGraphicsPixmapItem, QGraphicsRectItem, QGraphicsScene, QGraphicsTextItem,
                               QGraphicsView, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QToolTip,
                               QVBoxLayout, QWidget)

from nnviz.app.state import Snapshot

# --- colours ------------------------------------------------------------------------------
BACKGROUND = QColor(250, 250, 248)
TEXT = QColor(40, 40, 40)
NEG = (232, 125, 20)       # orange: negative values / weights
POS = (22, 105, 180)       # blue: positive values / weights
MID = (255, 255, 255)
N_COLOURS = 64
DIVERGING = {"tanh", "identity", "leaky_relu", "linear", "input"}
SEQUENTIAL = {"sigmoid", "softmax", "relu", "step"}
# Edges are opaque (translucent antialiased lines cost 5-10x more to paint in Qt's raster
# engine); thin ones are drawn as lighter tints of the colour, under the thicker ones.
EDGE_WIDTHS = (0.8, 1.0, 2.0, 3.2)
EDGE_TINTS = (0.45, 0.65, 0.85, 1.0)
EDGE_TINTS_DENSE = (0.25, 0.45, 0.75, 1.0)    # when more than ~600 edges are drawn
# Strongest weights drawn per layer by default: a long antialiased line costs ~10 µs to paint
# (784-100-10: 2 000 lines took 21 ms a frame, 600 lines 8 ms) and 300 stay readable.
DEFAULT_MAX_EDGES = 300


def _tint(rgb, t: float) -> QColor:
    """``rgb`` blended with the background: t = 1 full colour, t = 0 background."""
    bg = (BACKGROUND.red(), BACKGROUND.green(), BACKGROUND.blue())
    return QColor(*(int(round(b + (c - b) * t)) for c, b in zip(rgb, bg)))


class ColourScale:
    """A colour map over ``[lo, hi]`` with a 256-entry LUT (images) and 64 prebuilt brushes (spots)."""

    def __init__(self, name: str, lo: float, hi: float, stops: list[tuple[float, tuple]]):
        self.name, self.lo, self.hi, self.stops = name, float(lo), float(hi), stops
        pos = np.array([s for s, _ in stops])
        cols = np.array([c for _, c in stops], dtype=float)
        t = np.linspace(0.0, 1.0, 256)
        self.lut = np.empty((256, 4), dtype=np.uint8)
        for k in range(3):
            self.lut[:, k] = np.round(np.interp(t, pos, cols[:, k]))
        self.lut[:, 3] = 255
        t64 = np.linspace(0.0, 1.0, N_COLOURS)
        self.colours = [QColor(*(int(round(np.interp(v, pos, cols[:, k]))) for k in range(3)))
                        for v in t64]
        self.brushes = [QBrush(c) for c in self.colours]

    def index(self, values: np.ndarray) -> np.ndarray:
        """Brush index 0..63 of every value (NaN → middle, outside the range → clipped)."""
        v = np.nan_to_num(np.asarray(values, dtype=float), nan=(self.lo + self.hi) / 2)
        k = np.rint((v - self.lo) * ((N_COLOURS - 1) / (self.hi - self.lo)))
        return np.clip(k, 0, N_COLOURS - 1).astype(np.intp)

    def colour(self, value: float) -> QColor:
        return self.colours[int(self.index(np.array([value]))[0])]

    def rgba(self, values: np.ndarray, lo: float | None = None, hi: float | None = None) -> np.ndarray:
        """``values`` (any shape) as RGBA uint8 (shape + (4,)); pre-coloured images paint far
        faster than indexed ones with a lookup table."""
        lo = self.lo if lo is None else lo
        hi = self.hi if hi is None else hi
        # in float64 (a diverging network can send values beyond float32's range); NaN → middle
        k = (np.asarray(values, dtype=np.float64) - lo) * (255.0 / (hi - lo))
        np.clip(k, 0, 255, out=k)
        k[k != k] = 127.5
        return self.lut[k.astype(np.uint8)]


DIV_SCALE = ColourScale("diverging", -1.0, 1.0, [(0.0, NEG), (0.5, MID), (1.0, POS)])
SEQ_SCALE = ColourScale("sequential", 0.0, 1.0, [(0.0, MID), (1.0, POS)])
_BRUSH_TABLE = np.empty(2 * N_COLOURS, dtype=object)
for _k, _b in enumerate(DIV_SCALE.brushes + SEQ_SCALE.brushes):
    _BRUSH_TABLE[_k] = _b
GREY_SCALE = ColourScale("grey", 0.0, 1.0, [(0.0, (0, 0, 0)), (1.0, (255, 255, 255))])


def scale_for(activation: str) -> ColourScale:
    """Sequential [0, 1] for sigmoid/softmax/ReLU/step, diverging [-1, 1] otherwise."""
    return SEQ_SCALE if activation in SEQUENTIAL else DIV_SCALE


def _fmt(v) -> str:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "?"
    if not math.isfinite(v):
        return str(v)
    return f"{v:.4g}"


def _seg_dist(px, py, x0, y0, x1, y1):
    """Distance of point (px, py) to every segment (x0, y0)-(x1, y1)."""
    dx, dy = x1 - x0, y1 - y0
    ll = dx * dx + dy * dy
    t = np.clip(((px - x0) * dx + (py - y0) * dy) / np.where(ll > 0, ll, 1.0), 0.0, 1.0)
    return np.hypot(x0 + t * dx - px, y0 + t * dy - py)


# --- scene items --------------------------------------------------------------------------
# Every item drawn in the diagram is a plain Qt item (path, ellipse, rectangle, pixmap, text)
# configured from Python but *painted by C++*: no Python ``paint``/``boundingRect`` override, no
# Python paintEvent or event filter on the view. Qt then paints the diagram without holding
# Python's GIL, on the second core, while training runs on the first (a pyqtgraph view
# paints through Python and stopped training for the whole frame).
_IGNORE_TRANSFORMS = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations


class HeatImage(QGraphicsPixmapItem):
    """A pre-coloured RGBA picture stretched over a data rectangle (a neuron's heatmap, the input
    image, a neuron's incoming weights); row 0 of the image is drawn at the rectangle's lowest y.

    ``image`` keeps the RGBA array shown and ``values`` the numbers behind it (for tooltips)."""

    def __init__(self):
        super().__init__()
        self.image = None
        self.values = None
        self._wh = (1, 1)
        self._rect = QRectF(0, 0, 1, 1)
        self.setTransformationMode(Qt.TransformationMode.FastTransformation)  # crisp pixels
        self.setShapeMode(QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
        self._border = QGraphicsRectItem(self)
        self._border.setBrush(Qt.BrushStyle.NoBrush)
        self._border.hide()

    def setImage(self, rgba: np.ndarray, autoLevels: bool = False) -> None:  # noqa: N802 (Qt style)
        self.image = np.ascontiguousarray(rgba, dtype=np.uint8)
        h, w = self.image.shape[:2]
        qimg = QImage(self.image.data, w, h, 4 * w, QImage.Format.Format_RGBA8888)
        self.setPixmap(QPixmap.fromImage(qimg))  # a copy, in the screen's format
        if (w, h) != self._wh:
            self._wh = (w, h)
            self._place()

    def setRect(self, rect: QRectF) -> None:  # noqa: N802
        self._rect = QRectF(rect)
        self._place()

    def setBorder(self, pen) -> None:  # noqa: N802
        if pen is None:
            self._border.hide()
        else:
            self._border.setPen(pen)
            self._border.show()

    def _place(self) -> None:
        w, h = self._wh
        r = self._rect
        self.setPos(r.left(), r.top())  # top() is the smallest y: the bottom of the picture
        self.setTransform(QTransform.fromScale(r.width() / w, r.height() / h))
        self._border.setRect(QRectF(0, 0, w, h))


CrispImage = HeatImage  # the input image and the incoming-weights picture


class EdgeBatch(QGraphicsPathItem):
    """Many line segments drawn with one pen, as one path (``setData`` takes the end points in
    pairs, as ``pg.PlotCurveItem(connect="pairs")``; ``xData``/``yData``/``opts["pen"]`` read
    them back)."""

    def __init__(self, pen: QPen):
        super().__init__()
        self.opts = {"pen": pen}
        self.xData = self.yData = None
        self.setPen(pen)

    def setPen(self, pen: QPen) -> None:  # noqa: N802
        self.opts["pen"] = pen
        super().setPen(pen)

    def setData(self, x=None, y=None, **_ignored) -> None:  # noqa: N802
        x = np.asarray(x if x is not None else [], dtype=float)
        y = np.asarray(y if y is not None else [], dtype=float)
        self.xData, self.yData = x, y
        self.setPath(pg.arrayToQPath(x, y, connect="pairs") if x.size else QPainterPath())
        self.setVisible(bool(x.size))  # (an empty path still leaves a dot in an SVG export)

    def getData(self):
        return self.xData, self.yData


class Dots:
    """Circles (or squares) of a size in pixels at data positions: one plain Qt item each,
    which keeps its size when the view zooms (like a pyqtgraph scatter in pixel mode).

    Not an item itself: it adds its items to a scene and updates only the brushes that changed."""

    def __init__(self, scene, square: bool = False, z: float = 20, pen: QPen | None = None,
                 brush: QBrush | None = None):
        self._scene = scene
        self._square = square
        self._z = z
        self._pen = pen if pen is not None else QPen(Qt.PenStyle.NoPen)
        self._brush = brush if brush is not None else QBrush(Qt.BrushStyle.NoBrush)
        self.items: list = []
        self._brushes: list = []
        self._ids: np.ndarray | None = None
        self._visible = True

    def __len__(self) -> int:
        return len(self.items)

    def setData(self, x, y, size=10.0, brush=None) -> None:  # noqa: N802
        """Place ``len(x)`` dots (their sizes in pixels; ``brush``: one, or one per dot)."""
        x, y = np.ravel(x), np.ravel(y)
        while len(self.items) > len(x):
            self._scene.removeItem(self.items.pop())
        while len(self.items) < len(x):
            it = QGraphicsRectItem() if self._square else QGraphicsEllipseItem()
            it.setFlag(_IGNORE_TRANSFORMS, True)
            it.setPen(self._pen)
            it.setZValue(self._z)
            it.setVisible(self._visible)
            self._scene.addItem(it)
            self.items.append(it)
        for it, xi, yi in zip(self.items, x, y):
            it.setPos(float(xi), float(yi))
        self.setSizes(size)
        self._ids = None
        brushes = [brush if brush is not None else self._brush] * len(x) if not isinstance(brush, list) else brush
        self.setBrushes(brushes)

    def setSizes(self, size) -> None:  # noqa: N802
        sizes = np.broadcast_to(np.asarray(size, dtype=float), (len(self.items),))
        for it, s in zip(self.items, sizes):
            r = float(s) / 2
            it.setRect(QRectF(-r, -r, 2 * r, 2 * r))

    def setBrushes(self, brushes) -> None:  # noqa: N802
        self._brushes = list(brushes)
        for it, b in zip(self.items, self._brushes):
            it.setBrush(b)

    def setBrushIds(self, ids: np.ndarray, table) -> None:  # noqa: N802
        """Brushes ``table[ids]``, touching only the dots whose brush changed."""
        ids = np.asarray(ids)
        if self._ids is None or self._ids.shape != ids.shape:
            changed = np.arange(len(ids))
        else:
            changed = np.flatnonzero(ids != self._ids)
        self._ids = ids.copy()
        for k in changed:
            b = table[ids[k]]
            self._brushes[k] = b
            self.items[k].setBrush(b)

    @property
    def brushes(self) -> list:
        return list(self._brushes)

    def setVisible(self, on: bool) -> None:  # noqa: N802
        self._visible = bool(on)
        for it in self.items:
            it.setVisible(self._visible)


class Label(QGraphicsTextItem):
    """Text of a fixed size in pixels at a data position, aligned by ``anchor`` ((0, 0): its
    top-left corner at the position, (0.5, 1): centred above it); rasterised once and cached."""

    def __init__(self, anchor=(0.0, 0.0), size: float = 9.0, bold: bool = False, color: QColor = TEXT):
        super().__init__()
        self._anchor = (float(anchor[0]), float(anchor[1]))
        f = QFont()
        f.setPointSizeF(size)
        f.setBold(bold)
        self.setFont(f)
        self.setDefaultTextColor(color)
        self.setFlag(_IGNORE_TRANSFORMS, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def setHtml(self, html: str) -> None:  # noqa: N802
        self.setTextWidth(-1)
        super().setHtml(html)
        self.setTextWidth(self.document().idealWidth())  # lets "text-align: center" work
        self._reanchor()

    def setText(self, text: str) -> None:  # noqa: N802
        self.setTextWidth(-1)
        self.setPlainText(text)
        self._reanchor()

    def _reanchor(self) -> None:
        r = self.boundingRect()
        self.setTransform(QTransform.fromTranslate(-self._anchor[0] * r.width(), -self._anchor[1] * r.height()))


class _Scene(QGraphicsScene):
    """The diagram's scene: its tooltips are the diagram's hover texts (only ``helpEvent`` is
    overridden, so painting never calls into Python)."""

    def __init__(self, owner):
        super().__init__(owner)
        self._owner = owner
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)  # items move every frame

    def helpEvent(self, ev) -> None:  # noqa: N802
        text = self._owner._tooltip_at(ev.scenePos())
        if text:
            QToolTip.showText(ev.screenPos(), text, ev.widget())
        else:
            QToolTip.hideText()
        ev.setAccepted(bool(text))


class _View(QGraphicsView):
    """A plain ``QGraphicsView`` of the diagram's data coordinates (y up). It overrides only
    mouse and resize handlers: its paint is Qt's own C++ (see the note on scene items)."""

    def __init__(self, owner):
        super().__init__()
        self._owner = owner
        self._press = None
        self.setScene(_Scene(owner))
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(QBrush(BACKGROUND))
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        # no keyboard focus: arrow keys would scroll the scene, and Space belongs to Play
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def resizeEvent(self, ev) -> None:  # noqa: N802
        super().resizeEvent(ev)
        self._owner._fit()

    def mouseMoveEvent(self, ev) -> None:  # noqa: N802
        self._owner._mouse_moved(self.mapToScene(ev.position().toPoint()))

    def leaveEvent(self, ev) -> None:  # noqa: N802
        self._owner._mouse_left()
        super().leaveEvent(ev)

    def mousePressEvent(self, ev) -> None:  # noqa: N802
        self._press = ev.position()
        ev.accept()

    def mouseReleaseEvent(self, ev) -> None:  # noqa: N802
        press, self._press = self._press, None
        if press is not None and (ev.position() - press).manhattanLength() < 5:
            self._owner._clicked(self.mapToScene(ev.position().toPoint()), ev.button(), ev.modifiers())

    def wheelEvent(self, ev) -> None:  # noqa: N802
        ev.ignore()  # the diagram always fits the view: nothing to scroll


class _Legend(QWidget):
    """A strip under the diagram explaining the colours; flows into several rows when narrow.

    A widget of its own: it repaints only when its text changes, not with every frame."""

    PAD = 8
    GAP = 22

    def __init__(self):
        super().__init__()
        self._font = QFont()
        self._font.setPointSizeF(9.0)
        self._fm = QFontMetricsF(self._font)
        self.div_label = ""
        self.seq_label = ""
        self.has_bias = True
        self.heatmaps = False
        self.wmax = None
        self._wmax_t = 0.0
        self._height = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, BACKGROUND)
        self.setPalette(pal)
        self.setToolTip(self.tr(
            "Neuron colour = its activation a for the shown sample. Orange = negative, white = 0, "
            "blue = positive (ReLU values above 1 are drawn as 1).\nEdge colour = sign of the weight, "
            "edge width = its size |w|. Dashed edges are biases: weights from the constant +1 input."))
        self._set_height(self._fm.height() + 2 * self.PAD)

    def configure(self, div_label: str, seq_label: str, has_bias: bool, heatmaps: bool) -> None:
        self.div_label, self.seq_label = div_label, seq_label
        self.has_bias, self.heatmaps = has_bias, heatmaps
        self._relayout()
        self.update()

    def set_wmax(self, wmax) -> None:
        # Repaint (and re-rasterise the cached legend) only when the number moves by more than
        # 5%, at most twice a second: a legend need not flicker at the frame rate.
        now = time.monotonic()
        if wmax is not None and self.wmax is not None and (
                abs(wmax - self.wmax) <= 0.05 * abs(self.wmax) or now - self._wmax_t < 0.5):
            return
        self._wmax_t = now
        if wmax != self.wmax:
            had = self.wmax is not None
            self.wmax = wmax
            if had != (wmax is not None):
                self._relayout()
            self.update()

    # atoms: ("text", s) ("bar", scale) ("line", rgb, width, dashed) ("bias",) ("heat",)
    def _chunks(self) -> list[list[tuple]]:
        tr = self.tr
        ch = []
        if self.div_label:
            ch.append([("text", tr("activation a (%1):").replace("%1", self.div_label)),
                       ("text", "−1"), ("bar", DIV_SCALE), ("text", "+1")])
        if self.seq_label:
            ch.append([("text", tr("activation a (%1):").replace("%1", self.seq_label)),
                       ("text", "0"), ("bar", SEQ_SCALE), ("text", "1")])
        ch.append([("text", tr("weight w:")), ("line", NEG, 2.5, False), ("text", tr("negative")),
                   ("line", POS, 2.5, False), ("text", tr("positive"))])
        wtxt = tr("width ∝ |w|")
        if self.wmax is not None:
            more = tr(" (thickest ≈ %1)")
            # a fixed width for the number, so the rows do not jump from frame to frame
            wtxt = ("text", wtxt + more.replace("%1", _fmt(self.wmax)), wtxt + more.replace("%1", "-0.0000"))
        else:
            wtxt = ("text", wtxt)
        ch.append([("widths",), wtxt])
        if self.has_bias:
            ch.append([("bias",), ("line", (110, 110, 110), 1.5, True), ("text", tr("bias b (weight of the +1 input)"))])
        if self.heatmaps:
            ch.append([("heat",), ("text", tr("neuron output over the input plane"))])
        return ch

    def _atom_w(self, atom) -> float:
        kind = atom[0]
        if kind == "text":
            return self._fm.horizontalAdvance(atom[1] if len(atom) < 3 else atom[2])
        return {"bar": 84, "line": 24, "bias": 15, "heat": 15, "widths": 30}[kind]

    def _layout(self, width: float):
        rows, row, x = [], [], self.PAD
        for chunk in self._chunks():
            w = sum(self._atom_w(a) for a in chunk) + 4 * (len(chunk) - 1)
            if row and x + w > width - self.PAD:
                rows.append(row)
                row, x = [], self.PAD
            row.append((x, chunk))
            x += w + self.GAP
        if row:
            rows.append(row)
        return rows

    def _relayout(self) -> None:
        w = self.size().width()
        if w <= 0:
            return
        n = max(1, len(self._layout(w)))
        self._set_height(n * (self._fm.height() + 6) + 2 * self.PAD - 6)

    def _set_height(self, h: float) -> None:
        if abs(h - self._height) > 0.5:
            self._height = h
            self.setFixedHeight(int(math.ceil(h)))

    def resizeEvent(self, ev):
        super().resizeEvent(ev)
        self._relayout()

    def paintEvent(self, ev) -> None:  # noqa: N802
        p = QPainter(self)
        try:
            self._paint(p)
        finally:
            p.end()

    def _paint(self, p: QPainter) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self._font)
        rh = self._fm.height() + 6
        for r, row in enumerate(self._layout(self.size().width())):
            yc = self.PAD + r * rh + self._fm.height() / 2
            for x, chunk in row:
                for atom in chunk:
                    w = self._atom_w(atom)
                    self._paint_atom(p, atom, x, yc, w)
                    x += w + 4

    def _paint_atom(self, p: QPainter, atom, x, yc, w):
        kind = atom[0]
        if kind == "text":
            p.setPen(TEXT)
            p.drawText(QPointF(x, yc + self._fm.ascent() / 2 - self._fm.descent() / 2 + 1), atom[1])
        elif kind == "bar":
            g = QLinearGradient(x, 0, x + w, 0)
            for s, c in atom[1].stops:
                g.setColorAt(s, QColor(*c))
            p.setPen(QPen(QColor(120, 120, 120), 0.8))
            p.setBrush(QBrush(g))
            p.drawRect(QRectF(x, yc - 5, w, 10))
        elif kind == "line":
            pen = QPen(QColor(*atom[1]), atom[2])
            if atom[3]:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(x, yc), QPointF(x + w, yc))
        elif kind == "widths":
            for k, lw in enumerate(EDGE_WIDTHS):
                p.setPen(QPen(QColor(100, 100, 100), lw))
                xx = x + 3 + k * 8
                p.drawLine(QPointF(xx, yc - 6), QPointF(xx, yc + 6))
        elif kind == "bias":
            p.setPen(QPen(QColor(90, 90, 90), 1))
            p.setBrush(QColor(225, 225, 225))
            p.drawRect(QRectF(x, yc - 7, 14, 14))
            f = QFont(self._font)
            f.setPointSizeF(6.5)
            p.setFont(f)
            p.setPen(TEXT)
            p.drawText(QRectF(x, yc - 7, 14, 14), Qt.AlignmentFlag.AlignCenter, "+1")
            p.setFont(self._font)
        elif kind == "heat":
            g = QLinearGradient(x, yc - 7, x + 14, yc + 7)
            g.setColorAt(0, QColor(*NEG))
            g.setColorAt(0.5, QColor(*MID))
            g.setColorAt(1, QColor(*POS))
            p.setPen(QPen(QColor(90, 90, 90), 1))
            p.setBrush(QBrush(g))
            p.drawRect(QRectF(x, yc - 7, 14, 14))


# --- inline editor ------------------------------------------------------------------------
class _Spin(QDoubleSpinBox):
    def __init__(self, editor):
        super().__init__(editor)
        self._editor = editor

    def keyPressEvent(self, ev):
        if ev.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.interpretText()
            self._editor.accept()
            return
        if ev.key() == Qt.Key.Key_Escape:
            self._editor.cancel()
            return
        super().keyPressEvent(ev)


class ParamEditor(QFrame):
    """A small non-modal editor shown over the diagram: a label, a number box, ✓ and ✕."""

    accepted = Signal(float)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet("ParamEditor { background: #ffffff; border: 1px solid #888; border-radius: 4px; }")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(4)
        self.label = QLabel()
        lay.addWidget(self.label)
        row = QHBoxLayout()
        self.spin = _Spin(self)
        self.spin.setRange(-1e6, 1e6)
        self.spin.setDecimals(5)
        self.spin.setSingleStep(0.1)
        self.spin.setMinimumWidth(110)
        self.spin.setToolTip(self.tr("Type the new value; Enter applies it, Esc cancels."))
        self.ok = QToolButton()
        self.ok.setText("✓")
        self.ok.setToolTip(self.tr("Apply (Enter)"))
        self.ok.clicked.connect(self.accept)
        self.no = QToolButton()
        self.no.setText("✕")
        self.no.setToolTip(self.tr("Cancel (Esc)"))
        self.no.clicked.connect(self.cancel)
        row.addWidget(self.spin, 1)
        row.addWidget(self.ok)
        row.addWidget(self.no)
        lay.addLayout(row)
        self.hide()

    def open(self, text: str, value: float, pos: QPoint) -> None:
        self.label.setText(text)
        self.spin.setValue(float(value) if math.isfinite(value) else 0.0)
        self.adjustSize()
        par = self.parentWidget()
        x = min(max(0, pos.x() + 12), max(0, par.width() - self.width()))
        y = min(max(0, pos.y() + 12), max(0, par.height() - self.height()))
        self.move(x, y)
        self.show()
        self.raise_()
        self.spin.setFocus()
        self.spin.selectAll()

    def accept(self) -> None:
        if self.isVisible():
            self.hide()
            self.accepted.emit(float(self.spin.value()))

    def cancel(self) -> None:
        self.hide()


# --- the widget -----------------------------------------------------------------------------
class NetworkDiagram(QWidget):
    """Draws a dense network and its latest :class:`~nnviz.app.state.Snapshot`.

    Signals
    -------
    paramEditRequested(int layer, str name, object index, float value)
        The user asked to set ``W[i, j]`` (``name="W"``, ``index=(i, j)``, i = input neuron,
        j = output neuron) or ``b[j]`` (``name="b"``, ``index=(j,)``) of dense layer ``layer``
        (0 = first weight matrix) to ``value``.
    """

    paramEditRequested = Signal(int, str, object, float)

    DX = 1.0            # distance between layers (data units)
    DY_MAX = 0.5        # largest distance between two neurons
    R_MAX = 0.06        # largest neuron radius
    HEAT_MAX_UNITS = 256

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._max_edges = DEFAULT_MAX_EDGES
        self._show_heatmaps = True
        self._snap: Snapshot | None = None
        self._snap_id = 0
        self._sizes: list[int] = []
        self._hover_text = ""
        self._hl_key = None
        self._incoming = None          # neuron j of layer 1 whose incoming weights are shown
        self._incoming_pinned = False
        self._pending_edit = None
        self._hit_cache = None
        self._static: list = []

        self._scale = 1.0
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        self.view = _View(self)
        self.scene = self.view.scene()
        lay.addWidget(self.view, 1)
        self.legend = _Legend()
        lay.addWidget(self.legend)

        self._node_pen = QPen(QColor(85, 85, 85), 1.0)
        self._node_pen.setCosmetic(True)
        self.neuron_item = Dots(self.scene, z=20, pen=self._node_pen, brush=QBrush(QColor(*MID)))
        self.bias_item = Dots(self.scene, square=True, z=20, pen=self._node_pen,
                              brush=QBrush(QColor(225, 225, 225)))
        self.edge_items: list[EdgeBatch] = []
        self.bias_edge_items: list[EdgeBatch] = []
        self._pens = {}
        for dense, tints in ((False, EDGE_TINTS), (True, EDGE_TINTS_DENSE)):
            for dashed in (False, True):
                for sign in (0, 1):
                    for k in range(4):
                        c = _tint(NEG if sign == 0 else POS, tints[k])
                        pen = QPen(c, EDGE_WIDTHS[k] if not dashed else min(EDGE_WIDTHS[k], 2.0))
                        pen.setCosmetic(True)
                        if dashed:
                            pen.setStyle(Qt.PenStyle.DashLine)
                        self._pens[(dense, dashed, 4 * sign + k)] = pen
        self._dense = False
        for dashed, items in ((False, self.edge_items), (True, self.bias_edge_items)):
            for b in range(8):
                it = EdgeBatch(self._pens[(False, dashed, b)])
                it.setZValue(1 if dashed else 2 + b % 4)
                items.append(it)
        hl_pen = QPen(QColor(20, 20, 20, 200), 4.0)
        hl_pen.setCosmetic(True)
        self._hl_edge = EdgeBatch(hl_pen)
        self._hl_edge.setZValue(15)
        ring = QPen(QColor(20, 20, 20), 2.5)
        ring.setCosmetic(True)
        self._hl_node = Dots(self.scene, z=25, pen=ring)
        self.input_image_item = CrispImage()
        self.input_image_item.setZValue(10)
        self.incoming_item = CrispImage()
        self.incoming_item.setZValue(12)
        frame_pen = QPen(QColor(90, 90, 90), 1.0)
        frame_pen.setCosmetic(True)
        self._incoming_frame = QGraphicsRectItem()
        self._incoming_frame.setPen(frame_pen)
        self._incoming_frame.setBrush(QBrush(BACKGROUND))
        self._incoming_frame.setZValue(11)
        self._incoming_caption = Label(anchor=(0.5, 0.0), size=8.5)
        self._incoming_caption.setZValue(30)
        self._image_frame = QGraphicsRectItem()
        self._image_frame.setPen(frame_pen)
        self._image_frame.setZValue(11)
        for it in [*self.edge_items, *self.bias_edge_items, self._hl_edge, self.input_image_item,
                   self.incoming_item, self._incoming_frame, self._incoming_caption, self._image_frame]:
            self.scene.addItem(it)
        for it in (self.input_image_item, self.incoming_item, self._incoming_frame,
                   self._incoming_caption, self._image_frame):
            it.hide()
        self.heatmap_items: dict[tuple[int, int], HeatImage] = {}
        self.editor = ParamEditor(self)
        self.editor.accepted.connect(self._on_edit_accepted)

        # Hover: mouse moves are coalesced by a zero-delay timer (a burst of moves costs one hit test).
        self._move_pos = None
        self._move_timer = QTimer(self)
        self._move_timer.setSingleShot(True)
        self._move_timer.setInterval(0)
        self._move_timer.timeout.connect(self._process_move)
        self.setMinimumSize(320, 240)

    # ---------------------------------------------------------------------------- public API
    @property
    def max_edges_per_layer(self) -> int:
        """Largest number of weight edges drawn per layer (the strongest |w| are kept)."""
        return self._max_edges

    @max_edges_per_layer.setter
    def max_edges_per_layer(self, n: int) -> None:
        self.set_max_edges_per_layer(n)

    def set_max_edges_per_layer(self, n: int) -> None:
        self._max_edges = max(1, int(n))
        if self._sizes:
            self._set_density()
        if self._snap is not None:
            self._draw_edges(self._snap)

    @property
    def hover_text(self) -> str:
        """The tooltip text of what the mouse is over ("" if nothing)."""
        return self._hover_text

    def sizeHint(self) -> QSize:
        return QSize(900, 600)

    def set_network(self, sizes, activations, names=None, image_shape=None,
                    input_names=None, output_names=None) -> None:
        """Lay out a dense network ``sizes`` (e.g. [2, 4, 4, 1]) with one activation per dense layer."""
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError("a network needs at least an input and an output layer")
        if len(activations) != len(sizes) - 1:
            raise ValueError(f"{len(sizes) - 1} dense layers need {len(sizes) - 1} activations, "
                             f"got {len(activations)}")
        L = len(sizes) - 1
        self._sizes = sizes
        self._acts = [str(a) for a in activations]
        if names is None or len(names) != len(sizes):
            names = ([self.tr("input")] + [self.tr("hidden %1").replace("%1", str(k)) for k in range(1, L)]
                     + [self.tr("output")])
        self._names = [str(n) for n in names]
        self._image_shape = None
        if image_shape is not None and int(np.prod(image_shape)) == sizes[0]:
            self._image_shape = (int(image_shape[0]), int(image_shape[1]))
        self._in_names = list(input_names) if input_names is not None and len(input_names) == sizes[0] else None
        self._out_names = list(output_names) if output_names is not None and len(output_names) == sizes[-1] else None
        self._scales = [DIV_SCALE] + [scale_for(a) for a in self._acts]
        self._heat_capable = (self._image_shape is None and sizes[0] == 2
                              and sum(sizes[1:]) <= self.HEAT_MAX_UNITS)
        self._snap = None
        self._snap_id += 1
        self._hit_cache = None
        self._incoming = None
        self._incoming_pinned = False
        self.editor.cancel()
        self._layout()
        self._build_items()
        self._configure_legend()
        self._set_density()
        self._clear_dynamic()
        self._fit()

    def update_snapshot(self, snap: Snapshot) -> None:
        """Draw ``snap``: neuron colours, edges, heatmaps, the input image."""
        if not self._sizes or snap is None:
            return
        self._snap = snap
        self._snap_id += 1
        self._hit_cache = None
        self._draw_neurons(snap)
        self._draw_edges(snap)
        self._draw_heatmaps(snap)
        self._draw_image(snap)
        if self._incoming is not None:
            self._draw_incoming()
        if self._hl_key is not None:
            self._hover_text = self._describe(self._hl_key)

    def set_show_heatmaps(self, show: bool) -> None:
        """Show each neuron's output over the 2-D input plane (when the snapshot has a grid)."""
        self._show_heatmaps = bool(show)
        if self._sizes:
            self._configure_legend()
            if self._snap is not None:
                self._draw_heatmaps(self._snap)
            else:
                for it in self.heatmap_items.values():
                    it.setVisible(False)

    def show_heatmaps(self) -> bool:
        return self._show_heatmaps

    def set_show_incoming(self, layer_index, neuron=None, pinned: bool = True) -> None:
        """Show the incoming weights of ``neuron`` of the first hidden layer as a picture under the
        input image (image inputs only, ``layer_index`` must be 0); ``None`` hides it."""
        if layer_index is None or neuron is None or self._image_shape is None or layer_index != 0 \
                or not (0 <= int(neuron) < self._sizes[1]):
            self._incoming = None
            self._incoming_pinned = False
            for it in (self.incoming_item, self._incoming_frame, self._incoming_caption):
                it.hide()
            return
        self._incoming = int(neuron)
        self._incoming_pinned = bool(pinned)
        self._draw_incoming()

    def request_edit(self, kind: str, layer: int, index, pos: QPoint | None = None) -> ParamEditor:
        """Open the inline editor for ``W[i, j]`` (kind "W", index (i, j)) or ``b[j]`` (kind "b",
        index (j,)) of dense layer ``layer``; applying it emits :attr:`paramEditRequested`."""
        index = tuple(int(i) for i in index)
        value = float("nan")
        if self._snap is not None and self._weights_ok(self._snap) and 0 <= layer < len(self._snap.weights):
            W, b = self._snap.weights[layer]
            try:
                value = float(W[index] if kind == "W" else b[index])
            except (IndexError, TypeError):
                pass
        if kind == "W":
            text = self.tr("Weight from %1 to %2").replace("%1", self._node_name(layer, index[0])) \
                .replace("%2", self._node_name(layer + 1, index[1]))
        else:
            text = self.tr("Bias of %1").replace("%1", self._node_name(layer + 1, index[0]))
        self._pending_edit = (int(layer), kind, index)
        if pos is None:
            pos = self.view.mapTo(self, QPoint(self.view.width() // 3, self.view.height() // 3))
        self.editor.open(text, value, pos)
        return self.editor

    def export_png(self, path) -> None:
        """Save what the diagram shows (with its legend) as a PNG."""
        editing = self.editor.isVisible()
        self.editor.hide()
        try:
            ok = self.grab().save(str(path), "PNG")
        finally:
            self.editor.setVisible(editing)
        if not ok:
            raise OSError(f"could not write {path}")

    def export_svg(self, path) -> None:
        """Save the diagram as an SVG (vector edges and text; images embedded)."""
        from PySide6.QtSvg import QSvgGenerator
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        vw, vh = self.view.width(), self.view.height()
        size = QSize(vw, vh + self.legend.height())
        gen.setSize(size)
        gen.setViewBox(QRectF(0, 0, size.width(), size.height()))
        gen.setTitle("nnviz network")
        # texts as vector text, not as the pixmaps they are cached in on screen
        labels = [it for it in self.scene.items() if isinstance(it, Label)]
        for it in labels:
            it.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        p = QPainter(gen)
        try:
            p.fillRect(QRectF(0, 0, size.width(), size.height()), BACKGROUND)
            self.view.render(p, QRectF(0, 0, vw, vh), self.view.viewport().rect())
            p.save()
            p.translate(0, vh)
            self.legend._paint(p)
            p.restore()
        finally:
            p.end()
            for it in labels:
                it.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def drawn_edges(self, layer: int) -> tuple[np.ndarray, np.ndarray]:
        """``(i, j)`` index arrays of the weight edges of dense layer ``layer`` drawn now."""
        idx = self._sel[layer]
        n_out = self._sizes[layer + 1]
        return idx // n_out, idx % n_out

    def item_view_rect(self, item) -> QRectF:
        """Where ``item`` is drawn, in viewport coordinates (texts keep their pixel size)."""
        return item.deviceTransform(self.view.viewportTransform()).mapRect(item.boundingRect())

    # test helpers: where things are, in viewport widget coordinates
    def node_data_pos(self, layer: int, j: int) -> QPointF:
        x, y = self._pos[layer][j]
        return QPointF(float(x), float(y))

    def data_to_viewport(self, p: QPointF) -> QPoint:
        return self.view.mapFromScene(p)  # scene coordinates are data coordinates

    def neuron_view_pos(self, layer: int, j: int) -> QPoint:
        """Viewport position of neuron ``j`` of layer ``layer`` (0 = input)."""
        return self.data_to_viewport(self.node_data_pos(layer, j))

    def edge_view_pos(self, layer: int, i: int, j: int, t: float = 0.5) -> QPoint:
        """Viewport position of a point on the edge W[i, j] of dense layer ``layer``."""
        a, b = self._pos[layer][i], self._pos[layer + 1][j]
        return self.data_to_viewport(QPointF(*(a + t * (b - a))))

    def bias_view_pos(self, layer: int) -> QPoint:
        return self.data_to_viewport(QPointF(*self._bias_pos[layer]))

    # ---------------------------------------------------------------------------- layout
    def _layout(self) -> None:
        sizes, L = self._sizes, len(self._sizes) - 1
        img = self._image_shape is not None
        many = max(sizes[1:] + ([] if img else [sizes[0]]))
        self._H = H = max(0.75 * L * self.DX, 1.35 if (img or many > 16) else 1.0)
        self._xs = [l * self.DX for l in range(L + 1)]
        self._pos, self._radius, self._dy = [], [], []
        self._bias_pos = []
        self._heat_side = []
        top, bottom = -np.inf, np.inf
        left, right = np.inf, -np.inf
        for l, n in enumerate(sizes):
            x = self._xs[l]
            has_bias = l < L
            if l == 0 and img:
                h, w = self._image_shape
                S = 0.4 * H
                self._img_rect = QRectF(x - S / 2, H / 2 - S, S, S)
                ps = S / max(h, w)
                rr, cc = np.divmod(np.arange(n), w)
                pos = np.column_stack([x - S / 2 + (cc + 0.5) * ps, H / 2 - (rr + 0.5) * ps])
                self._pos.append(pos)
                self._radius.append(ps / 2)
                self._dy.append(ps)
                self._bias_pos.append(np.array([x, H / 2 - S - 0.07 * H]))
                self._inset_rect = QRectF(x - S / 2, -H / 2, S, S)
                top, bottom = max(top, H / 2), min(bottom, -H / 2)
                left = min(left, x - S / 2)
                self._heat_side.append(0.0)
                continue
            slots = n + (1 if has_bias else 0)
            dy = min(H / max(slots, 1), self.DY_MAX)
            ys = ((n - 1) / 2 - np.arange(n)) * dy
            pos = np.column_stack([np.full(n, x), ys])
            heat = self._heat_capable and l > 0
            r = min((0.2 if heat else 0.4) * dy, self.R_MAX)
            self._pos.append(pos)
            self._radius.append(r)
            self._dy.append(dy)
            hs = 0.0
            if heat:
                hs = min(0.85 * dy, 0.3 * self.DX) if l < L else min(0.8 * H / n, 0.42 * self.DX, 2.0 * dy)
            self._heat_side.append(hs)
            if has_bias:
                by = -(n + 1) / 2 * dy
                self._bias_pos.append(np.array([x, by]))
                bottom = min(bottom, by - max(r, 0.02))
            top = max(top, ys[0] + max(r, hs / 2))
            bottom = min(bottom, ys[-1] - max(r, hs / 2))
            left = min(left, x - r)
            right = max(right, x + max(r, hs))
        right = max(right, self._xs[-1] + self._radius[-1])
        self._bbox = QRectF(left, bottom, right - left, top - bottom)

    def _text(self, html: str, anchor, pos, size=9.0, bold=False) -> Label:
        t = Label(anchor=anchor, size=size, bold=bold)
        t.setHtml(html)
        t.setPos(*pos)
        t.setZValue(30)
        self.scene.addItem(t)
        self._static.append(t)
        return t

    def _build_items(self) -> None:
        for it in self._static:
            self.scene.removeItem(it)
        self._static = []
        for it in self.heatmap_items.values():
            self.scene.removeItem(it)
        self.heatmap_items = {}
        sizes, L = self._sizes, len(self._sizes) - 1
        img = self._image_shape is not None
        first = 1 if img else 0
        self._spot_layers = list(range(first, L + 1))
        xs, ys, layer_of, index_of = [], [], [], []
        for l in self._spot_layers:
            xs.append(self._pos[l][:, 0])
            ys.append(self._pos[l][:, 1])
            layer_of.append(np.full(sizes[l], l))
            index_of.append(np.arange(sizes[l]))
        self._spot_x = np.concatenate(xs)
        self._spot_y = np.concatenate(ys)
        self._spot_layer = np.concatenate(layer_of)
        self._spot_index = np.concatenate(index_of)
        self._spot_slices = {}
        start = 0
        for l in self._spot_layers:
            self._spot_slices[l] = slice(start, start + sizes[l])
            start += sizes[l]
        self.neuron_item.setData(x=self._spot_x, y=self._spot_y, size=10,
                                 brush=DIV_SCALE.brushes[N_COLOURS // 2])
        bp = np.array(self._bias_pos)
        self.bias_item.setData(x=bp[:, 0], y=bp[:, 1], size=16)
        self._bias_texts = []
        for l in range(L):
            t = Label(anchor=(0.5, 0.5), size=7.0)
            t.setText("+1")
            t.setPos(*self._bias_pos[l])
            t.setZValue(21)
            self.scene.addItem(t)
            self._static.append(t)
            self._bias_texts.append(t)
        # layer captions, aligned on one line above the tallest column
        top = self._bbox.top() + self._bbox.height()
        self._captions = []
        for l in range(L + 1):
            n = sizes[l]
            if l == 0:
                what = (f"{self._image_shape[0]}×{self._image_shape[1]} = {n}" if img else str(n))
            else:
                what = f"{n} · {self._acts[l - 1]}"
            cx = self._xs[l] + (self._heat_side[l] / 2 if self._heat_capable and l > 0 else 0)
            t = self._text(f"<div style='text-align:center; color:#282828'><b>{self._names[l]}</b>"
                           f"<br>{what}</div>", (0.5, 1.0), (cx, top))
            t.setToolTip(self._layer_tooltip(l))
            self._captions.append(t)
        # input / output names
        self._name_items = []
        if self._in_names is not None and not img and sizes[0] <= 40:
            for i, name in enumerate(self._in_names):
                x, y = self._pos[0][i]
                self._name_items.append(self._text(self._esc(name), (1.0, 0.5), (x, y)))
        if self._out_names is not None and sizes[-1] <= 40:
            for j, name in enumerate(self._out_names):
                x, y = self._pos[L][j]
                self._name_items.append(self._text(self._esc(name), (0.0, 0.5), (x, y)))
        # image input and its incoming-weights inset
        self.input_image_item.setVisible(img)
        self._image_frame.setVisible(img)
        if img:
            h, w = self._image_shape
            self.input_image_item.setImage(GREY_SCALE.rgba(np.zeros((h, w))), autoLevels=False)
            self.input_image_item.setRect(self._img_rect)
            self._image_frame.setRect(self._img_rect)
            self.incoming_item.setImage(DIV_SCALE.rgba(np.zeros((h, w))), autoLevels=False)
            self.incoming_item.setRect(self._inset_rect)
            self._incoming_frame.setRect(self._inset_rect)
            self._incoming_caption.setPos(self._inset_rect.center().x(), self._inset_rect.top())
        for it in (self.incoming_item, self._incoming_frame, self._incoming_caption):
            it.hide()
        # heatmaps (created hidden; shown when a snapshot brings a grid)
        if self._heat_capable:
            for l in range(1, L + 1):
                hs = self._heat_side[l]
                for j in range(sizes[l]):
                    it = HeatImage()
                    it.setImage(np.zeros((2, 2, 4), np.uint8), autoLevels=False)
                    x, y = self._pos[l][j]
                    it.setRect(QRectF(x, y - hs / 2, hs, hs))
                    it.setZValue(10)
                    border = QPen(QColor(120, 120, 120), 1.0)
                    border.setCosmetic(True)
                    it.setBorder(border)
                    it.hide()
                    self.scene.addItem(it)
                    self.heatmap_items[(l, j)] = it
        self._margins()

    @staticmethod
    def _esc(s) -> str:
        return (str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))

    def _margins(self) -> None:
        """Pixel margins around the data bounding box: captions above, names left and right."""
        f = QFont()
        f.setPointSizeF(9.0)
        fm = QFontMetricsF(f)
        self._m_top = 2 * fm.lineSpacing() + 14
        self._m_left = 14.0
        self._m_right = 14.0
        self._m_bottom = 10.0
        if self._in_names is not None and self._image_shape is None and self._sizes[0] <= 40:
            self._m_left += max(fm.horizontalAdvance(str(n)) for n in self._in_names) + 12
        if self._out_names is not None and self._sizes[-1] <= 40:
            self._m_right += max(fm.horizontalAdvance(str(n)) for n in self._out_names) + 12
        if self._image_shape is not None:     # the inset's caption under it
            self._m_bottom += fm.lineSpacing() + 4

    def _configure_legend(self) -> None:
        acts = self._acts
        div = [a for a in dict.fromkeys(acts) if scale_for(a) is DIV_SCALE]
        seq = [a for a in dict.fromkeys(acts) if scale_for(a) is SEQ_SCALE]
        if self._image_shape is None:
            div = [self.tr("inputs")] + div
        heat = self._heat_capable and self._show_heatmaps and self._snap is not None \
            and self._snap.grid is not None
        self.legend.configure(", ".join(div), ", ".join(seq), True, heat)

    def _fit(self, *args) -> None:
        """Fit the diagram into the view, keeping aspect, with pixel margins for the texts."""
        if not self._sizes:
            return
        w, h = self.view.viewport().width(), self.view.viewport().height()
        if w < 10 or h < 10:
            return
        bb = self._bbox
        s = min((w - self._m_left - self._m_right) / max(bb.width(), 1e-9),
                (h - self._m_top - self._m_bottom) / max(bb.height(), 1e-9))
        s = max(s, 1e-3)
        self._scale = s
        x0 = bb.left() - self._m_left / s
        x1 = bb.right() + self._m_right / s
        y0 = bb.top() - self._m_bottom / s          # QRectF.top() is the smaller y here
        y1 = bb.bottom() + self._m_top / s
        # data coordinates, y up, scaled to pixels; the view centres the rectangle
        self.view.setTransform(QTransform(s, 0, 0, -s, 0, 0))
        self.view.setSceneRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        # neuron sizes in pixels follow the zoom
        sizes = np.concatenate([np.full(self._sizes[l], np.clip(2 * self._radius[l] * s, 3.0, 44.0))
                                for l in self._spot_layers])
        self._spot_px = sizes
        self.neuron_item.setSizes(sizes)
        bsz = [max(18.0, min(26.0, 2 * self._radius[l] * s)) for l in range(len(self._sizes) - 1)]
        if self._image_shape is not None:
            bsz[0] = 18.0
        self._bias_px = np.array(bsz)
        self.bias_item.setSizes(self._bias_px)
        # names beside the neurons
        L = len(self._sizes) - 1
        k = 0
        gap = 6 / s
        if self._in_names is not None and self._image_shape is None and self._sizes[0] <= 40:
            for i in range(self._sizes[0]):
                x, y = self._pos[0][i]
                self._name_items[k].setPos(x - self._radius[0] - gap, y)
                k += 1
        if self._out_names is not None and self._sizes[-1] <= 40:
            off = self._heat_side[L] if (self._heat_capable and self._show_heatmaps) else 0.0
            for j in range(self._sizes[-1]):
                x, y = self._pos[L][j]
                self._name_items[k].setPos(x + max(self._radius[L], off) + gap, y)
                k += 1
        for t in self._captions:
            t.setPos(t.pos().x(), self._bbox.bottom() + 6 / s)

    # ---------------------------------------------------------------------------- drawing
    def _clear_dynamic(self) -> None:
        for it in [*self.edge_items, *self.bias_edge_items]:
            it.setData(x=np.empty(0), y=np.empty(0))
        self._sel = [np.empty(0, np.intp)] * (len(self._sizes) - 1)
        self._bsel = [np.empty(0, np.intp)] * (len(self._sizes) - 1)
        self._hl_edge.setData(x=np.empty(0), y=np.empty(0))
        self._hl_node.setData(x=[], y=[])
        self._hl_key = None
        self._hover_text = ""
        self.legend.set_wmax(None)

    def _draw_neurons(self, snap: Snapshot) -> None:
        idx = np.full(len(self._spot_x), N_COLOURS // 2, dtype=np.intp)
        for l in self._spot_layers:
            if l == 0:
                v = snap.x
            else:
                v = snap.a[l - 1] if l - 1 < len(snap.a) else None
            if v is None or np.size(v) != self._sizes[l]:
                continue
            sc = self._scales[l]
            idx[self._spot_slices[l]] = sc.index(np.ravel(v)) + (N_COLOURS if sc is SEQ_SCALE else 0)
        self.neuron_item.setBrushIds(idx, _BRUSH_TABLE)

    def _weights_ok(self, snap: Snapshot) -> bool:
        if len(snap.weights) != len(self._sizes) - 1:
            return False
        for k, (W, b) in enumerate(snap.weights):
            if np.shape(W) != (self._sizes[k], self._sizes[k + 1]) or np.size(b) != self._sizes[k + 1]:
                return False
        return True

    def _draw_edges(self, snap: Snapshot) -> None:
        if not self._weights_ok(snap):
            for it in [*self.edge_items, *self.bias_edge_items]:
                it.setData(x=np.empty(0), y=np.empty(0))
            self._sel = [np.empty(0, np.intp)] * (len(self._sizes) - 1)
            self._bsel = [np.empty(0, np.intp)] * (len(self._sizes) - 1)
            return
        L = len(self._sizes) - 1
        wmax = 0.0
        for W, b in snap.weights:
            if W.size:
                wmax = max(wmax, float(np.nanmax(np.abs(W))))
            if b.size:
                wmax = max(wmax, float(np.nanmax(np.abs(b))))
        if not math.isfinite(wmax) or wmax <= 0:
            wmax = 1.0
        inv = 4.0 / wmax
        bins_w = [[] for _ in range(8)]
        bins_b = [[] for _ in range(8)]
        sel, bsel = [], []
        for k in range(L):
            W, b = snap.weights[k]
            n_out = self._sizes[k + 1]
            flat = np.ravel(W)
            if flat.size > self._max_edges:
                idx = np.argpartition(np.abs(flat), flat.size - self._max_edges)[-self._max_edges:]
            else:
                idx = np.arange(flat.size)
            sel.append(idx)
            self._bin(bins_w, flat[idx], self._pos[k][idx // n_out], self._pos[k + 1][idx % n_out], inv)
            bf = np.ravel(b)
            bidx = (np.arange(bf.size) if bf.size <= self._max_edges
                    else np.argpartition(np.abs(bf), bf.size - self._max_edges)[-self._max_edges:])
            bsel.append(bidx)
            src = np.broadcast_to(self._bias_pos[k], (bidx.size, 2))
            self._bin(bins_b, bf[bidx], src, self._pos[k + 1][bidx], inv)
        self._sel, self._bsel = sel, bsel
        for items, bins in ((self.edge_items, bins_w), (self.bias_edge_items, bins_b)):
            for it, parts in zip(items, bins):
                if parts:
                    x = np.concatenate([p[0] for p in parts])
                    y = np.concatenate([p[1] for p in parts])
                else:
                    x = y = np.empty(0)
                it.setData(x=x, y=y, connect="pairs", skipFiniteCheck=True)
        self.legend.set_wmax(float(f"{wmax:.3g}"))

    def _set_density(self) -> None:
        """Fainter thin edges when many are drawn, so the picture does not turn into a grey mesh."""
        n = sum(min(a * b, self._max_edges) for a, b in zip(self._sizes, self._sizes[1:]))
        dense = n > 600
        if dense != self._dense:
            self._dense = dense
            for dashed, items in ((False, self.edge_items), (True, self.bias_edge_items)):
                for b, it in enumerate(items):
                    it.setPen(self._pens[(dense, dashed, b)])

    @staticmethod
    def _bin(bins, w, src, dst, inv) -> None:
        w = np.where(np.isfinite(w), w, 0.0)  # (np.nan_to_num is slow for small arrays)
        b = np.minimum((np.abs(w) * inv).astype(np.intp), 3) + 4 * (w > 0)
        order = np.argsort(b, kind="stable")
        bs = b[order]
        cuts = np.searchsorted(bs, np.arange(9))
        for k in range(8):
            lo, hi = cuts[k], cuts[k + 1]
            if hi <= lo:
                continue
            o = order[lo:hi]
            x = np.empty(2 * o.size)
            y = np.empty(2 * o.size)
            x[0::2], x[1::2] = src[o, 0], dst[o, 0]
            y[0::2], y[1::2] = src[o, 1], dst[o, 1]
            bins[k].append((x, y))

    def _draw_heatmaps(self, snap: Snapshot) -> None:
        grid = snap.grid
        show = bool(self._heat_capable and self._show_heatmaps and grid is not None
                    and grid.get("units") is not None)
        legend_heat = self.legend.heatmaps
        if show:
            units = grid["units"]
            L = len(self._sizes) - 1
            for l in range(1, L + 1):
                u = units[l - 1] if l - 1 < len(units) else None
                if u is None or np.ndim(u) != 3 or u.shape[0] != self._sizes[l]:
                    for j in range(self._sizes[l]):
                        self.heatmap_items[(l, j)].hide()
                    continue
                rgba = self._scales[l].rgba(u)
                hs = self._heat_side[l]
                for j in range(self._sizes[l]):
                    it = self.heatmap_items[(l, j)]
                    resize = it.image is None or it.image.shape != rgba[j].shape
                    it.setImage(rgba[j], autoLevels=False)
                    it.values = u[j]
                    if resize:
                        x, y = self._pos[l][j]
                        it.setRect(QRectF(x, y - hs / 2, hs, hs))
                    it.show()
        else:
            for it in self.heatmap_items.values():
                it.hide()
        if show != legend_heat:
            self._configure_legend()
            self._fit()

    def _draw_image(self, snap: Snapshot) -> None:
        if self._image_shape is None or snap.x is None or np.size(snap.x) != self._sizes[0]:
            return
        x = np.asarray(snap.x, dtype=float).reshape(self._image_shape)[::-1]
        lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
        if not hi > lo:
            hi = lo + 1.0
        self.input_image_item.setImage(GREY_SCALE.rgba(x, lo, hi), autoLevels=False)

    def _draw_incoming(self) -> None:
        snap, j = self._snap, self._incoming
        if snap is None or j is None or not self._weights_ok(snap):
            return
        col = np.asarray(snap.weights[0][0][:, j], dtype=float)
        m = float(np.nanmax(np.abs(col))) if col.size else 1.0
        m = m if m > 0 and math.isfinite(m) else 1.0
        self.incoming_item.setImage(DIV_SCALE.rgba(col.reshape(self._image_shape)[::-1], -m, m),
                                    autoLevels=False)
        pin = self.tr(" (pinned)") if self._incoming_pinned else ""
        self._incoming_caption.setText(self.tr("weights into %1").replace("%1", self._node_name(1, j)) + pin)
        self._incoming_caption.setToolTip(self.tr(
            "The %1 weights into this neuron, drawn where their pixels are: blue = positive (the pixel "
            "excites the neuron), orange = negative; the strongest is ±%2.\nHover another neuron of the "
            "first hidden layer to see its weights; Ctrl+click a neuron to pin it.")
            .replace("%1", str(col.size)).replace("%2", _fmt(m)))
        for it in (self.incoming_item, self._incoming_frame, self._incoming_caption):
            it.show()

    # ---------------------------------------------------------------------------- names & texts
    def _node_name(self, layer: int, j: int) -> str:
        L = len(self._sizes) - 1
        if layer == 0:
            if self._in_names is not None:
                return str(self._in_names[j])
            if self._image_shape is not None:
                r, c = divmod(j, self._image_shape[1])
                return self.tr("pixel (%1, %2)").replace("%1", str(r)).replace("%2", str(c))
            return f"x{j + 1}"
        if layer == L and self._out_names is not None:
            return f"{self._names[layer]} “{self._out_names[j]}”"
        return self.tr("%1 · neuron %2").replace("%1", self._names[layer]).replace("%2", str(j + 1))

    def _layer_tooltip(self, l: int) -> str:
        if l == 0:
            return self.tr("The input layer: the features of one sample, scaled. It computes nothing.")
        act = self._acts[l - 1]
        return self.tr("Each neuron computes z = Σ w·a + b over the previous layer, then a = %1(z).") \
            .replace("%1", act)

    def _describe(self, key) -> str:
        """Tooltip text for a hit ``key``: ("n", layer, j), ("bias", layer), ("w", k, i, j),
        ("b", k, j), ("heat", layer, j), ("pix", j)."""
        snap = self._snap
        kind = key[0]
        tr = self.tr
        w_ok = snap is not None and self._weights_ok(snap)
        g_ok = w_ok and snap.grads is not None and len(snap.grads) == len(snap.weights) and all(
            np.shape(g[0]) == np.shape(w[0]) and np.shape(g[1]) == np.shape(w[1])
            for g, w in zip(snap.grads, snap.weights))
        if kind in ("n", "heat"):
            l, j = key[1], key[2]
            lines = [self._node_name(l, j)]
            if l == 0:
                if snap is not None and snap.x is not None and np.size(snap.x) == self._sizes[0]:
                    lines.append(tr("x = %1  (this sample's input, scaled)").replace("%1", _fmt(np.ravel(snap.x)[j])))
                return "\n".join(lines)
            act = self._acts[l - 1]
            k = l - 1
            if snap is not None:
                n = self._sizes[l]
                if k < len(snap.z) and np.size(snap.z[k]) == n:
                    lines.append(tr("z = %1  (weighted sum: Σ w·a + b)").replace("%1", _fmt(np.ravel(snap.z[k])[j])))
                if k < len(snap.a) and np.size(snap.a[k]) == n:
                    lines.append(tr("a = %1(z) = %2  (activation, sent on)").replace("%1", act)
                                 .replace("%2", _fmt(np.ravel(snap.a[k])[j])))
                if snap.delta is not None and k < len(snap.delta) and np.size(snap.delta[k]) == n:
                    lines.append(tr("δ = ∂L/∂z = %1  (how the loss changes with z)")
                                 .replace("%1", _fmt(np.ravel(snap.delta[k])[j])))
                if w_ok:
                    lines.append(tr("bias b = %1").replace("%1", _fmt(snap.weights[k][1][j])))
                if snap.target is not None and l == len(self._sizes) - 1 and np.size(snap.target) == n:
                    lines.append(tr("target = %1").replace("%1", _fmt(np.ravel(snap.target)[j])))
            if kind == "heat":
                lines.append(tr("The picture: this neuron's output a over the whole input plane "
                                "(x1 → right, x2 → up)."))
            lines.append(tr("Click to edit the bias."))
            return "\n".join(lines)
        if kind == "pix":
            j = key[1]
            lines = [self._node_name(0, j)]
            if snap is not None and snap.x is not None and np.size(snap.x) == self._sizes[0]:
                lines.append(tr("x = %1  (this sample's pixel, scaled)").replace("%1", _fmt(np.ravel(snap.x)[j])))
            return "\n".join(lines)
        if kind == "inset":
            i = key[1]
            lines = [tr("Weight from %1 to %2").replace("%1", self._node_name(0, i))
                     .replace("%2", self._node_name(1, self._incoming))]
            if w_ok and self._incoming is not None:
                lines.append(f"w = {_fmt(snap.weights[0][0][i, self._incoming])}")
            return "\n".join(lines)
        if kind == "bias":
            return tr("+1 (bias node of %1)\nA constant input of 1. Its weights to the next layer are the "
                      "biases b,\nso every neuron there computes z = Σ w·a + b·1.").replace("%1", self._names[key[1]])
        if kind == "w":
            k, i, j = key[1], key[2], key[3]
            lines = [tr("Weight from %1 to %2").replace("%1", self._node_name(k, i))
                     .replace("%2", self._node_name(k + 1, j)),
                     tr("layer %1 · W[%2, %3]").replace("%1", str(k)).replace("%2", str(i)).replace("%3", str(j))]
            if w_ok:
                lines.append(f"w = {_fmt(snap.weights[k][0][i, j])}")
                if g_ok:
                    lines.append(tr("∂L/∂w = %1  (last batch; training moves w the other way)")
                                 .replace("%1", _fmt(snap.grads[k][0][i, j])))
            lines.append(tr("Click to edit the weight."))
            return "\n".join(lines)
        if kind == "b":
            k, j = key[1], key[2]
            lines = [tr("Bias of %1 (the weight from the +1 node)").replace("%1", self._node_name(k + 1, j)),
                     tr("layer %1 · b[%2]").replace("%1", str(k)).replace("%2", str(j))]
            if w_ok:
                lines.append(f"b = {_fmt(snap.weights[k][1][j])}")
                if g_ok:
                    lines.append(tr("∂L/∂b = %1  (last batch; training moves b the other way)")
                                 .replace("%1", _fmt(snap.grads[k][1][j])))
            lines.append(tr("Click to edit the bias."))
            return "\n".join(lines)
        return ""

    # ---------------------------------------------------------------------------- hit testing
    def _hit(self, scene_pos) -> tuple | None:
        if not self._sizes:
            return None
        px, py = scene_pos.x(), scene_pos.y()  # scene coordinates are data coordinates
        pix = 1.0 / self._scale
        # neurons
        if len(self._spot_x):
            d = np.hypot(self._spot_x - px, self._spot_y - py) / pix
            k = int(np.argmin(d))
            if d[k] <= max(self._spot_px[k] / 2 + 2, 5):
                return ("n", int(self._spot_layer[k]), int(self._spot_index[k]))
        # bias nodes
        bp = np.array(self._bias_pos)
        d = np.max(np.abs(bp - [px, py]), axis=1) / pix
        k = int(np.argmin(d))
        if d[k] <= self._bias_px[k] / 2 + 2:
            return ("bias", k)
        # heatmaps
        for (l, j), it in self.heatmap_items.items():
            if it.isVisible():
                x, y = self._pos[l][j]
                hs = self._heat_side[l]
                if x <= px <= x + hs and abs(py - y) <= hs / 2:
                    return ("heat", l, j)
        # image pixels and the incoming-weights inset
        if self._image_shape is not None:
            h, w = self._image_shape
            for rect, kind in ((self._img_rect, "pix"), (self._inset_rect, "inset")):
                if kind == "inset" and not self.incoming_item.isVisible():
                    continue
                if rect.left() <= px <= rect.right() and rect.top() <= py <= rect.bottom():
                    c = min(int((px - rect.left()) / rect.width() * w), w - 1)
                    r = min(int((rect.bottom() - py) / rect.height() * h), h - 1)
                    return (kind, r * w + c)
        # edges (only the drawn ones)
        segs = self._segments()
        if segs is not None and len(segs[0]):
            kinds, ks, iis, jjs, x0, y0, x1, y1 = segs
            d = _seg_dist(px, py, x0, y0, x1, y1) / pix
            m = int(np.argmin(d))
            if d[m] <= 4.0:
                if kinds[m] == 0:
                    return ("w", int(ks[m]), int(iis[m]), int(jjs[m]))
                return ("b", int(ks[m]), int(jjs[m]))
        return None

    def _segments(self):
        if self._snap is None:
            return None
        if self._hit_cache is not None and self._hit_cache[0] == self._snap_id:
            return self._hit_cache[1]
        parts = []
        for k in range(len(self._sel)):
            n_out = self._sizes[k + 1]
            idx = self._sel[k]
            i, j = idx // n_out, idx % n_out
            a, b = self._pos[k][i], self._pos[k + 1][j]
            parts.append((np.zeros(idx.size, np.int8), np.full(idx.size, k), i, j,
                          a[:, 0], a[:, 1], b[:, 0], b[:, 1]))
            bj = self._bsel[k]
            a = np.broadcast_to(self._bias_pos[k], (bj.size, 2))
            b = self._pos[k + 1][bj]
            parts.append((np.ones(bj.size, np.int8), np.full(bj.size, k), np.zeros(bj.size, np.intp), bj,
                          a[:, 0], a[:, 1], b[:, 0], b[:, 1]))
        segs = tuple(np.concatenate([p[c] for p in parts]) if parts else np.empty(0) for c in range(8))
        self._hit_cache = (self._snap_id, segs)
        return segs

    def _highlight(self, key) -> None:
        if key is None:
            self._hl_edge.setData(x=np.empty(0), y=np.empty(0))
            self._hl_node.setData(x=[], y=[])
            return
        kind = key[0]
        if kind in ("w", "b"):
            k = key[1]
            a = self._pos[k][key[2]] if kind == "w" else self._bias_pos[k]
            b = self._pos[k + 1][key[-1]]
            self._hl_edge.setData(x=np.array([a[0], b[0]]), y=np.array([a[1], b[1]]), connect="pairs")
            self._hl_node.setData(x=[], y=[])
        elif kind in ("n", "heat"):
            l, j = key[1], key[2]
            x, y = self._pos[l][j]
            s = self._spot_px[self._spot_slices[l].start + j] if l in self._spot_slices else 10
            self._hl_node.setData(x=[x], y=[y], size=s + 6)
            self._hl_edge.setData(x=np.empty(0), y=np.empty(0))
        else:
            self._hl_edge.setData(x=np.empty(0), y=np.empty(0))
            self._hl_node.setData(x=[], y=[])

    # mouse (called by the view)
    def _mouse_moved(self, scene_pos) -> None:
        self._move_pos = scene_pos
        if not self._move_timer.isActive():
            self._move_timer.start()

    def _mouse_left(self) -> None:
        self._move_pos = None
        self._move_timer.stop()
        self._set_hover(None, None)

    def _tooltip_at(self, scene_pos) -> str:
        """What the tooltip says at ``scene_pos``: a caption's explanation, else the hover text."""
        vp = self.view.mapFromScene(scene_pos)
        for t in getattr(self, "_captions", []):
            if t.toolTip() and self.item_view_rect(t).contains(QPointF(vp)):
                return t.toolTip()
        if self._incoming_caption.isVisible() and self.item_view_rect(self._incoming_caption).contains(QPointF(vp)):
            return self._incoming_caption.toolTip()
        key = self._hit(scene_pos)
        return self._describe(key) if key is not None else ""

    def _process_move(self) -> None:
        if self._move_pos is not None:
            self._on_mouse_moved(self._move_pos)

    def _on_mouse_moved(self, scene_pos) -> None:
        key = self._hit(scene_pos)
        if key is not None and key[0] == "n" and key[1] == 1 and self._image_shape is not None \
                and not self._incoming_pinned and self._incoming != key[2]:
            self.set_show_incoming(0, key[2], pinned=False)
        self._set_hover(key, scene_pos)

    def _set_hover(self, key, scene_pos) -> None:
        if key == self._hl_key:
            return
        self._hl_key = key
        self._highlight(key)
        self._hover_text = self._describe(key) if key is not None else ""
        # Qt asks for the tooltip after the usual hover delay (see _Scene.helpEvent); one
        # already open follows along
        vp = self.view.viewport()
        if QToolTip.isVisible():
            if self._hover_text and scene_pos is not None:
                QToolTip.showText(vp.mapToGlobal(self.view.mapFromScene(scene_pos)), self._hover_text, vp)
            else:
                QToolTip.hideText()

    def _clicked(self, scene_pos, button, modifiers) -> None:
        if button != Qt.MouseButton.LeftButton:
            return
        key = self._hit(scene_pos)
        if key is None:
            return
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        if ctrl and self._image_shape is not None and key[0] == "n" and key[1] == 1:
            if self._incoming_pinned and self._incoming == key[2]:
                self.set_show_incoming(0, key[2], pinned=False)
            else:
                self.set_show_incoming(0, key[2], pinned=True)
            return
        pos = self.view.viewport().mapTo(self, self.view.mapFromScene(scene_pos))
        kind = key[0]
        if kind in ("n", "heat") and key[1] > 0:
            self.request_edit("b", key[1] - 1, (key[2],), pos)
        elif kind == "w":
            self.request_edit("W", key[1], (key[2], key[3]), pos)
        elif kind == "b":
            self.request_edit("b", key[1], (key[2],), pos)
        elif kind == "inset":
            self.request_edit("W", 0, (key[1], self._incoming), pos)

    def _on_edit_accepted(self, value: float) -> None:
        if self._pending_edit is None:
            return
        layer, name, index = self._pending_edit
        self._pending_edit = None
        self.paramEditRequested.emit(layer, name, index, float(value))
