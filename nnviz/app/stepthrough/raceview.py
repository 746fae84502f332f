"""Optimizers racing on f(x, y) = x²/20 + y²: contour lines and each optimizer's path so far."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.app.stepthrough.session import StepSession
from nnviz.app.translation import retranslate
from nnviz.i18n import _
from nnviz.i18n.names import title as display_name
from nnviz.lessons.demos.race import race_demo

COLOURS = {"sgd": (31, 119, 180), "momentum": (214, 39, 40), "adagrad": (44, 160, 44),
           "rmsprop": (148, 103, 189), "adam": (255, 127, 14)}
LEVELS = (0.25, 0.5, 1, 2, 4, 8, 16)


def race_steps(result: dict) -> list[dict]:
    """One step per iteration: every optimizer's position after it."""
    paths = result["paths"]
    n = len(next(iter(paths.values())))
    return [{"iteration": k, "points": {name: tuple(p[k]) for name, p in paths.items()}} for k in range(n)]


class RaceView(QWidget):
    """Contour plot of the race's function with the paths up to the session's current step."""

    def __init__(self, session: StepSession, result: dict | None = None, parent=None):
        super().__init__(parent)
        self.session = session
        self.result = result if result is not None else race_demo()
        lay = QVBoxLayout(self)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setAspectLocked(True)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setLabel("bottom", "x")
        self.plot.setLabel("left", "y")
        self.legend = self.plot.addLegend(offset=(10, 10), labelTextColor="k", brush=pg.mkBrush(255, 255, 255, 220))
        self._contours()
        self.curves = {}
        for name, lr in self.result["rates"].items():
            c = COLOURS.get(name, (0, 0, 0))
            self.curves[name] = self.plot.plot([], [], pen=pg.mkPen(c, width=2), symbol="o", symbolSize=5,
                                               symbolBrush=c, symbolPen=None, name=name)
        self.plot.plot([0], [0], pen=None, symbol="+", symbolSize=14, symbolPen=pg.mkPen("k", width=2))
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        lay.addWidget(self.plot, 1)
        lay.addWidget(self.caption)
        session.phaseChanged.connect(self.show_step)
        if not len(session):
            session.set_steps(race_steps(self.result))
        retranslate(self)

    def retranslate_ui(self) -> None:
        start = f"({self.result['start'][0]:g}, {self.result['start'][1]:g})"
        self.plot.setTitle(_("f(x, y) = x²/20 + y²: every optimizer starts at {start}").format(start=start),
                           color="k")
        for name, lr in self.result["rates"].items():
            label = self.legend.getLabel(self.curves[name])
            if label is not None:
                label.setText(_("{optimizer} (lr {lr})").format(optimizer=display_name("optimizer", name),
                                                                 lr=f"{lr:g}"))
        self.legend.updateSize()
        self.show_step(self.session.index)

    def _contours(self):
        xs, ys, Z = self.result["xs"], self.result["ys"], self.result["Z"]
        sx, sy = (xs[-1] - xs[0]) / (len(xs) - 1), (ys[-1] - ys[0]) / (len(ys) - 1)
        for level in LEVELS:
            # isocurve works in index space of Z[i, j] (i → y, j → x): map back to x, y
            for line in pg.functions.isocurve(Z, level, connected=True):
                pts = np.asarray(line)
                self.plot.plot(xs[0] + pts[:, 1] * sx, ys[0] + pts[:, 0] * sy,
                               pen=pg.mkPen((150, 150, 150), width=1))

    def show_step(self, index: int) -> None:
        k = self.session.steps[index]["iteration"] if self.session.steps else 0
        for name, curve in self.curves.items():
            p = self.result["paths"][name][:k + 1]
            curve.setData(p[:, 0], p[:, 1])
        points = self.session.steps[index]["points"].items() if self.session.steps else ()
        pts = "   ".join(f"{display_name('optimizer', n)}: ({x:.3f}, {y:.3f})" for n, (x, y) in points)
        self.caption.setText(_("iteration {iteration}   {points}").format(iteration=k, points=pts))
