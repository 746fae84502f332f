"""The square a learner draws a digit on: round anti-aliased brush, eraser, undo, clear.

Strokes are kept as point lists in *canvas units* (a fixed ``SIDE × SIDE`` square, whatever
the widget's size on screen), so the picture handed to the network never depends on the
window's size or the screen's pixel ratio. On screen the strokes are painted as vector paths,
crisp on HiDPI; :meth:`DrawingCanvas.ink` renders them into a grey image for the network.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.app.translation import retranslate
from nnviz.i18n import _

SIDE = 280          #: the canvas's own coordinates: 0..SIDE in both directions
DEFAULT_WIDTH = 22  #: brush diameter in canvas units (MNIST strokes are ~1/8 of the digit)
#: the smallest side on screen (the strokes scale with the widget; a short dock still fits it)
MIN_SIDE = 150


@dataclass
class Stroke:
    """One press-move-release: its points (canvas units), brush width and whether it erases."""

    points: list[tuple[float, float]] = field(default_factory=list)
    width: float = DEFAULT_WIDTH
    erase: bool = False


class DrawingCanvas(QWidget):
    """Left button draws, right button erases, Ctrl+Z undoes a stroke, Esc clears.

    Signals: ``changed`` after every change of the picture (while drawing too, once per mouse
    move), ``stroke_finished`` when a button is released.
    """

    changed = Signal()
    stroke_finished = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._strokes: list[Stroke] = []   # the picture, oldest first
        self._background: np.ndarray | None = None  # a loaded 28×28 digit, under the strokes
        self._history: list[tuple] = []    # undo steps: ("stroke",) or ("clear", strokes, bg) ...
        self._active: Stroke | None = None
        self.brush_width = float(DEFAULT_WIDTH)
        self.setMinimumSize(MIN_SIDE, MIN_SIDE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.setToolTip(_("Draw a digit with the left mouse button; the right button erases. "
                          "Ctrl+Z undoes a stroke, Esc clears."))
        self.update()  # (the blank canvas's invitation)

    # -- state -------------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(SIDE + 40, SIDE + 40)

    def is_blank(self) -> bool:
        """True when nothing would be drawn (no strokes with ink, no loaded digit)."""
        return self._background is None and not any(not s.erase for s in self._strokes)

    @property
    def strokes(self) -> list[Stroke]:
        return list(self._strokes)

    def set_brush_width(self, width: float) -> None:
        self.brush_width = float(max(1.0, min(80.0, width)))

    def clear(self) -> None:
        """Remove everything (undoable)."""
        if not self._strokes and self._background is None:
            return
        self._history.append(("clear", self._strokes, self._background))
        self._strokes, self._background, self._active = [], None, None
        self._changed()

    def undo(self) -> None:
        """Undo the last stroke, clear or loaded digit."""
        if self._active is not None or not self._history:
            return
        step = self._history.pop()
        if step[0] == "stroke":
            self._strokes.pop()
        elif step[0] == "clear":
            self._strokes, self._background = step[1], step[2]
        elif step[0] == "load":
            self._strokes, self._background = step[1], step[2]
        self._changed()

    def load_digit(self, image28: np.ndarray) -> None:
        """Show a 28×28 digit (0..255, ink bright) on the canvas instead of the drawing
        (undoable); strokes drawn afterwards go on top of it."""
        img = np.asarray(image28, dtype=np.float32).reshape(28, 28)
        self._history.append(("load", self._strokes, self._background))
        self._strokes, self._background, self._active = [], img, None
        self._changed()

    def _changed(self) -> None:
        self.update()
        self.changed.emit()

    # -- coordinates -------------------------------------------------------------------------
    def _square(self) -> QRectF:
        """The drawing square in widget coordinates (centred, as large as fits)."""
        side = min(self.width(), self.height())
        return QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)

    def to_canvas(self, pos: QPointF) -> tuple[float, float]:
        sq = self._square()
        k = SIDE / sq.width()
        return ((pos.x() - sq.left()) * k, (pos.y() - sq.top()) * k)

    def from_canvas(self, x: float, y: float) -> QPointF:
        sq = self._square()
        k = sq.width() / SIDE
        return QPointF(sq.left() + x * k, sq.top() + y * k)

    # -- mouse and keys ----------------------------------------------------------------------
    def mousePressEvent(self, ev) -> None:
        button = ev.button()
        if button not in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton) or self._active:
            return
        self._active = Stroke([self.to_canvas(ev.position())], self.brush_width,
                              erase=button == Qt.MouseButton.RightButton)
        self._strokes.append(self._active)
        self._history.append(("stroke",))
        self._changed()

    def mouseMoveEvent(self, ev) -> None:
        if self._active is None:
            return
        p = self.to_canvas(ev.position())
        last = self._active.points[-1]
        if abs(p[0] - last[0]) + abs(p[1] - last[1]) < 0.5:
            return
        self._active.points.append(p)
        # repaint only around the new segment: a long stroke is not rasterised again per move
        a, b = self.from_canvas(*last), self.from_canvas(*p)
        pad = self._active.width * self._square().width() / SIDE / 2 + 2
        self.update(QRectF(a, b).normalized().adjusted(-pad, -pad, pad, pad).toAlignedRect())
        self.changed.emit()

    def mouseReleaseEvent(self, ev) -> None:
        if self._active is None:
            return
        self._active = None
        self.stroke_finished.emit()

    def keyPressEvent(self, ev) -> None:
        # (a panel around the canvas may catch these first with shortcuts of its own)
        if ev.key() == Qt.Key.Key_Escape:
            self.clear()
        elif ev.matches(QKeySequence.StandardKey.Undo):
            self.undo()
        else:
            super().keyPressEvent(ev)

    # -- painting ----------------------------------------------------------------------------
    @staticmethod
    def _path(stroke: Stroke) -> QPainterPath:
        path = QPainterPath(QPointF(*stroke.points[0]))
        if len(stroke.points) == 1:  # a dot: a zero-length line with round caps
            path.lineTo(QPointF(*stroke.points[0]))
        for p in stroke.points[1:]:
            path.lineTo(QPointF(*p))
        return path

    def _paint_strokes(self, p: QPainter, ink: QColor, paper: QColor) -> None:
        """Paint the picture in canvas units onto ``p`` (transform already set)."""
        if self._background is not None:
            p.save()
            p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            p.drawImage(QRectF(0, 0, SIDE, SIDE), _digit_image(self._background, ink, paper))
            p.restore()
        for s in self._strokes:
            pen = QPen(paper if s.erase else ink, s.width, Qt.PenStyle.SolidLine,
                       Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
            p.setPen(pen)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(self._path(s))

    def paintEvent(self, ev) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pal = self.palette()
        p.fillRect(self.rect(), pal.window())
        sq = self._square()
        paper, ink = QColor("#ffffff"), QColor("#111111")
        p.fillRect(sq, paper)
        p.save()
        p.setClipRect(sq)
        p.translate(sq.topLeft())
        p.scale(sq.width() / SIDE, sq.width() / SIDE)
        self._paint_strokes(p, ink, paper)
        p.restore()
        p.setPen(QPen(pal.mid().color(), 1))
        p.drawRect(sq.adjusted(0, 0, -1, -1))
        if self.is_blank():
            p.setPen(pal.placeholderText().color())
            p.drawText(sq, Qt.AlignmentFlag.AlignCenter, _("Draw a digit here"))
        p.end()

    def ink(self) -> np.ndarray:
        """The picture as float32 (SIDE, SIDE) grey values, ink 255 on a 0 background."""
        img = QImage(SIDE, SIDE, QImage.Format.Format_Grayscale8)
        img.fill(0)
        if not self.is_blank():
            p = QPainter(img)
            p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self._paint_strokes(p, QColor(255, 255, 255), QColor(0, 0, 0))
            p.end()
        buf = np.frombuffer(img.constBits(), dtype=np.uint8, count=img.bytesPerLine() * SIDE)
        return buf.reshape(SIDE, img.bytesPerLine())[:, :SIDE].astype(np.float32)


def _digit_image(img28: np.ndarray, ink: QColor, paper: QColor) -> QImage:
    """A 28×28 ink-bright digit as an RGB image in the given ink and paper colours."""
    t = np.clip(img28 / 255.0, 0, 1)[..., None]
    a = np.array([paper.red(), paper.green(), paper.blue()], np.float32)
    b = np.array([ink.red(), ink.green(), ink.blue()], np.float32)
    rgb = np.ascontiguousarray(np.rint(a + (b - a) * t).astype(np.uint8))
    return QImage(rgb.data, 28, 28, 28 * 3, QImage.Format.Format_RGB888).copy()
