"""The math panel: a phase's formula, the same formula filled in, and its small vectors/matrices.

Numbers are rounded for reading; hovering any of them (a table cell, or the filled-in formula)
shows the full values.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QScrollArea,
                               QSizePolicy, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from nnviz.app.stepthrough.session import StepSession
from nnviz.app.translation import retranslate
from nnviz.i18n import N_, _
from nnviz.i18n.names import layer_title
from nnviz.lessons.fmt import num
from nnviz.lessons.summary import SMALL

MARK = QColor(255, 214, 102)   # the selected neuron's entries

# (caption, key in Phase.arrays, how to read it): "row" = the sample's row of a batch array,
# "col" = a matrix whose column is the selected neuron's incoming weights. The captions are formula
# symbols (they stay as they are in every language) except the words in brackets.
SHOWN = {
    "forward": [("a_prev", "x", "row"),
                ("W", "W", "col"),
                ("b", "b", "vec"),
                ("z", "z", "row"),
                ("a", "a", "row")],
    "loss": [("y", "y", "row"),
             ("t", "t", "row"),
             ("∂L/∂y", "grad", "row")],
    "backward": [("δ", "delta", "row"),
                 ("∂L/∂W", "dW", "col"),
                 ("∂L/∂b", "db", "vec")],
    "update": [(N_("W (before)"), "W_old", "col"),
               (N_("W′ (after)"), "W_new", "col"),
               ("b′", "b_new", "vec")],
}


_SYMBOLS = {"dA": "∂L/∂a", "grad": "∂L/∂y", "fprime": "f′(z)", "delta": "δ", "lr": "η"}


def value_symbol(key: str) -> str:
    """A value's name in a phase's record (its JSON key) as the formula writes it:
    ``dA`` → ``∂L/∂a``, ``dW[0,1]`` → ``∂L/∂W[0,1]``, ``W[0,1].new`` → ``W[0,1]′``,
    ``delta_next0`` → ``δ₀ (layer above)``."""
    import re

    from nnviz.lessons.fmt import sub

    if key in _SYMBOLS:
        return _SYMBOLS[key]
    m = re.fullmatch(r"(delta|w)_next(\d+)", key)
    if m:
        sym = ("δ" if m.group(1) == "delta" else "w") + sub(int(m.group(2)))
        return _("{symbol} (layer above)").format(symbol=sym)
    m = re.fullmatch(r"d([Wb])(\[.*\])", key)
    if m:
        return f"∂L/∂{m.group(1)}{m.group(2)}"
    m = re.fullmatch(r"(.+)\.(dL|g|new|w)", key)
    if m:
        w = m.group(1)
        return {"dL": f"∂L/∂{w}", "g": f"g({w})", "new": f"{w}′", "w": w}[m.group(2)]
    return key


def masker(value, sig: int):
    """A text's copy with every appearance of ``value`` (rounded as shown) written as "?"."""
    from nnviz.app.exercises.masking import value_masker

    return value_masker(value, sig)


def _table(values: np.ndarray, mark: int | None, sig: int, caption: str, where: str = "",
           hide=lambda i, k, text: text) -> QWidget:
    """A small read-only table with column ``mark`` (the selected neuron) highlighted; ``hide(i, k,
    text)`` writes a cell a Your-turn question asks for as "?"."""
    m = np.atleast_2d(values)
    t = QTableWidget(m.shape[0], m.shape[1])
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionMode(QAbstractItemView.NoSelection)
    t.setFocusPolicy(Qt.NoFocus)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    t.verticalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    t.setHorizontalHeaderLabels([str(j) for j in range(m.shape[1])])
    t.setVerticalHeaderLabels([str(i) for i in range(m.shape[0])])
    j = mark
    for i in range(m.shape[0]):
        for k in range(m.shape[1]):
            shown = num(m[i, k], sig)
            text = hide(i, k, shown)
            it = QTableWidgetItem(text)
            if text == shown:
                it.setToolTip(f"{caption}[{i},{k}] = {float(m[i, k])!r}" if m.shape[0] > 1 else
                              f"{caption}[{k}] = {float(m[i, k])!r}")
            it.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            if j is not None and k == j:
                it.setBackground(QBrush(MARK))
            t.setItem(i, k, it)
    t.resizeColumnsToContents()
    t.resizeRowsToContents()
    w = t.verticalHeader().width() + sum(t.columnWidth(k) for k in range(m.shape[1])) + 4
    h = t.horizontalHeader().height() + sum(t.rowHeight(i) for i in range(m.shape[0])) + 4
    t.setFixedSize(w, h)
    t.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    t.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
    box = QWidget()
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 8, 0)
    lay.setSpacing(2)
    cap = QLabel(caption)
    cap.setAlignment(Qt.AlignHCenter)
    cap.setToolTip(where)
    lay.addWidget(cap)
    lay.addWidget(t)
    lay.addStretch(1)
    box.table = t
    return box


class MathPanel(QWidget):
    """Shows the current phase of a :class:`StepSession` (a list of :class:`nnviz.lessons.Phase`)."""

    def __init__(self, session: StepSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.sample = 0
        self.mask = None    # what the learner is working out (Your turn: a question, or a value): "?" until revealed
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # everything scrolls together: a longer phase never changes the panel's minimum height
        # (which would resize the dock, and the diagram beside it, at every step)
        content = QWidget()
        lay = QVBoxLayout(content)
        lay.setContentsMargins(8, 8, 8, 8)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.2)
        self.title.setFont(f)
        self.formula = QLabel()
        self.filled = QLabel()
        big = self.font()
        big.setPointSizeF(big.pointSizeF() * 1.1)
        self.filled.setFont(big)
        self.notes = QLabel()
        self.notes.setStyleSheet("color: #505050; font-style: italic;")
        for w in (self.title, self.formula, self.filled, self.notes):
            w.setWordWrap(True)
            w.setTextInteractionFlags(Qt.TextSelectableByMouse)
            w.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
            lay.addWidget(w)
        self.arrays = QWidget()
        self.arrays_layout = QHBoxLayout(self.arrays)
        self.arrays_layout.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.arrays)
        lay.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.NoFrame)
        scroll.setWidget(content)
        outer.addWidget(scroll, 1)
        session.phaseChanged.connect(self.show_phase)
        session.stepsChanged.connect(self._on_steps)   # a method: disconnected when the panel dies
        retranslate(self)

    def _on_steps(self) -> None:
        self.show_phase(self.session.index)

    def retranslate_ui(self) -> None:
        self.formula.setToolTip(_("The formula of this phase, in symbols"))
        self.show_phase(self.session.index)

    def _layer_name(self, layer: int | None) -> str:
        """The diagram's name of dense layer ``layer`` (-1: the input), or "" without a trace."""
        rec = self.session.record
        if layer is None or rec is None:
            return ""
        return layer_title(layer, len(rec.layers))

    def tables(self) -> list[QTableWidget]:
        """The tables shown now (for tests and screenshots)."""
        return [self.arrays_layout.itemAt(i).widget().table for i in range(self.arrays_layout.count())
                if hasattr(self.arrays_layout.itemAt(i).widget(), "table")]

    def show_phase(self, index: int) -> None:
        p = self.session.current()
        while self.arrays_layout.count():
            item = self.arrays_layout.takeAt(0)
            w = item.widget()
            if w is not None:  # hidden now, not at the next turn of the event loop
                w.hide()
                w.deleteLater()
        if p is None:
            for w in (self.title, self.formula, self.filled, self.notes):
                w.clear()
            return
        self.title.setText(p.title)
        self.formula.setText(p.formula)
        from nnviz.app.exercises.masking import PhaseMask

        hide = PhaseMask(self.mask, self.session.sig)
        self.filled.setText(hide.filled(p.filled))
        self.filled.setToolTip("" if self.mask is not None else
                               "\n".join(f"{value_symbol(k)} = {v!r}" for k, v in p.values.items()))
        self.notes.setText(hide.notes("\n".join(p.notes)))
        self.notes.setVisible(bool(p.notes))
        sig = self.session.sig
        for caption, key, how in SHOWN.get(p.phase, []):
            arr = p.arrays.get(key)
            if arr is None:
                continue
            arr = np.asarray(arr)
            if how == "row":
                arr = arr[self.sample] if arr.ndim == 2 else arr
            if arr.size == 0 or max(arr.shape) > SMALL:
                continue  # too big to list: the notes carry its summary
            mark = None if key == "x" else p.neuron   # a vector's entry j, or a matrix's column j
            where = self._layer_name(p.layer - 1 if key == "x" and p.layer is not None else p.layer)
            cell = (lambda i, k, text, key=key, mx=how == "col": hide.cell(key, i, k, mx, text))
            self.arrays_layout.addWidget(_table(arr, mark, sig, _(caption), where, cell))
        if p.summary is not None and self.mask is None:
            self.arrays_layout.addWidget(self._histogram(p))
        self.arrays_layout.addStretch(1)

    def _histogram(self, p) -> QWidget:
        """A big layer's values as a histogram, the selected neuron's value as a line."""
        counts, edges = p.summary["hist"]
        plot = pg.PlotWidget(background="w")
        plot.setFixedSize(420, 200)
        plot.setMouseEnabled(False, False)
        plot.hideButtons()
        edges = np.asarray(edges)
        plot.addItem(pg.BarGraphItem(x0=edges[:-1], x1=edges[1:], height=np.asarray(counts),
                                     brush=pg.mkBrush(100, 140, 200), pen=pg.mkPen(60, 90, 150)))
        key = {"forward": "a", "backward": "delta"}.get(p.phase)
        if key is not None and p.neuron is not None:
            v = float(np.asarray(p.arrays[key])[self.sample, p.neuron])
            plot.addItem(pg.InfiniteLine(v, angle=90, pen=pg.mkPen(MARK.darker(130), width=3)))
        name = {"forward": "a", "backward": "δ", "update": "ΔW"}.get(p.phase, "")
        where = self._layer_name(p.layer)
        title = (_("{name} of {layer}: {n} values").format(name=name, layer=where, n=p.summary["n"]) if where
                 else _("{name} over {n} values").format(name=name, n=p.summary["n"]))
        plot.setTitle(title, color="k", size="9pt")
        box = QWidget()
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 8, 0)
        lay.addWidget(plot)
        lay.addStretch(1)
        box.histogram = plot
        return box
