"""The gate exercise: find w1, w2 and b so that one step perceptron computes AND, OR or NAND.

The truth table and the line w1·x1 + w2·x2 + b = 0 over the input plane follow the spin boxes
live, and the panel says when the gate is right. XOR comes last: no line works, and the panel
points to building it from two layers (the xor preset). The grading is
:class:`nnviz.exercises.GateExercise` (Qt-free).
"""
from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QPushButton, QSizePolicy, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from nnviz.app.exercises.questionbox import RIGHT, WRONG
from nnviz.app.plots.style import style_plot
from nnviz.app.translation import retranslate
from nnviz.i18n import _

GATES = ("and", "or", "nand", "xor")
LABELS = {"and": "AND", "or": "OR", "nand": "NAND", "xor": "XOR"}   # stay Latin in every language
OK_BG, BAD_BG = QColor(200, 235, 205), QColor(245, 200, 195)


class GatePanel(QWidget):
    """One perceptron, three numbers, four rows. ``solved(gate)`` when a gate comes out right;
    ``buildXorRequested()`` from the XOR pointer's button."""

    solved = Signal(str)
    buildXorRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.exercise = None
        outer = QVBoxLayout(self)
        lay = QHBoxLayout()
        left = QVBoxLayout()
        self.gate_label = QLabel()
        self.gate = QComboBox()
        for g in GATES:
            self.gate.addItem(LABELS[g], g)
        self.gate.currentIndexChanged.connect(self._on_gate)
        self.task = QLabel()
        self.task.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.gate_label, self.gate)
        self.spins = {}
        self.spin_labels = {}
        for name in ("w1", "w2", "b"):
            s = QDoubleSpinBox()
            s.setRange(-5.0, 5.0)
            s.setSingleStep(0.1)
            s.setDecimals(2)
            s.valueChanged.connect(self._update)
            self.spins[name] = s
            self.spin_labels[name] = QLabel(name.replace("w1", "w₁").replace("w2", "w₂"))
            form.addRow(self.spin_labels[name], s)
        self.table = QTableWidget(4, 4)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.setFocusPolicy(Qt.NoFocus)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)  # headers never cut
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.xor_button = QPushButton()
        self.xor_button.clicked.connect(self.buildXorRequested)
        outer.addWidget(self.task)
        outer.addLayout(lay, 1)
        left.addLayout(form)
        left.addWidget(self.table)
        left.addWidget(self.status)
        left.addWidget(self.xor_button)
        left.addStretch(1)
        self.plot = pg.PlotWidget(background="w")
        style_plot(self.plot.getPlotItem(), QColor(40, 40, 40), QColor("white"))
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.setXRange(-0.25, 1.25, padding=0)
        self.plot.setYRange(-0.25, 1.25, padding=0)
        self.plot.setMinimumSize(240, 240)
        self.plot.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Ignored)   # as high as the table beside it
        self.points = pg.ScatterPlotItem(size=16)
        self.line = pg.PlotCurveItem(pen=pg.mkPen(QColor(60, 60, 60), width=2.5))
        self.plot.addItem(self.line)
        self.plot.addItem(self.points)
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #505050;")
        right = QVBoxLayout()
        right.addWidget(self.plot, 1)
        right.addWidget(self.legend)
        lay.addLayout(left, 1)
        lay.addLayout(right, 1)
        self._on_gate(0)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.gate_label.setText(_("Gate"))
        self.gate.setToolTip(_("Which logic gate the perceptron should compute"))
        for name, s in self.spins.items():
            s.setToolTip(_("Type or scroll; the table and the line follow"))
        self.table.setHorizontalHeaderLabels(["x₁", "x₂", _("want"), _("result")])
        self.table.resizeRowsToContents()
        self.table.resizeColumnsToContents()
        self.table.setMinimumWidth(self.table.horizontalHeader().length() + 2 * self.table.frameWidth())
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height()
                                  + self.table.verticalHeader().length() + 2 * self.table.frameWidth())
        self.xor_button.setText(_("Build XOR from two layers (xor preset)"))
        self.xor_button.setToolTip(_("Open the xor preset: a hidden layer makes the boundary bend"))
        self.legend.setText(_("Filled: the gate wants 1; hollow: it wants 0; ✕: the perceptron gets that "
                              "input wrong. The line is w₁·x₁ + w₂·x₂ + b = 0."))
        pi = self.plot.getPlotItem()
        pi.setLabel("bottom", "x₁")
        pi.setLabel("left", "x₂")
        self._update()

    # -- the gate and its numbers -------------------------------------------------------------
    def gate_name(self) -> str:
        return self.gate.currentData()

    def set_gate(self, gate: str) -> None:
        self.gate.setCurrentIndex(GATES.index(gate))

    def set_weights(self, w1: float, w2: float, b: float) -> None:
        for name, v in (("w1", w1), ("w2", w2), ("b", b)):
            self.spins[name].blockSignals(True)
            self.spins[name].setValue(float(v))
            self.spins[name].blockSignals(False)
        self._update()

    def _on_gate(self, _i) -> None:
        from nnviz.exercises import GateExercise

        self.exercise = GateExercise(self.gate_name())
        self._was_solved = False
        self._update()

    def _update(self, *_args) -> None:
        ex = self.exercise
        if ex is None:
            return
        w1, w2, b = (self.spins[k].value() for k in ("w1", "w2", "b"))
        ex.set(w1, w2, b)
        gate = LABELS[self.gate_name()]
        self.task.setText(_("Find w₁, w₂ and b so that the perceptron outputs 1 when w₁·x₁ + w₂·x₂ + b > 0 "
                            "exactly where {gate} is 1.").format(gate=gate) if ex.solvable else
                          _("Try {gate} with one perceptron: can any line put the two 1s on one side and "
                            "the two 0s on the other?").format(gate=gate))
        right = 0
        for r, (x1, x2, target, out) in enumerate(ex.rows):
            for c, v in enumerate((x1, x2, target, out)):
                it = QTableWidgetItem(str(int(v)))
                it.setTextAlignment(Qt.AlignCenter)
                if c == 3:
                    it.setBackground(QBrush(OK_BG if int(out) == int(target) else BAD_BG))
                self.table.setItem(r, c, it)
            right += int(int(out) == int(target))
        if ex.solved:
            self.status.setStyleSheet(f"color: {RIGHT}; font-weight: 600;")
            self.status.setText(_("Right: this perceptron computes {gate}.").format(gate=gate))
        elif not ex.solvable:
            self.status.setStyleSheet(f"color: {WRONG};")
            self.status.setText(_("{right} of 4 rows right. No line separates XOR's 1s from its 0s, so no "
                                  "single perceptron computes it: it takes two layers, "
                                  "XOR = AND(NAND, OR).").format(right=right))
        else:
            self.status.setStyleSheet(f"color: {WRONG};")
            self.status.setText(_("{right} of 4 rows right.").format(right=right))
        self.xor_button.setVisible(not ex.solvable)
        self._draw(ex, (w1, w2, b))
        if ex.solved and not self._was_solved:
            self.solved.emit(self.gate_name())
        self._was_solved = bool(ex.solved)

    def _draw(self, ex, wb) -> None:
        spots = []
        for x1, x2, target, out in ex.rows:
            colour = QColor(31, 119, 180) if int(target) else QColor(255, 127, 14)
            spots.append({"pos": (x1, x2), "brush": pg.mkBrush(colour) if int(target) else pg.mkBrush("w"),
                          "pen": pg.mkPen(colour, width=2.5),
                          "symbol": "o" if int(out) == int(target) else "x"})
        self.points.setData(spots)
        seg = _segment(*wb)
        if seg is None:
            self.line.setData([], [])
        else:
            (xa, ya), (xb, yb) = seg
            self.line.setData([xa, xb], [ya, yb])


def _segment(w1: float, w2: float, b: float):
    """The decision line across the plotted square, or None (no line crosses it)."""
    from nnviz.lessons.demos.gates import decision_line

    if w1 == 0 and w2 == 0:
        return None
    return decision_line(w1, w2, b, -0.25, 1.25)
