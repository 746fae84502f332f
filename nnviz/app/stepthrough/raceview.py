"""Optimizers racing on f(x, y) = x²/20 + y² (contour lines and each optimizer's path so far),
and the same optimizers racing on XOR's real loss surface (:class:`RealRacePlot`)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

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
        self.real = RealRacePlot(self.result["real"]) if "real" in self.result else None
        if self.real is not None:
            split = QSplitter(Qt.Vertical)
            split.addWidget(self.plot)
            split.addWidget(self.real)
            split.setChildrenCollapsible(False)
            lay.addWidget(split, 1)
        else:
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
        if self.real is not None:
            n = max(len(self.session.steps) - 1, 1)
            self.real.show_fraction(index / n if self.session.steps else 1.0)


class RealRacePlot(QWidget):
    """The race on XOR's real loss surface (``result["real"]`` of the race demo): the surface on
    the pooled paths' PCA plane, each optimizer's recorded path up to a fraction of the race
    (the step bar's position), its newest point ringed."""

    def __init__(self, real: dict, parent=None):
        from nnviz.app.landscape.plot import LandscapePlot

        super().__init__(parent)
        self.real = real
        self.fraction = 1.0
        self.plot = LandscapePlot()
        self.heads = pg.ScatterPlotItem(size=11, symbol="o", pen=pg.mkPen("w", width=2))
        self.heads.setZValue(21)
        self.plot.plot.addItem(self.heads)
        self.title = QLabel()
        self.title.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        lay.addWidget(self.title)
        lay.addWidget(self.plot, 1)
        retranslate(self)

    def result(self):
        """What :meth:`LandscapePlot.show_result` draws (the surface rebuilt from its JSON)."""
        from types import SimpleNamespace

        from nnviz.landscape import Directions, Surface

        s = self.real["surface"]
        d = dict(s["directions"])
        kind = d.pop("kind")
        surface = Surface(np.asarray(s["alphas"], float), np.asarray(s["betas"], float),
                          np.array([[np.nan if v is None else v for v in row] for row in s["loss"]], float),
                          s["center_loss"], Directions(np.zeros(0), np.zeros(0), kind, d), s["span"], s["samples"])
        paths = [(display_name("optimizer", o), pg.mkColor(COLOURS.get(o, (0, 0, 0))),
                  np.asarray(self.real["coords"][o], float)) for o in self.real["optimizers"]]
        return SimpleNamespace(surface=surface, paths=paths, request=None)

    def retranslate_ui(self) -> None:
        r = self.real
        self.title.setText(_("The real surface: XOR on a {sizes} network, the four optimizers' recorded paths "
                             "({epochs} epochs, lr {lr}) on the plane of their principal directions").format(
            sizes="-".join(map(str, r["sizes"])), epochs=r["epochs"], lr=f"{r['lr']:g}"))
        self.plot.show_result(self.result())
        self.plot.current.setData([], [])      # the centre is the shared start (the squares)
        self.show_fraction(self.fraction)

    def show_fraction(self, fraction: float) -> None:
        """Every path up to ``fraction`` of its recorded steps."""
        self.fraction = float(fraction)
        xs, ys, brushes = [], [], []
        for item, o in zip(self.plot.paths[::2], self.real["optimizers"]):
            c = np.asarray(self.real["coords"][o], float)
            steps = np.asarray(self.real["steps"][o])
            k = int(np.searchsorted(steps, self.fraction * steps[-1], side="right"))
            k = max(k, 1)
            item.setData(c[:k, 0], c[:k, 1])
            xs.append(c[k - 1, 0])
            ys.append(c[k - 1, 1])
            brushes.append(pg.mkBrush(COLOURS.get(o, (0, 0, 0))))
        self.heads.setData(xs, ys, brush=brushes)
