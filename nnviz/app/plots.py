"""Training curves (loss and accuracy against epoch) and the confusion-matrix heatmap.

Both widgets only draw what they are given (epoch dicts, per-batch losses, a matrix); the
pyqtgraph items are built once and updated with ``setData``.
"""
from __future__ import annotations

import csv
import io
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from nnviz.app.theme import DEEP_POSITIVE, TEST_COLOR, TRAIN_COLOR, ColourScale, blend, theme_colors
from nnviz.core.model_io import atomic_write

CSV_COLUMNS = ("epoch", "train_loss", "train_acc", "test_loss", "test_acc", "seconds", "lr")


def style_plot(plot: pg.PlotItem, fg: QColor, bg: QColor | None = None, grid: bool = True) -> None:
    """Axis pens and fonts readable on the theme's background; with ``grid``, faint horizontal
    lines at the left axis's ticks (they help read values; vertical ones only cost paint time)."""
    font = QFont()
    font.setPointSizeF(max(7.5, font.pointSizeF() * 0.9))
    for name in ("left", "bottom", "right", "top"):
        ax = plot.getAxis(name)
        ax.setPen(pg.mkPen(fg))
        ax.setTextPen(pg.mkPen(fg))
        ax.setTickFont(font)
    if grid:
        left = plot.getAxis("left")
        left.setTickPen(pg.mkPen(blend(fg, bg if bg is not None else QColor("white"), 0.13)))
        left.setStyle(tickAlpha=255, maxTickLevel=0)  # opaque tint (see blend); major ticks only
        left.setGrid(255)
        left.setZValue(plot.vb.zValue() - 1)  # the grid under the curves and the legend, not over them


def _num(v) -> float:
    """``None`` → NaN, anything else → float."""
    if v is None:
        return math.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


def _csv_cell(v) -> str:
    """A CSV cell that reads back to the same number (``repr`` of a float is exact)."""
    if v is None:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def fmt_loss(v) -> str:
    v = _num(v)
    if not math.isfinite(v):
        return "—"
    if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e4):
        return f"{v:.3g}"
    return f"{v:.4f}"


def fmt_acc(v) -> str:
    v = _num(v)
    return "—" if not math.isfinite(v) else f"{100 * v:.1f}%"


class _Buffer:
    """Rows of ``ncols`` floats in an array that doubles when full (amortised O(1) append)."""

    def __init__(self, ncols: int, capacity: int = 256):
        self.data = np.full((capacity, ncols), np.nan)
        self.n = 0

    def append(self, rows: np.ndarray) -> None:
        rows = np.atleast_2d(rows)
        need = self.n + len(rows)
        if need > len(self.data):
            cap = len(self.data)
            while cap < need:
                cap *= 2
            grown = np.full((cap, self.data.shape[1]), np.nan)
            grown[:self.n] = self.data[:self.n]
            self.data = grown
        self.data[self.n:need] = rows
        self.n = need

    def col(self, j: int) -> np.ndarray:
        return self.data[:self.n, j]

    def clear(self) -> None:
        self.n = 0


class MetricsPlots(QWidget):
    """Loss (train/test + faint per-batch train loss) and accuracy (train/test) against epoch."""

    # columns of the epoch buffer
    _E, _TRL, _TEL, _TRA, _TEA = range(5)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # Every epoch's numbers (CSV_COLUMNS, NaN for None) in one float array: a toy net finishes
        # ~500 epochs a second, and a dict per epoch grew the window by ~0.7 GB an hour.
        self._csv = _Buffer(len(CSV_COLUMNS))
        self._extra: dict[int, dict] = {}  # other keys some rows carry, by row index
        self._ep = _Buffer(5)
        self._steps = _Buffer(3)          # raw global step, x (fractional epoch), loss
        self._bucket, self._pending = 1, np.zeros((0, 3))  # see add_loss_points
        self._steps_per_epoch = 1
        self._acc_visible = True
        self._has_acc = False
        self._hover_index: int | None = None

        bg, fg = theme_colors(self)
        self.log_check = QCheckBox(self.tr("Log scale"))
        self.log_check.setToolTip(self.tr(
            "Show the loss on a logarithmic axis: every factor of 10 gets the same height, so "
            "the slow progress late in training (0.01 → 0.001) stays visible."))
        self.log_check.toggled.connect(self._on_log_toggled)
        self.readout = QLabel()
        self.readout.setTextFormat(Qt.TextFormat.PlainText)
        self.readout.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.readout.setToolTip(self.tr("Move the mouse over a plot to read the values of the nearest epoch."))
        self._set_readout_hint()

        self.glw = pg.GraphicsLayoutWidget()
        self.glw.setBackground(bg)
        self.glw.ci.setContentsMargins(2, 2, 6, 2)
        self.loss_plot: pg.PlotItem = self.glw.addPlot(row=0, col=0)
        self.acc_plot: pg.PlotItem = self.glw.addPlot(row=1, col=0)
        self.acc_plot.setXLink(self.loss_plot)
        for p in (self.loss_plot, self.acc_plot):
            style_plot(p, fg, bg)
            p.setClipToView(True)
            p.setDownsampling(auto=True, mode="peak")
            p.getAxis("left").setWidth(52)
        self.loss_plot.setLabel("left", self.tr("loss"))
        for plot in (self.loss_plot, self.acc_plot):  # "loss (x0.001)" confuses learners
            for side in ("left", "bottom"):
                plot.getAxis(side).enableAutoSIPrefix(False)
        self.loss_plot.setLabel("bottom", self.tr("epoch"))
        self.acc_plot.setLabel("left", self.tr("accuracy (%)"))
        self.acc_plot.setLabel("bottom", self.tr("epoch"))
        self.loss_plot.getAxis("left").setToolTip(self.tr(
            "Loss: how wrong the network is on average (lower is better). The training loss is "
            "what the optimizer minimises; the test loss is measured on data it never trains on."))
        self.acc_plot.getAxis("left").setToolTip(self.tr(
            "Accuracy: the share of samples whose predicted class is the true class."))

        # one row each (a thin strip hides less of the curves), see-through
        self.loss_legend = self.loss_plot.addLegend(offset=(-6, 6), labelTextColor=fg, colCount=3)
        self.acc_legend = self.acc_plot.addLegend(offset=(-6, -6), labelTextColor=fg, colCount=2)
        for leg in (self.loss_legend, self.acc_legend):
            leg.setBrush(pg.mkBrush(bg.red(), bg.green(), bg.blue(), 200))
        sym = dict(symbol="o", symbolSize=5, connect="finite")
        self.step_curve = self.loss_plot.plot(
            [], [], pen=pg.mkPen(blend(TRAIN_COLOR, bg, 0.3), width=1), name=self.tr("train (per batch)"), connect="finite",
            antialias=False)  # a faint, noisy line: smoothing it costs paint time for nothing visible
        self.train_loss_curve = self.loss_plot.plot(
            [], [], pen=pg.mkPen(TRAIN_COLOR, width=2), symbolPen=None,
            symbolBrush=TRAIN_COLOR, name=self.tr("train"), **sym)
        self.test_loss_curve = self.loss_plot.plot(
            [], [], pen=pg.mkPen(TEST_COLOR, width=2), symbolPen=None,
            symbolBrush=TEST_COLOR, name=self.tr("test"), **sym)
        self.train_acc_curve = self.acc_plot.plot(
            [], [], pen=pg.mkPen(TRAIN_COLOR, width=2), symbolPen=None,
            symbolBrush=TRAIN_COLOR, name=self.tr("train"), **sym)
        self.test_acc_curve = self.acc_plot.plot(
            [], [], pen=pg.mkPen(TEST_COLOR, width=2), symbolPen=None,
            symbolBrush=TEST_COLOR, name=self.tr("test"), **sym)
        hover_pen = pg.mkPen(QColor(fg.red(), fg.green(), fg.blue(), 90), width=1, style=Qt.PenStyle.DashLine)
        self._hover_lines = []
        for p in (self.loss_plot, self.acc_plot):
            line = pg.InfiniteLine(angle=90, movable=False, pen=hover_pen)
            line.setVisible(False)
            p.addItem(line, ignoreBounds=True)
            self._hover_lines.append(line)
        # Hover: our own filter on the viewport (pyqtgraph's sigMouseMoved drops moves closer
        # than 10 ms apart, which can leave the readout on a stale epoch).
        self.glw.viewport().installEventFilter(self)
        self._symbols = True
        self._legend_state = None
        self._sync_legend()

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

    # -- data ---------------------------------------------------------------------------
    def set_steps_per_epoch(self, n: int) -> None:
        """Batches per epoch, so the per-batch curve is drawn in (fractional) epochs."""
        n = max(1, int(n))
        if n == self._steps_per_epoch:
            return
        self._steps_per_epoch = n
        if self._steps.n:
            self._steps.data[:self._steps.n, 1] = self._steps.col(0) / n
            self._update_steps()

    def add_epoch(self, d: dict) -> None:
        """Append one finished epoch (``EpochResult.as_dict()``)."""
        self.add_epochs([d])

    def add_epochs(self, ds: list[dict]) -> None:
        """Append several finished epochs with one redraw."""
        if not ds:
            return
        n0 = self._csv.n
        raw = np.array([[_num(d.get(c)) for c in CSV_COLUMNS] for d in ds], dtype=float)
        e = CSV_COLUMNS.index("epoch")
        missing = np.isnan(raw[:, e])
        raw[missing, e] = n0 + 1 + np.flatnonzero(missing)  # no epoch number: the row's position
        self._csv.append(raw)
        for k, d in enumerate(ds):
            extra = {key: v for key, v in d.items() if key not in CSV_COLUMNS}
            if extra:
                self._extra[n0 + k] = extra
        col = {c: raw[:, j] for j, c in enumerate(CSV_COLUMNS)}
        self._ep.append(np.column_stack([col["epoch"], col["train_loss"], col["test_loss"],
                                         100 * col["train_acc"], 100 * col["test_acc"]]))
        self._has_acc = self._has_acc or any(
            d.get("train_acc") is not None or d.get("test_acc") is not None for d in ds)
        self.set_accuracy_visible(self._has_acc)
        self._update_epochs()

    def add_loss_points(self, points) -> None:
        """Append per-batch ``(global_step, loss)`` pairs (a sequence or an (n, 2) array) to the
        faint train-loss curve."""
        arr = np.asarray(points, dtype=float).reshape(-1, 2)
        if not len(arr):
            return
        rows = np.column_stack([arr[:, 0], arr[:, 0] / self._steps_per_epoch, arr[:, 1]])
        # Bounded history: beyond MAX_STEP_POINTS, neighbouring points are averaged in pairs and
        # later batches arrive averaged in buckets of the same size (drawing stays O(1)).
        if self._bucket > 1:
            rows = np.concatenate([self._pending, rows]) if len(self._pending) else rows
            full = len(rows) // self._bucket * self._bucket
            self._pending = rows[full:]
            rows = rows[:full].reshape(-1, self._bucket, 3).mean(axis=1)
        if len(rows):
            self._steps.append(rows)
        while self._steps.n > self.MAX_STEP_POINTS:
            n2 = self._steps.n // 2 * 2
            halved = self._steps.data[:n2].reshape(-1, 2, 3).mean(axis=1)
            rest = self._steps.data[n2:self._steps.n].copy()
            self._steps.clear()
            self._steps.append(halved)
            self._pending = np.concatenate([rest, self._pending]) if len(self._pending) else rest
            self._bucket *= 2
        self._update_steps()

    def clear(self) -> None:
        """Forget every epoch and batch point."""
        self._csv.clear()
        self._extra.clear()
        self._has_acc = False
        self._ep.clear()
        self._steps.clear()
        self._bucket, self._pending = 1, np.zeros((0, 3))
        self._hover_index = None
        for c in (self.step_curve, self.train_loss_curve, self.test_loss_curve,
                  self.train_acc_curve, self.test_acc_curve):
            c.setData([], [])
        for line in self._hover_lines:
            line.setVisible(False)
        self._sync_legend()
        self._update_epochs()
        self.set_accuracy_visible(True)
        self._set_readout_hint()

    def _row(self, i: int) -> dict:
        """Epoch ``i`` (0-based) as the dict it came in as (NaN read back as None)."""
        d = {c: (None if v != v else float(v)) for c, v in zip(CSV_COLUMNS, self._csv.data[i])}
        d["epoch"] = int(d["epoch"])
        d.update(self._extra.get(i, {}))
        return d

    def epochs(self) -> list[dict]:
        """The epochs shown, one dict each."""
        return [self._row(i) for i in range(self._csv.n)]

    SYMBOLS_UP_TO = 60  # epochs drawn with a dot each; beyond, plain lines
    MAX_STEP_POINTS = 2000  # per-batch loss points kept (older ones averaged); a plot is ~400 px wide
    MAX_DRAWN_EPOCHS = 120  # epoch points drawn (every k-th beyond that, always the last):
    # a 2-px line over thousands of points costs the UI thread ~10 ms a frame for no visible gain

    def _sync_legend(self) -> None:
        """List the per-batch curve only once it has points, the test curves only while there is
        a test set (until the first epoch, assume there is one), in a fixed order. (A hidden
        curve left in a pyqtgraph legend shows as a crossed-out eye.)"""
        want = (self._steps.n > 0, self._has_test())
        if want == self._legend_state:
            return
        self._legend_state = want
        steps, test = want
        self.test_loss_curve.setVisible(test)
        self.test_acc_curve.setVisible(test)
        self.loss_legend.clear()
        self.acc_legend.clear()
        if steps:
            self.loss_legend.addItem(self.step_curve, self.tr("train (per batch)"))
        self.loss_legend.addItem(self.train_loss_curve, self.tr("train"))
        self.acc_legend.addItem(self.train_acc_curve, self.tr("train"))
        if test:
            self.loss_legend.addItem(self.test_loss_curve, self.tr("test"))
            self.acc_legend.addItem(self.test_acc_curve, self.tr("test"))

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

    def _update_steps(self) -> None:
        self.step_curve.setData(self._steps.col(1), self._steps.col(2))
        self._sync_legend()

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
        self.readout.setText(self.tr("hover a plot to read values"))
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
        self._hover_index = i
        r = self._row(i)
        ep = r.get("epoch", i + 1)
        if accuracy:
            text = self.tr("epoch {0} · train acc {1} · test acc {2}").format(
                ep, fmt_acc(r.get("train_acc")), fmt_acc(r.get("test_acc")))
        else:
            text = self.tr("epoch {0} · train loss {1} · test loss {2}").format(
                ep, fmt_loss(r.get("train_loss")), fmt_loss(r.get("test_loss")))
        self.readout.setEnabled(True)
        self.readout.setText(text)
        for line in self._hover_lines:
            line.setPos(self._ep.col(self._E)[i])
            line.setVisible(True)
        return i

    # -- export -------------------------------------------------------------------------
    def export_csv(self, path) -> None:
        """Write every epoch's metrics to ``path`` (by :func:`~nnviz.core.model_io.atomic_write`:
        temp file + rename; devices, FIFOs and folders refused; permissions kept)."""
        cols = list(CSV_COLUMNS)
        for i in sorted(self._extra):
            for k in self._extra[i]:
                if k not in cols:
                    cols.append(k)
        def write(binary) -> None:
            f = io.TextIOWrapper(binary, encoding="utf-8", newline="")
            w = csv.writer(f)
            w.writerow(cols)
            for i in range(self._csv.n):
                r = self._row(i)
                w.writerow([_csv_cell(r.get(c)) for c in cols])
            f.flush()
            f.detach()  # atomic_write closes the file itself

        atomic_write(path, write)

    def _export(self, exporter, path) -> None:
        shown = [line.isVisible() for line in self._hover_lines]
        for line in self._hover_lines:
            line.setVisible(False)
        try:
            atomic_write(path, exporter.export, by_name=True)
        finally:
            for line, v in zip(self._hover_lines, shown):
                line.setVisible(v)

    def export_png(self, path, width: int | None = None) -> None:
        """Both plots as a PNG (``width`` in pixels, default: the on-screen size)."""
        from pyqtgraph.exporters import ImageExporter

        ex = ImageExporter(self.glw.ci)
        if width:
            ex.params["width"] = int(width)
        self._export(ex, path)

    def export_svg(self, path) -> None:
        """Both plots as an SVG drawing."""
        from pyqtgraph.exporters import SVGExporter

        self._export(SVGExporter(self.glw.ci), path)


class ConfusionMatrixView(QWidget):
    """A k×k heatmap ``C[true, predicted]``: rows are true classes, columns predicted ones.

    Cells are coloured by the share of their row (so rare classes stay readable) and, for
    k ≤ 10, show their counts.
    """

    MAX_TEXT = 10
    #: the user clicked the cell (true, predicted) of a shown matrix
    cellClicked = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        bg, fg = theme_colors(self)
        self._fg = fg
        self._k = 0
        self._matrix: np.ndarray | None = None
        self.plot_widget = pg.PlotWidget(background=bg)
        self.plot: pg.PlotItem = self.plot_widget.getPlotItem()
        style_plot(self.plot, fg, bg, grid=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        vb = self.plot.getViewBox()
        vb.invertY(True)
        vb.setAspectLocked(True)
        vb.setMouseEnabled(x=False, y=False)
        for name in ("left", "bottom"):
            self.plot.getAxis(name).setStyle(hideOverlappingLabels=False)
        self.plot.setLabel("left", self.tr("true"))
        self.plot.setLabel("bottom", self.tr("predicted"))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(ColourScale(0.0, 1.0, [(0.0, bg), (1.0, DEEP_POSITIVE)]).table(256))
        self.image.setLevels((0.0, 1.0))
        self.plot.addItem(self.image)
        self.plot_widget.scene().sigMouseClicked.connect(self._scene_clicked)
        self.texts: list[pg.TextItem] = []
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setContentsMargins(0, 3, 0, 1)
        self.setToolTip(self.tr(
            "Confusion matrix of the test set: row = the true class, column = the class the "
            "network predicted. The diagonal holds the correct answers; a bright cell off the "
            "diagonal shows two classes the network mixes up. Colour = share of the row."))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.title)
        lay.addWidget(self.plot_widget, 1)
        self.setMinimumSize(200, 200)
        self.clear()

    def _build_texts(self, k: int) -> None:
        for t in self.texts:
            self.plot.removeItem(t)
        self.texts = []
        if k > self.MAX_TEXT:
            return
        font = QFont()
        font.setPointSizeF(max(6.5, font.pointSizeF() * (0.95 if k <= 6 else 0.8)))
        for i in range(k):
            for j in range(k):
                t = pg.TextItem("", anchor=(0.5, 0.5))
                t.setFont(font)
                t.setPos(j + 0.5, i + 0.5)
                self.plot.addItem(t)
                self.texts.append(t)

    def set_matrix(self, C, class_names=None) -> None:
        """Show the counts ``C[true, predicted]`` with ``class_names`` on both axes."""
        C = np.asarray(C, dtype=float)
        if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] == 0:
            return
        k = C.shape[0]
        names = [str(n) for n in (class_names or [])]
        if len(names) != k:
            names = [str(i) for i in range(k)]
        if k != self._k:
            self._k = k
            self._build_texts(k)
            ticks = [(i + 0.5, n if len(n) <= 8 else n[:7] + "…") for i, n in enumerate(names)]
            if k > 20:  # too many to label every one
                ticks = ticks[::max(1, k // 10)]
            self.plot.getAxis("left").setTicks([ticks])
            fm = QFontMetrics(self.plot.getAxis("left").style.get("tickFont") or QFont())
            self.plot.getAxis("left").setWidth(
                max(fm.horizontalAdvance(t) for _, t in ticks) + fm.height() + 14)
            self.plot.getAxis("bottom").setTicks([ticks])
            self.plot.setRange(xRange=(0, k), yRange=(0, k), padding=0.02)
        self._matrix = C.copy()
        rows = C.sum(axis=1, keepdims=True)
        share = np.divide(C, rows, out=np.zeros_like(C), where=rows > 0)
        self.image.setImage(share, levels=(0.0, 1.0), autoLevels=False)
        self.image.setRect(QRectF(0, 0, k, k))  # after setImage: the rect scales the pixel size
        dark, light = QColor("white"), QColor(self._fg)
        for t, c, s in zip(self.texts, C.ravel(), share.ravel()):
            t.setText(f"{int(round(c))}")
            t.setColor(dark if s > 0.55 else light)
        total = C.sum()
        acc = np.trace(C) / total if total else float("nan")
        self.title.setText(self.tr("test set: {0} samples · accuracy {1}").format(
            int(total), fmt_acc(acc)))

    def matrix(self) -> np.ndarray | None:
        return None if self._matrix is None else self._matrix.copy()

    def cell_at(self, scene_pos) -> tuple[int, int] | None:
        """The (true, predicted) cell under a point of the plot's scene, or None."""
        if self._matrix is None:
            return None
        p = self.plot.getViewBox().mapSceneToView(scene_pos)
        col, row = math.floor(p.x()), math.floor(p.y())
        k = self._matrix.shape[0]
        return (row, col) if 0 <= row < k and 0 <= col < k else None

    def _scene_clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        cell = self.cell_at(ev.scenePos())
        if cell is not None:
            self.cellClicked.emit(*cell)

    def cell_texts(self) -> list[str]:
        """The numbers written in the cells, row by row."""
        return [t.toPlainText() for t in self.texts]

    def clear(self) -> None:
        self._matrix = None
        for t in self.texts:
            t.setText("")
        self.image.clear()
        self.title.setText(self.tr("confusion matrix: after the first epoch"))
