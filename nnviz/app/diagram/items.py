"""The diagram's scene items: stock Qt items set up from Python and painted by Qt's C++ alone.

No class here overrides ``paint``, ``boundingRect`` or any other painting virtual: Qt then
paints the diagram without holding Python's GIL, on the second core, while training runs on
the first (a view that paints through Python stops training for the whole frame).
"""
from __future__ import annotations

import struct

import numpy as np
from PySide6.QtCore import QByteArray, QDataStream, QRectF, Qt
from PySide6.QtGui import QBrush, QFont, QImage, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem, QGraphicsPixmapItem, \
    QGraphicsRectItem, QGraphicsTextItem

from nnviz.app import theme
from nnviz.app.diagram import colours

IGNORE_TRANSFORMS = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
_RGBA8888 = QImage.Format.Format_RGBA8888


def cosmetic_pen(colour, width: float, dashed: bool = False) -> QPen:
    """A pen ``width`` pixels wide whatever the zoom."""
    pen = QPen(theme.qcolor(colour), width)
    pen.setCosmetic(True)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    return pen


def qrect(box) -> QRectF:
    """A :class:`~nnviz.app.diagram.layout.Box` as a ``QRectF`` (its ``top()`` is the box's bottom)."""
    return QRectF(box.left, box.bottom, box.width, box.height)


_ELEMENT = np.dtype([("c", ">i4"), ("x", ">f8"), ("y", ">f8")])   # QPainterPath's stream format
_MOVE_LINE = np.tile(np.array([0, 1], ">i4"), 1024)
_TAIL = struct.pack(">ii", 0, 0)


def pairs_path(x: np.ndarray, y: np.ndarray) -> QPainterPath:
    """``pg.arrayToQPath(x, y, connect="pairs", finiteCheck=False)`` with fewer steps: a path
    moving to every even point and drawing a line to the next one, read from Qt's stream format."""
    global _MOVE_LINE
    n = len(x)
    path = QPainterPath()
    if n:
        if n > len(_MOVE_LINE):
            _MOVE_LINE = np.tile(np.array([0, 1], ">i4"), n)
        e = np.empty(n, dtype=_ELEMENT)
        e["c"], e["x"], e["y"] = _MOVE_LINE[:n], x, y
        QDataStream(QByteArray(struct.pack(">i", n) + e.tobytes() + _TAIL)) >> path
    return path


class EdgeBatch(QGraphicsPathItem):
    """Many line segments drawn with one pen, as one path."""

    def __init__(self, pen: QPen):
        super().__init__()
        self.setPen(pen)
        self.n_segments = 0
        self._xy = (np.empty(0), np.empty(0))
        self.setVisible(False)

    def set_segments(self, x: np.ndarray, y: np.ndarray) -> None:
        """Segments whose end points are ``(x[0], y[0])-(x[1], y[1])``, ``(x[2], y[2])-(x[3], y[3])``, …
        (the same segments as now cost nothing: a slowly changing network keeps most of its bins)."""
        if len(x) == len(self._xy[0]) and np.array_equal(x, self._xy[0]) and np.array_equal(y, self._xy[1]):
            return
        self._xy = (np.array(x, float), np.array(y, float))
        self.n_segments = len(x) // 2
        self.setPath(pairs_path(*self._xy))
        self.setVisible(bool(len(x)))  # (an empty path still leaves a dot in an SVG export)

    def set_pairs(self, x: np.ndarray, y: np.ndarray) -> None:
        """:meth:`set_segments` without comparing with what is shown (the caller knows it changed;
        ``x`` and ``y`` are kept, not copied)."""
        self._xy = (x, y)
        self.n_segments = len(x) // 2
        self.setPath(pairs_path(x, y))
        self.setVisible(bool(len(x)))

    def clear(self) -> None:
        self.set_segments(np.empty(0), np.empty(0))


class Dots:
    """Circles (or squares) of a size in pixels at data positions: one plain Qt item each, which
    keeps its size when the view zooms.

    Not an item itself: it adds its items to a scene and updates only the brushes that changed."""

    def __init__(self, scene, square: bool = False, z: float = 20, pen: QPen | None = None,
                 brush: QBrush | None = None):
        self._scene = scene
        self._square = square
        self._z = z
        self._pen = pen if pen is not None else QPen(Qt.PenStyle.NoPen)
        self._brush = brush if brush is not None else QBrush(Qt.BrushStyle.NoBrush)
        self.items: list = []
        self._ids: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.items)

    def place(self, xy, size=10.0) -> None:
        """One dot at every row of ``xy`` ((n, 2) data positions), ``size`` pixels wide
        (one size, or one per dot), all with the default brush."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        while len(self.items) > len(xy):
            self._scene.removeItem(self.items.pop())
        while len(self.items) < len(xy):
            it = QGraphicsRectItem() if self._square else QGraphicsEllipseItem()
            it.setFlag(IGNORE_TRANSFORMS, True)
            it.setPen(self._pen)
            it.setZValue(self._z)
            self._scene.addItem(it)
            self.items.append(it)
        for it, (x, y) in zip(self.items, xy):
            it.setPos(float(x), float(y))
            it.setBrush(self._brush)
        self._ids = None
        self.set_sizes(size)

    def set_sizes(self, size) -> None:
        for it, s in zip(self.items, np.broadcast_to(np.asarray(size, dtype=float), (len(self.items),))):
            r = float(s) / 2
            it.setRect(QRectF(-r, -r, 2 * r, 2 * r))

    def set_brush_ids(self, ids: np.ndarray, table) -> None:
        """Brushes ``table[ids]``, touching only the dots whose brush changed."""
        ids = np.asarray(ids)
        if self._ids is None or self._ids.shape != ids.shape:
            changed = np.arange(len(ids))
        else:
            changed = np.flatnonzero(ids != self._ids)
        self._ids = ids.copy()
        items = self.items
        for k, i in zip(changed.tolist(), ids[changed].tolist()):
            items[k].setBrush(table[i])


class HeatImage(QGraphicsPixmapItem):
    """A pre-coloured RGBA picture stretched over a data rectangle (a neuron's heatmap, the input
    image, a neuron's incoming weights); row 0 of the image is drawn at the rectangle's lowest y.

    ``image`` keeps the RGBA array shown and ``values`` the numbers behind it."""

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

    def set_image(self, rgba: np.ndarray, values=None) -> None:
        img = np.ascontiguousarray(rgba, dtype=np.uint8)
        self.image, self.values = img, values
        self.show_rgba(img)

    def show_rgba(self, img: np.ndarray) -> None:
        """Show ``img`` ((h, w, 4) uint8, C-contiguous) without keeping it."""
        h, w = img.shape[:2]
        self.setPixmap(QPixmap.fromImage(QImage(img.data, w, h, 4 * w, _RGBA8888)))  # a copy, in the screen's format
        if (w, h) != self._wh:
            self._wh = (w, h)
            self._place()

    def show_qimage(self, qimg: QImage, w: int, h: int) -> None:
        """Show ``qimg`` (``w`` × ``h``) as it is now (a copy is taken)."""
        self.setPixmap(QPixmap.fromImage(qimg))
        if (w, h) != self._wh:
            self._wh = (w, h)
            self._place()

    def set_rect(self, rect: QRectF) -> None:
        self._rect = QRectF(rect)
        self._place()

    def set_border(self, pen: QPen | None) -> None:
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


class Label(QGraphicsTextItem):
    """Text of a fixed size in pixels at a data position, aligned by ``anchor`` ((0, 0): its
    top-left corner at the position, (0.5, 1): centred above it); rasterised once and cached."""

    def __init__(self, anchor=(0.0, 0.0), size: float = 9.0, bold: bool = False, color=theme.TEXT):
        super().__init__()
        self._anchor = (float(anchor[0]), float(anchor[1]))
        f = QFont()
        f.setPointSizeF(size)
        f.setBold(bold)
        self.setFont(f)
        self.setDefaultTextColor(theme.qcolor(color))
        self.setFlag(IGNORE_TRANSFORMS, True)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_html(self, html: str) -> None:
        self.setTextWidth(-1)
        self.setHtml(html)
        self.setTextWidth(self.document().idealWidth())  # lets "text-align: center" work
        self._reanchor()

    def set_text(self, text: str) -> None:
        self.setTextWidth(-1)
        self.setPlainText(text)
        self._reanchor()

    def _reanchor(self) -> None:
        r = self.boundingRect()
        self.setTransform(QTransform.fromTranslate(-self._anchor[0] * r.width(), -self._anchor[1] * r.height()))


class ImageInput:
    """An image input: the sample's picture (its pixels are the input units) in a frame, and
    under it, when asked, the incoming weights of one neuron of layer 0 drawn where their pixels
    are, with a caption."""

    def __init__(self, scene):
        frame_pen = cosmetic_pen((90, 90, 90), 1.0)
        self._sample = None
        self.picture = HeatImage()
        self.picture.setZValue(10)
        self.frame = QGraphicsRectItem()
        self.frame.setPen(frame_pen)
        self.frame.setZValue(11)
        self.weights = HeatImage()
        self.weights.setZValue(12)
        self.weights_frame = QGraphicsRectItem()
        self.weights_frame.setPen(frame_pen)
        self.weights_frame.setBrush(QBrush(theme.qcolor(theme.BACKGROUND)))
        self.weights_frame.setZValue(11)
        self.caption = Label(anchor=(0.5, 0.0), size=8.5)
        self.caption.setZValue(30)
        for it in (self.picture, self.frame, self.weights, self.weights_frame, self.caption):
            scene.addItem(it)
            it.hide()

    def place(self, layout) -> None:
        """Put the pictures where ``layout`` has them (hidden without an image input)."""
        img = layout.image_shape is not None
        self.picture.setVisible(img)
        self.frame.setVisible(img)
        self.show_weights(False)
        self._sample = None
        if img:
            h, w = layout.image_shape
            self.picture.set_image(theme.GREY.rgba(np.zeros((h, w))))
            self.picture.set_rect(qrect(layout.image_box))
            self.frame.setRect(qrect(layout.image_box))
            self.weights.set_image(theme.DIVERGING.rgba(np.zeros((h, w))))
            self.weights.set_rect(qrect(layout.inset_box))
            self.weights_frame.setRect(qrect(layout.inset_box))
            self.caption.setPos((layout.inset_box.left + layout.inset_box.right) / 2, layout.inset_box.bottom)

    def set_sample(self, x: np.ndarray) -> None:
        """The sample (h, w), grey from its smallest (black) to its largest value (white)."""
        if self._sample is not None and self._sample.shape == x.shape and np.array_equal(self._sample, x):
            self.picture.values = x
            return   # the same sample as the last frame: the same picture
        self._sample = np.array(x)
        lo, hi = float(np.nanmin(x)), float(np.nanmax(x))
        self.picture.set_image(colours.rgba(theme.GREY, x[::-1], lo, hi if hi > lo else lo + 1.0), x)

    def set_weights(self, w: np.ndarray) -> float:
        """Show the weights (h, w) on a symmetric diverging scale; returns its end ``max |w|``."""
        m = float(np.nanmax(np.abs(w))) if w.size else 1.0
        m = m if m > 0 and np.isfinite(m) else 1.0
        self.weights.set_image(colours.rgba(theme.DIVERGING, w[::-1], -m, m), w)
        self.show_weights(True)
        return m

    def set_caption(self, text: str, tooltip: str) -> None:
        self.caption.set_text(text)
        self.caption.setToolTip(tooltip)

    def show_weights(self, on: bool) -> None:
        for it in (self.weights, self.weights_frame, self.caption):
            it.setVisible(on)

    def weights_shown(self) -> bool:
        return self.weights.isVisible()
