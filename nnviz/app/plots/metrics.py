"""Training curves: loss and accuracy against epoch, with the per-batch training loss.

The widget only draws what it is given (epoch dicts, per-batch losses); it keeps them in the
Qt-free :mod:`nnviz.app.history` and builds its pyqtgraph items once, updating them with
``setData``.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from nnviz.app.history import CSV_COLUMNS, BatchLosses, Buffer, EpochTable
from nnviz.app.plots.anchor import XAnchor
from nnviz.app.plots.area import PlotArea
from nnviz.app.plots.export import PlotsExport
from nnviz.app.plots.menus import retranslate_plot_menus
from nnviz.app.plots.style import fmt_acc, fmt_loss
from nnviz.app.theme import TEST_COLOR, TRAIN_COLOR, blend, theme_colors
from nnviz.app.translation import retranslate
from nnviz.i18n import _


class MetricsPlots(PlotsExport, QWidget):
    """Loss (train/test + faint per-batch train loss) and accuracy (train/test) against epoch."""

    # columns of the epoch buffer
    _E, _TRL, _TEL, _TRA, _TEA = range(5)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.history = EpochTable()
        self._ep = Buffer(5)  # what is drawn: epoch, train/test loss, train/test accuracy in %
        self._steps = BatchLosses(self.MAX_STEP_POINTS)
        self._acc_visible = True
        self._hover_index: int | None = None
        self.overlay = None  # the other runs' curves (nnviz.app.plots.overlay.RunOverlay), if any

        bg, fg = theme_colors(self)
        self.log_check = QCheckBox()
        self.log_check.toggled.connect(self._on_log_toggled)
        self.readout = QLabel()
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._hover_acc = False

        self.glw = PlotArea(fg, bg)
        self.loss_plot: pg.PlotItem = self.glw.loss_plot
        self.acc_plot: pg.PlotItem = self.glw.acc_plot
        self.loss_legend, self.acc_legend = self.glw.loss_legend, self.glw.acc_legend
        sym = dict(symbol="o", symbolSize=5, connect="finite")
        self.step_curve = self.loss_plot.plot(
            [], [], pen=pg.mkPen(blend(TRAIN_COLOR, bg, 0.3), width=1), connect="finite",
            antialias=False)  # a faint, noisy line: smoothing it costs paint time for nothing visible
        self.step_curve.setClipToView(True), self.step_curve.setDownsampling(auto=True, method="peak")
        self.train_loss_curve = self.loss_plot.plot(
            [], [], pen=pg.mkPen(TRAIN_COLOR, width=2), symbolPen=None,
            symbolBrush=TRAIN_COLOR, **sym)
        self.test_loss_curve = self.loss_plot.plot(
            [], [], pen=pg.mkPen(TEST_COLOR, width=2), symbolPen=None,
            symbolBrush=TEST_COLOR, **sym)
        self.train_acc_curve = self.acc_plot.plot(
            [], [], pen=pg.mkPen(TRAIN_COLOR, width=2), symbolPen=None,
            symbolBrush=TRAIN_COLOR, **sym)
        self.test_acc_curve = self.acc_plot.plot(
            [], [], pen=pg.mkPen(TEST_COLOR, width=2), symbolPen=None,
            symbolBrush=TEST_COLOR, **sym)
        self._x_anchor = XAnchor(self.loss_plot.vb)  # the x auto-range moves in steps
        hover_pen = pg.mkPen(QColor(fg.red(), fg.green(), fg.blue(), 90), width=1, style=Qt.PenStyle.DashLine)
        self._hover_lines = []
        for p in (self.loss_plot, self.acc_plot):
            line = pg.InfiniteLine(angle=90, movable=False, pen=hover_pen)
            line.setVisible(False)
            p.addItem(line, ignoreBounds=True)
            self._hover_lines.append(line)
        # Hover: our own filter on the viewport (pyqtgraph's sigMouseMoved drops moves that come
        # close together, which can leave the readout on a stale epoch).
        self.glw.viewport().installEventFilter(self)
        self._symbols = True
        self._legend_state = None

        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 0)
        top.addWidget(self.log_check)
        top.addSpacing(8)
        top.addWidget(self.readout, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self.glw, 1)
        self.setMinimumSize(260, 220)
        retranslate(self)

    def retranslate_ui(self) -> None:
        """Every fixed text: the checkbox, the axis labels and tooltips, the legends' entries,
        the readout and pyqtgraph's menus (made once per switch, never per frame)."""
        self.log_check.setText(_("Log scale"))
        self.log_check.setToolTip(_(
            "Show the loss on a logarithmic axis: every factor of 10 gets the same height, so "
            "the slow progress late in training (0.01 → 0.001) stays visible."))
        self.readout.setToolTip(_("Move the mouse over a plot to read the values of the nearest epoch."))
        self.loss_plot.setLabel("left", _("loss"))
        self.loss_plot.setLabel("bottom", _("epoch"))
        self.acc_plot.setLabel("left", _("accuracy (%)"))
        self.acc_plot.setLabel("bottom", _("epoch"))
        self.loss_plot.getAxis("left").setToolTip(_(
            "Loss: how wrong the network is on average (lower is better). The training loss is "
            "what the optimizer minimises; the test loss is measured on data it never trains on."))
        self.acc_plot.getAxis("left").setToolTip(_(
            "Accuracy: the share of samples whose predicted class is the true class."))
        self._names = {self.step_curve: _("train (per batch)"),
                       self.train_loss_curve: _("train"), self.train_acc_curve: _("train"),
                       self.test_loss_curve: _("test"), self.test_acc_curve: _("test")}
        for curve, name in self._names.items():
            curve.opts["name"] = name
        self._legend_state = None     # the legends again, with the new names
        self._sync_legend()
        if self._hover_index is not None and self._hover_index < self._ep.n:
            self.show_nearest(float(self._ep.col(self._E)[self._hover_index]), self._hover_acc)
        else:
            self._set_readout_hint()
        for plot in (self.loss_plot, self.acc_plot):
            retranslate_plot_menus(plot)

    # -- data ---------------------------------------------------------------------------
    def set_steps_per_epoch(self, n: int) -> None:
        """Batches per epoch, so the per-batch curve is drawn in (fractional) epochs."""
        if self._steps.set_steps_per_epoch(n) and len(self._steps):
            self._update_steps()

    def add_epoch(self, d: dict) -> None:
        """Append one finished epoch (``EpochResult.as_dict()``)."""
        self.add_epochs([d])

    def add_epochs(self, ds: list[dict]) -> None:
        """Append several finished epochs with one redraw."""
        if not ds:
            return
        raw = self.history.add(ds)
        col = {c: raw[:, j] for j, c in enumerate(CSV_COLUMNS)}
        self._ep.append(np.column_stack([col["epoch"], col["train_loss"], col["test_loss"],
                                         100 * col["train_acc"], 100 * col["test_acc"]]))
        self.set_accuracy_visible(self.history.has_acc)
        self._update_epochs()

    def add_loss_points(self, points) -> None:
        """Append per-batch ``(global_step, loss)`` pairs (a sequence or an (n, 2) array) to the
        faint train-loss curve."""
        if self._steps.add(points):
            self._update_steps()

    def clear(self) -> None:
        """Forget every epoch and batch point."""
        self.history.clear()
        self._ep.clear()
        self._steps.clear()
        self._hover_index = None
        for c in (self.step_curve, self.train_loss_curve, self.test_loss_curve,
                  self.train_acc_curve, self.test_acc_curve):
            c.setData([], [])
        for line in self._hover_lines:
            line.setVisible(False)
        for p in (self.loss_plot, self.acc_plot):
            p.vb.reset_steps()
        self._sync_legend()
        self._update_epochs()
        self.set_accuracy_visible(True)
        self._set_readout_hint()

    def epochs(self) -> list[dict]:
        """The epochs shown, one dict each."""
        return self.history.rows()

    SYMBOLS_UP_TO = 60  # epochs drawn with a dot each; beyond, plain lines
    MAX_STEP_POINTS = 2000  # per-batch loss points kept (older ones averaged); a plot is ~400 px wide
    MAX_DRAWN_EPOCHS = 120  # epoch points drawn (every k-th beyond that, always the last):
    # a thick line over thousands of points costs the UI thread paint time for no visible gain

    def _sync_legend(self) -> None:
        """List the per-batch curve only once it has points, the test curves only while there is
        a test set (until the first epoch, assume there is one), in a fixed order. (A hidden
        curve left in a pyqtgraph legend shows as a crossed-out eye.)"""
        want = (len(self._steps) > 0, self._has_test())
        if want == self._legend_state:
            return
        self._legend_state = want
        steps, test = want
        self.test_loss_curve.setVisible(test)
        self.test_acc_curve.setVisible(test)
        self.loss_legend.clear()
        self.acc_legend.clear()
        names = self._names
        if steps:
            self.loss_legend.addItem(self.step_curve, names[self.step_curve])
        self.loss_legend.addItem(self.train_loss_curve, names[self.train_loss_curve])
        self.acc_legend.addItem(self.train_acc_curve, names[self.train_acc_curve])
        if test:
            self.loss_legend.addItem(self.test_loss_curve, names[self.test_loss_curve])
            self.acc_legend.addItem(self.test_acc_curve, names[self.test_acc_curve])
        if self.overlay is not None:  # the other runs' names after the plots' own entries
            self.overlay.sync_legend()
        self.glw.fit_legends()

    def _has_test(self) -> bool:
        return self._ep.n == 0 or bool(np.isfinite(self._ep.col(self._TEL)).any())

    def _update_epochs(self) -> None:
        symbols = self._ep.n <= self.SYMBOLS_UP_TO
        if symbols != self._symbols:
            self._symbols = symbols
            for c in (self.train_loss_curve, self.test_loss_curve, self.train_acc_curve, self.test_acc_curve):
                c.setSymbol("o" if symbols else None)
        n = self._ep.n
        k = -(-n // self.MAX_DRAWN_EPOCHS) if n > self.MAX_DRAWN_EPOCHS else 1
        idx = np.r_[np.arange(0, n - 1, k), n - 1] if k > 1 else slice(None)
        col = lambda j: self._ep.col(j)[idx]  # noqa: E731
        x = col(self._E)
        test = self._has_test()
        none = np.empty(0)  # (all-NaN data makes pyqtgraph warn on the console)
        self.train_loss_curve.setData(x, col(self._TRL))
        self.test_loss_curve.setData(*((x, col(self._TEL)) if test else (none, none)))
        if self._acc_visible:
            self.train_acc_curve.setData(x, col(self._TRA))
            self.test_acc_curve.setData(*((x, col(self._TEA)) if test else (none, none)))
        self._sync_legend()  # no test set at all: no test curves, nor in the legends
        self._x_anchor.follow(self._ep.col(self._E), self._steps.points.col(1))

    def _update_steps(self) -> None:
        self.step_curve.setData(self._steps.points.col(1), self._steps.points.col(2))
        self._sync_legend()
        self._x_anchor.follow(self._ep.col(self._E), self._steps.points.col(1))

    def settle_ranges(self) -> None:
        """Training paused: the x range fits the curves again (no room left ahead of them)."""
        self._x_anchor.settle()

    def set_marker(self, epoch: float | None) -> None:
        """A vertical line at ``epoch`` (a scrubbed moment) on both plots; None hides it."""
        from nnviz.app.timeline.marker import set_marker
        set_marker(self, (self.loss_plot, self.acc_plot), epoch)

    # -- options ------------------------------------------------------------------------
    def set_log_loss(self, on: bool) -> None:
        """Logarithmic loss axis (also the widget's "Log scale" checkbox)."""
        self.log_check.setChecked(bool(on))
        self._on_log_toggled(bool(on))

    def log_loss(self) -> bool:
        return self.log_check.isChecked()

    def _on_log_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(x=False, y=bool(on))

    def set_accuracy_visible(self, on: bool) -> None:
        """Show or hide the accuracy plot (hidden for regression, which has no accuracy)."""
        on = bool(on)
        if on == self._acc_visible:
            return
        self._acc_visible = on
        if on:
            self.glw.ci.addItem(self.acc_plot, row=1, col=0)
            self.acc_plot.show()
            self._update_epochs()
        else:
            self.glw.ci.removeItem(self.acc_plot)
            self.acc_plot.hide()

    def accuracy_visible(self) -> bool:
        return self._acc_visible

    # -- hover --------------------------------------------------------------------------
    def _set_readout_hint(self) -> None:
        self.readout.setText(_("hover a plot to read values"))
        self.readout.setEnabled(False)

    def eventFilter(self, obj, ev) -> bool:
        if obj is self.glw.viewport() and ev.type() == QEvent.Type.MouseMove:
            self._on_mouse_moved(self.glw.mapToScene(ev.position().toPoint()))
        return False

    def _on_mouse_moved(self, pos: QPointF) -> None:
        try:
            plots = [self.loss_plot] + ([self.acc_plot] if self._acc_visible else [])
            for p in plots:
                if p.vb.sceneBoundingRect().contains(pos):
                    self.show_nearest(p.vb.mapSceneToView(pos).x(), p is self.acc_plot)
                    return
            self._hover_index = None
            for line in self._hover_lines:
                line.setVisible(False)
            self._set_readout_hint()
        except Exception:  # never let a drawing detail break the window
            pass

    def show_nearest(self, x: float, accuracy: bool = False) -> int | None:
        """Show the readout for the epoch nearest to ``x``; returns its row index."""
        if not self._ep.n or not math.isfinite(x):
            return None
        i = int(np.argmin(np.abs(self._ep.col(self._E) - x)))
        self._hover_index, self._hover_acc = i, bool(accuracy)
        r = self.history.row(i)
        ep = r.get("epoch", i + 1)
        if accuracy:
            text = _("epoch {epoch} · train acc {train} · test acc {test}").format(
                epoch=ep, train=fmt_acc(r.get("train_acc")), test=fmt_acc(r.get("test_acc")))
        else:
            text = _("epoch {epoch} · train loss {train} · test loss {test}").format(
                epoch=ep, train=fmt_loss(r.get("train_loss")), test=fmt_loss(r.get("test_loss")))
        self.readout.setEnabled(True)
        self.readout.setText(text)
        for line in self._hover_lines:
            line.setPos(self._ep.col(self._E)[i])
            line.setVisible(True)
        return i
