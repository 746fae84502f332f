"""The strip under the network diagram that explains its colours and line styles."""
from __future__ import annotations

import math
import time

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QLinearGradient, QPainter, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from nnviz.app import theme
from nnviz.app.diagram.editor import fmt_number
from nnviz.app.diagram.scene import EDGE_WIDTHS
from nnviz.app.translation import retranslate
from nnviz.i18n import N_, _

#: What the edges, the bias edges and the neurons show in each phase of a traced step
#: (None: the live display); the legend names it (``∂L/∂w``, not "weight w", while the edges show it).
PHASE_TERMS = {
    None: (N_("weight w:"), N_("width ∝ |w|"), N_("bias b (weight of the +1 input)"), None),
    "forward": (N_("weight w:"), N_("width ∝ |w|"), N_("bias b (weight of the +1 input)"), None),
    "loss": (N_("gradient ∂L/∂w:"), N_("width ∝ |∂L/∂w|"), N_("gradient ∂L/∂b (of the +1 input's weight)"),
             N_("error δ = ∂L/∂z:")),
    "backward": (N_("gradient ∂L/∂w:"), N_("width ∝ |∂L/∂w|"), N_("gradient ∂L/∂b (of the +1 input's weight)"),
                 N_("error δ = ∂L/∂z:")),
    "update": (N_("change w′ − w:"), N_("width ∝ |w′ − w|"), N_("change b′ − b (of the +1 input's weight)"),
               N_("error δ = ∂L/∂z:")),
}


class Legend(QWidget):
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
        self._acts: list = []
        self._plain_inputs = False
        self.phase: str | None = None
        self.has_bias = True
        self.heatmaps = False
        self.wmax = None
        self._wmax_t = 0.0
        self._height = 0.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, theme.qcolor(theme.BACKGROUND))
        self.setPalette(pal)
        self._set_height(self._fm.height() + 2 * self.PAD)
        retranslate(self)

    def retranslate_ui(self) -> None:
        """The tooltip and every text of the strip in the current language."""
        self._set_labels()
        self._set_tooltip()
        self._relayout()
        self.update()

    def _set_tooltip(self) -> None:
        if self.phase in ("loss", "backward", "update"):
            edges = (_("Edge colour = sign of the weight's change w′ − w, edge width = its size.")
                     if self.phase == "update" else
                     _("Edge colour = sign of the gradient ∂L/∂w, edge width = its size: training moves "
                       "each weight the other way."))
            self.setToolTip(_("Neuron colour = its error δ = ∂L/∂z for the first sample, scaled to the largest. "
                              "Orange = negative, white = 0, blue = positive.") + "\n" + edges + " "
                            + _("Dashed edges: the same for the biases (the weights of the constant +1 input)."))
            return
        self.setToolTip(_(
            "Neuron colour = its activation a for the shown sample. Orange = negative, white = 0, "
            "blue = positive (ReLU values above 1 are drawn as 1).\nEdge colour = sign of the weight, "
            "edge width = its size |w|. Dashed edges are biases: weights from the constant +1 input."))

    def set_phase(self, phase: str | None) -> None:
        """Name what the diagram shows in step phase ``phase`` (None: the live display)."""
        phase = phase if phase in PHASE_TERMS else None
        if phase != self.phase:
            self.phase = phase
            self._set_tooltip()
            self._relayout()
            self.update()

    def show_network(self, activations, plain_inputs: bool, heatmaps: bool) -> None:
        """Explain the colours of a network with these activations (``plain_inputs``: its inputs
        are circles on the diverging scale, not an image; ``heatmaps``: pictures are shown)."""
        self._acts, self._plain_inputs = list(dict.fromkeys(activations)), bool(plain_inputs)
        self.has_bias, self.heatmaps = True, heatmaps
        self._set_labels()
        self._relayout()
        self.update()

    def _set_labels(self) -> None:
        if not self._acts:
            return
        div = [a for a in self._acts if theme.scale_for(a) is theme.DIVERGING]
        seq = [a for a in self._acts if theme.scale_for(a) is theme.SEQUENTIAL]
        if self._plain_inputs:
            div = [_("inputs")] + div
        self.div_label, self.seq_label = ", ".join(div), ", ".join(seq)

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
        edges, widths, bias, neurons = PHASE_TERMS[self.phase]
        ch = []
        if neurons is not None:
            ch.append([("text", _(neurons)), ("text", "−"), ("bar", theme.DIVERGING), ("text", "+")])
        else:
            if self.div_label:
                ch.append([("text", _("activation a ({names}):").format(names=self.div_label)),
                           ("text", "−1"), ("bar", theme.DIVERGING), ("text", "+1")])
            if self.seq_label:
                ch.append([("text", _("activation a ({names}):").format(names=self.seq_label)),
                           ("text", "0"), ("bar", theme.SEQUENTIAL), ("text", "1")])
        ch.append([("text", _(edges)), ("line", theme.NEGATIVE, 2.5, False), ("text", _("negative")),
                   ("line", theme.POSITIVE, 2.5, False), ("text", _("positive"))])
        wtxt = _(widths)
        if self.wmax is not None:
            more = _("{widths} (thickest ≈ {value})")
            # a fixed width for the number, so the rows do not jump from frame to frame
            wtxt = ("text", more.format(widths=wtxt, value=fmt_number(self.wmax)),
                    more.format(widths=wtxt, value="-0.0000"))
        else:
            wtxt = ("text", wtxt)
        ch.append([("widths",), wtxt])
        if self.has_bias:
            ch.append([("bias",), ("line", (110, 110, 110), 1.5, True), ("text", _(bias))])
        if self.heatmaps and self.phase is None:
            ch.append([("heat",), ("text", _("neuron output over the input plane"))])
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
            self.paint_on(p)
        finally:
            p.end()

    def paint_on(self, p: QPainter) -> None:
        """Paint the legend with ``p`` (its own paint, or an export's)."""
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
            p.setPen(theme.qcolor(theme.TEXT))
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
            p.setBrush(theme.qcolor(theme.BIAS_NODE))
            p.drawRect(QRectF(x, yc - 7, 14, 14))
            f = QFont(self._font)
            f.setPointSizeF(6.5)
            p.setFont(f)
            p.setPen(theme.qcolor(theme.TEXT))
            p.drawText(QRectF(x, yc - 7, 14, 14), Qt.AlignmentFlag.AlignCenter, "+1")
            p.setFont(self._font)
        elif kind == "heat":
            g = QLinearGradient(x, yc - 7, x + 14, yc + 7)
            for s, c in theme.DIVERGING.stops:
                g.setColorAt(s, QColor(*c))
            p.setPen(QPen(QColor(90, 90, 90), 1))
            p.setBrush(QBrush(g))
            p.drawRect(QRectF(x, yc - 7, 14, 14))
