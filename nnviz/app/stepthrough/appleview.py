"""The apple computational graph, stepped node by node: values forward (above each edge) and
gradients backward (below it), drawn with stock QGraphicsItems."""
from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QGraphicsEllipseItem, QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView,
                               QLabel, QVBoxLayout, QWidget)

from nnviz.app.stepthrough.session import StepSession
from nnviz.app.translation import retranslate
from nnviz.i18n import N_, _
from nnviz.lessons.demos.apple import apple_steps
from nnviz.lessons.fmt import num

# Where things sit: value names enter an operation node along an edge.
NODES = {"mul1": (260, 90, "×"), "mul2": (520, 170, "×")}
EDGES = {"apple": ((40, 40), "mul1"), "count": ((40, 150), "mul1"), "apple_price": ("mul1", "mul2"),
         "tax": ((260, 250), "mul2"), "price": ("mul2", (720, 170))}
LABELS = {"apple": N_("apple"), "count": N_("count"), "tax": N_("tax"), "apple_price": N_("apple price"),
          "price": N_("price")}
OWNER = {"apple_price": "mul1", "price": "mul2"}
FORWARD, BACKWARD, IDLE, ACTIVE = QColor(0, 120, 60), QColor(200, 30, 30), QColor(120, 120, 120), QColor(255, 214, 102)
R = 26


def _point(p):
    return QPointF(*NODES[p][:2]) if isinstance(p, str) else QPointF(*p)


class AppleGraphView(QWidget):
    """Shows :func:`nnviz.lessons.demos.apple.apple_steps` through a :class:`StepSession`."""

    def __init__(self, session: StepSession, parent=None):
        super().__init__(parent)
        self.session = session
        lay = QVBoxLayout(self)
        self.scene = QGraphicsScene(self)
        self.view = QGraphicsView(self.scene)
        self.view.setRenderHint(QPainter.Antialiasing)
        self.view.setBackgroundBrush(QBrush(Qt.white))
        self.formula = QLabel()
        self.filled = QLabel()
        f = self.filled.font()
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.filled.setFont(f)
        for w in (self.formula, self.filled):
            w.setWordWrap(True)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.formula)
        lay.addWidget(self.filled)
        self._build()
        session.phaseChanged.connect(self.show_step)
        self._session = session
        session.stepsChanged.connect(self._on_steps)   # a method: disconnected when the view dies
        if not len(session):
            session.set_source(apple_steps)
        retranslate(self)

    def _on_steps(self) -> None:
        self.show_step(self._session.index)

    def retranslate_ui(self) -> None:
        for (name, _pos), item in self.labels.items():
            self._set(item, _(LABELS[name]))
        self._set(self.key_text, _("green: value (forward)   red: ∂price/∂value (backward)"))
        self.show_step(self.session.index)

    def _text(self, text, pos, colour=Qt.black, size=1.0, bold=False):
        t = QGraphicsSimpleTextItem(text)
        f = QFont(self.font())
        f.setPointSizeF(f.pointSizeF() * size)
        f.setBold(bold)
        t.setFont(f)
        t.setBrush(QBrush(colour))
        r = t.boundingRect()
        t.setPos(pos.x() - r.width() / 2, pos.y() - r.height() / 2)
        self.scene.addItem(t)
        return t

    def _build(self):
        self.edges, self.value_text, self.grad_text, self.circles, self.labels = {}, {}, {}, {}, {}
        for name, (a, b) in EDGES.items():
            pa, pb = _point(a), _point(b)
            line = QLineF(pa, pb)
            if isinstance(a, str):
                line.setP1(line.pointAt(R / line.length()))
            if isinstance(b, str):
                line.setP2(line.pointAt(1 - R / line.length()))
            self.edges[name] = self.scene.addLine(line, QPen(IDLE, 2))
            mid = line.pointAt(0.5)
            if not isinstance(a, str):   # an input's name (centred where it was put; retranslated)
                self.labels[(name, "a")] = self._text("", pa + QPointF(0, -16), bold=True)
            if not isinstance(b, str):
                self.labels[(name, "b")] = self._text("", pb + QPointF(30, -16), bold=True)
            # value above the edge, gradient below it, both off the line along its normal
            nx, ny = -(line.dy()), line.dx()
            norm = max((nx * nx + ny * ny) ** 0.5, 1e-9)
            nx, ny = nx / norm, ny / norm
            if ny > 0:
                nx, ny = -nx, -ny
            up = QPointF(nx, ny) * 18
            self.value_text[name] = self._text("", mid + up, FORWARD, 1.15, True)
            self.grad_text[name] = self._text("", mid - up, BACKWARD, 1.15, True)
        for key, (x, y, op) in NODES.items():
            c = QGraphicsEllipseItem(x - R, y - R, 2 * R, 2 * R)
            c.setPen(QPen(Qt.black, 2))
            c.setBrush(QBrush(Qt.white))
            self.scene.addItem(c)
            self.circles[key] = c
            self._text(op, QPointF(x, y), size=1.6, bold=True)
        self.key_text = self._text("", QPointF(380, 300), IDLE)

    def _set(self, item, text):
        item.setText(text)
        r = item.boundingRect()
        centre = item.data(0) or item.pos() + QPointF(r.width() / 2, r.height() / 2)
        item.setData(0, centre)
        item.setPos(centre.x() - r.width() / 2, centre.y() - r.height() / 2)

    def show_step(self, index: int) -> None:
        if not self.session.steps:
            return
        s = self.session.steps[min(index, len(self.session.steps) - 1)]
        if s.phase == "forward":   # the inputs and the result of the node just evaluated
            lit_names = {n for e in s.edges for n in e}
        else:                      # the inputs that just received their gradient
            lit_names = {e[1] for e in s.edges} or ({s.node} if s.grads else set())
        for name in EDGES:
            v, g = s.values.get(name), s.grads.get(name)
            self._set(self.value_text[name], "" if v is None else num(v))
            self._set(self.grad_text[name], "" if g is None else num(g))
            lit = name in lit_names
            colour = (BACKWARD if s.phase == "backward" else FORWARD) if lit else IDLE
            self.edges[name].setPen(QPen(colour, 4 if lit else 2))
        for key, c in self.circles.items():
            c.setBrush(QBrush(ACTIVE if OWNER.get(s.node) == key else Qt.white))
        self.value_text["price"].setToolTip(repr(s.values["price"]) if "price" in s.values else "")
        self.formula.setText(s.formula)
        self.filled.setText(s.filled)
        self.view.fitInView(self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20), Qt.KeepAspectRatio)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.view.fitInView(self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20), Qt.KeepAspectRatio)
