"""Every run of the session on the training curves, each in its own colour (issue 20).

:class:`RunOverlay` draws, on a :class:`~nnviz.app.plots.metrics.MetricsPlots`, the loss and
accuracy of every visible run of a :class:`~nnviz.app.runs.RunList` from its timeline
(``Timeline.epochs``: train solid, test dashed; ``Timeline.losses``: a faint per-batch line
until the run has two epochs), with the run's name in a legend. The run whose curves the plots draw themselves (the
snapshots' run: ``main_run()``, by default the selected one) is left to them.

Redraws are throttled: the run list's signals only mark the overlay dirty; a single-shot timer
redraws at most :data:`RunOverlay.INTERVAL_MS` apart. Each run keeps its epochs in an
:class:`~nnviz.app.history.EpochTable` fed only with the epochs added since the last redraw,
and the per-batch losses are thinned by block means in NumPy.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QColor

from nnviz.app.history import EpochTable

#: Most per-batch points drawn per run (block means beyond that).
MAX_BATCH_POINTS = 800


def thin(points: np.ndarray, most: int = MAX_BATCH_POINTS) -> np.ndarray:
    """``points`` (n, 2) reduced to at most about ``most`` rows by averaging blocks of rows."""
    pts = np.asarray(points, dtype=float).reshape(-1, 2)
    k = -(-len(pts) // most) if len(pts) > most else 1
    if k == 1:
        return pts
    n = len(pts) // k * k
    head = pts[:n].reshape(-1, k, 2).mean(axis=1)
    return np.concatenate([head, pts[n:].mean(axis=0, keepdims=True)]) if n < len(pts) else head


class _RunCurves:
    """One run's curve items and the epochs already converted."""

    def __init__(self, plots, run):
        self.table = EpochTable()
        self.seen = 0
        self.colour = None
        self.name = None
        self.plots = plots
        make = lambda plot: plot.plot([], [], antialias=True)  # noqa: E731
        self.batch = plots.loss_plot.plot([], [], connect="finite", antialias=False)
        self.train_loss, self.test_loss = make(plots.loss_plot), make(plots.loss_plot)
        self.train_acc, self.test_acc = make(plots.acc_plot), make(plots.acc_plot)
        for item in self.items():
            item.setZValue(-1)  # under the plots' own curves
        self.style(run.colour)

    def items(self):
        return (self.batch, self.train_loss, self.test_loss, self.train_acc, self.test_acc)

    def style(self, colour: str) -> None:
        if colour == self.colour:
            return
        self.colour = colour
        c = QColor(colour)
        faint = QColor(c)
        faint.setAlpha(70)
        self.batch.setPen(pg.mkPen(faint, width=1))
        for item in (self.train_loss, self.train_acc):
            item.setPen(pg.mkPen(c, width=2))
        for item in (self.test_loss, self.test_acc):
            item.setPen(pg.mkPen(c, width=1.5, style=Qt.PenStyle.DashLine))

    def update(self, run, steps_per_epoch: int) -> None:
        tl = run.timeline
        epochs = list(getattr(tl, "epochs", ()) or ())
        if len(epochs) < self.seen:  # (a timeline that was replaced)
            self.table.clear()
            self.seen = 0
        if len(epochs) > self.seen:
            self.table.add(epochs[self.seen:])
            self.seen = len(epochs)
        col = self.table.column
        x = col("epoch")
        self.train_loss.setData(x, col("train_loss"))
        test = col("test_loss")
        has_test = bool(np.isfinite(test).any())
        self.test_loss.setData(*((x, test) if has_test else ([], [])))
        self.train_acc.setData(x, 100 * col("train_acc") if self.table.has_acc else [])
        self.test_acc.setData(*((x, 100 * col("test_acc")) if has_test and self.table.has_acc else ([], [])))
        losses = getattr(tl, "losses", None) if self.seen < 2 else None  # (later: epochs only, less noise)
        pts = thin(losses) if losses is not None and len(losses) else np.zeros((0, 2))
        self.batch.setData(pts[:, 0] / max(1, int(steps_per_epoch)), pts[:, 1])

    def set_visible(self, on: bool) -> None:
        for item in self.items():
            item.setVisible(on)

    def remove(self) -> None:
        for item in self.items():
            item.getViewBox() and item.getViewBox().removeItem(item)
            item.setParentItem(None)


class RunOverlay(QObject):
    """The other runs' curves on ``plots`` (see the module docs)."""

    INTERVAL_MS = 250

    def __init__(self, plots, runs, main_run=None):
        super().__init__(plots)
        self.plots, self.runs = plots, runs
        self.main_run = main_run if main_run is not None else (lambda: runs.selected)
        self._curves: dict[int, _RunCurves] = {}
        self._in_legend: dict[int, str] = {}
        self.redraws = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.INTERVAL_MS)
        self._timer.timeout.connect(self.redraw)
        for sig in (runs.added, runs.changed, runs.removed, runs.selectedChanged):
            sig.connect(self.schedule)
        plots.overlay = self
        self.schedule()

    def schedule(self, *_args) -> None:
        """Redraw soon (at most one redraw per interval, however often this is called)."""
        if not self._timer.isActive():
            self._timer.start()

    def shown_runs(self) -> list:
        """The runs drawn by the overlay: visible, trained (a timeline past step 0), not the
        plots' own run."""
        main = self.main_run()
        main_id = None if main is None else main.id
        return [r for r in self.runs.runs() if r.visible and r.id != main_id and r.timeline is not None
                and getattr(r.timeline, "last_step", 1) > 0]

    def redraw(self) -> None:
        self.redraws += 1
        shown = {r.id: r for r in self.shown_runs()}
        spe = getattr(getattr(self.plots, "_steps", None), "steps_per_epoch", 1)
        for run_id in [i for i in self._curves if self.runs.get(i) is None]:
            self._curves.pop(run_id).remove()
        for run in self.runs.runs():
            curves = self._curves.get(run.id)
            if run.id not in shown:
                if curves is not None:
                    curves.set_visible(False)
                continue
            if curves is None:
                curves = self._curves[run.id] = _RunCurves(self.plots, run)
            curves.style(run.colour)
            curves.set_visible(True)
            curves.update(run, spe)
            acc_on = getattr(self.plots, "accuracy_visible", lambda: True)()
            curves.train_acc.setVisible(acc_on)
            curves.test_acc.setVisible(acc_on)
        self.sync_legend()

    def legend(self):
        """The legend that lists the runs: the accuracy plot's (its lower corner is usually free
        once the curves rise), the loss plot's when there is no accuracy (regression)."""
        acc = getattr(self.plots, "accuracy_visible", lambda: True)()
        return self.plots.acc_legend if acc else self.plots.loss_legend

    def sync_legend(self) -> None:
        """The shown runs' names in the legend, in the runs' order (called again by the plots
        whenever they rebuild their legends)."""
        legend = self.legend()
        want = {r.id: r.name for r in self.shown_runs() if r.id in self._curves}
        sample = {i: c.train_loss for i, c in self._curves.items()}
        present = {i: self._in_legend[i] for i in self._in_legend
                   if i in sample and legend.getLabel(sample[i]) is not None}
        if want == present and len(present) == len(self._in_legend):
            return
        for item in sample.values():
            self.plots.loss_legend.removeItem(item)
            self.plots.acc_legend.removeItem(item)
        self._in_legend = {}
        for run_id, name in want.items():
            legend.addItem(sample[run_id], name)
            self._in_legend[run_id] = name
        fit = getattr(getattr(self.plots, "glw", None), "fit_legends", None)
        if fit is not None:   # (more entries: maybe fewer columns)
            fit()

    def curves(self, run_id: int) -> _RunCurves | None:
        return self._curves.get(run_id)
