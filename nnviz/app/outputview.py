"""What the network answers: decision regions over 2-D data, or one image and its output bars.

:class:`OutputView` draws a :class:`~nnviz.app.state.Snapshot`; it never runs the network.

Grid contract (from the worker, see ``Snapshot.grid``): ``xs`` (G,) and ``ys`` (G,) are the
plane's coordinates in network-input space; ``output`` (G, G) is indexed ``[iy, ix]`` (as
``np.meshgrid(xs, ys)`` gives) and holds the network's output — the probability of class 1
for a sigmoid output, the value for tanh/regression, or the predicted class index for
multi-class data (a (G, G, k) array of class scores is accepted too). For multi-class data
``units[-1]`` (k, G, G), when present, gives the class scores, so regions are shaded by
confidence.
"""
from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QStackedWidget,
                               QVBoxLayout, QWidget)

from nnviz.app.plots import style_plot
from nnviz.app.theme import (CLASS_COLORS, CORRECT_COLOR, POSITIVE, WRONG_COLOR, class_color, diverging_lut,
                             qcolor, theme_colors)

MAX_TRAIN_POINTS = 2000
MAX_TEST_POINTS = 1000
N_VALUE_BRUSHES = 64


_DERIVED = {"x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"}


def _find_plane_columns(ds) -> tuple[int, int] | None:
    """Columns of x1 and x2 in the inputs, or None when the data is not a plane."""
    names = [str(n).replace(" ", "") for n in (ds.feature_names or [])]
    if "x1" in names and "x2" in names:
        return names.index("x1"), names.index("x2")
    if _DERIVED & set(names):  # e.g. only x1², x2²: the point (x1, x2) cannot be recovered
        return None
    if ds.n_features == 2:
        return 0, 1
    return None


def _subsample(n: int, cap: int) -> np.ndarray:
    if n <= cap:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, cap, replace=False))


class OutputView(QWidget):
    """Decision regions + data points for 2-D data; the shown image + output bars otherwise."""

    PAGE_EMPTY, PAGE_PLANE, PAGE_SAMPLE = range(3)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._ds = None
        self._cols: tuple[int, int] | None = None
        self._n_classes: int | None = None
        self._levels = (0.0, 1.0)
        self._grid_rect: QRectF | None = None
        self._last_snap = None
        bg, fg = theme_colors(self)
        self._bg, self._fg = bg, fg

        # prebuilt brushes and pens (indexed per point, never made per frame)
        self._class_brushes = [pg.mkBrush(class_color(i)) for i in range(len(CLASS_COLORS))]
        self._class_pens = [pg.mkPen(class_color(i), width=1.6) for i in range(len(CLASS_COLORS))]
        lut = diverging_lut(N_VALUE_BRUSHES)
        self._value_brushes = [pg.mkBrush(*map(int, c)) for c in lut]
        self._value_pens = [pg.mkPen(QColor(*map(int, c)).darker(115), width=1.6) for c in lut]
        self._edge_pen = pg.mkPen(QColor(255, 255, 255, 200), width=0.8)
        self._value_edge_pen = pg.mkPen(QColor(90, 90, 90, 160), width=0.6)  # for white (≈0) targets
        self._region_lut = diverging_lut(256, lighten=0.35)

        self.stack = QStackedWidget()
        self.empty_label = QLabel(self.tr("Load a dataset to see what the network answers."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self._build_plane_page(bg, fg))
        self.stack.addWidget(self._build_sample_page(bg, fg))
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)
        self.setMinimumSize(240, 220)

    # -- construction -----------------------------------------------------------------------
    def _build_plane_page(self, bg, fg) -> QWidget:
        page = QWidget()
        self.plane_widget = pg.PlotWidget(background=bg)
        self.plane: pg.PlotItem = self.plane_widget.getPlotItem()
        style_plot(self.plane, fg, bg, grid=False)
        self.plane.getViewBox().setAspectLocked(True)
        self.plane.setLabel("bottom", "x1")
        self.plane.setLabel("left", "x2")
        self.region = pg.ImageItem(axisOrder="row-major")
        self.region.setZValue(-10)
        self.plane.addItem(self.region)
        self.train_scatter = pg.ScatterPlotItem(size=6, pen=self._edge_pen, symbol="o")
        self.train_scatter.setZValue(5)
        self.test_scatter = pg.ScatterPlotItem(size=7, brush=pg.mkBrush(None), symbol="o")
        self.test_scatter.setZValue(4)
        self.current_marker = pg.ScatterPlotItem(
            size=16, symbol="o", brush=pg.mkBrush(None), pen=pg.mkPen(fg, width=2))
        self.current_marker.setZValue(6)
        for it in (self.train_scatter, self.test_scatter, self.current_marker):
            self.plane.addItem(it)
        # the classes' colours, under the plot (a legend inside it hid the points in its corner)
        self.class_key = QLabel()
        self.class_key.setTextFormat(Qt.TextFormat.RichText)
        self.class_key.setToolTip(self.tr("The colour of each class's dots."))
        self.plane_widget.setToolTip(self.tr(
            "The background shows what the network answers at every point of the input plane "
            "(its decision regions); the dots are the training data, coloured by their true "
            "class. Where a dot's colour differs from the background, the network is wrong."))

        self.show_test_check = QCheckBox(self.tr("Show test data"))
        self.show_test_check.setToolTip(self.tr(
            "Also draw the test points (hollow circles): data the network never trains on, "
            "used to check that it generalises."))
        self.show_test_check.toggled.connect(self.test_scatter.setVisible)
        self.test_scatter.setVisible(False)
        self.plane_caption = QLabel()
        self.plane_caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.plane_caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.plane_caption.setWordWrap(True)
        self.plane_caption.setEnabled(False)
        row = QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 2)
        row.addWidget(self.show_test_check)
        row.addSpacing(10)
        row.addWidget(self.class_key)
        row.addSpacing(6)
        row.addWidget(self.plane_caption, 1)
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(self.plane_widget, 1)
        v.addLayout(row)
        return page

    def _build_sample_page(self, bg, fg) -> QWidget:
        page = QWidget()
        self.sample_widget = pg.GraphicsLayoutWidget()
        self.sample_widget.setBackground(bg)
        self.image_box: pg.ViewBox = self.sample_widget.addViewBox(row=0, col=0, lockAspect=True,
                                                                    invertY=True, enableMouse=False)
        self.image_box.setMenuEnabled(False)
        self.sample_image = pg.ImageItem(axisOrder="row-major")
        grey = np.linspace(255, 0, 256).astype(np.uint8)  # 0 = white paper, 1 = black ink
        self.sample_image.setLookupTable(np.column_stack([grey, grey, grey]))
        self.image_box.addItem(self.sample_image)
        self.frame = pg.QtWidgets.QGraphicsRectItem(0, 0, 28, 28)
        self.frame.setPen(pg.mkPen(QColor(fg.red(), fg.green(), fg.blue(), 90), width=0))
        self.image_box.addItem(self.frame)
        self.bars_plot: pg.PlotItem = self.sample_widget.addPlot(row=0, col=1)
        style_plot(self.bars_plot, fg, bg)
        self.bars_plot.setMenuEnabled(False)
        self.bars_plot.hideButtons()
        self.bars_plot.setMouseEnabled(x=False, y=False)
        self.bars_plot.setLabel("left", self.tr("output"))
        self.bars_plot.setLabel("bottom", self.tr("class"))
        self.sample_widget.ci.layout.setColumnStretchFactor(0, 2)
        self.sample_widget.ci.layout.setColumnStretchFactor(1, 3)
        self._bar_brush = pg.mkBrush("#9fb3c8")
        self._bar_pred_brush = pg.mkBrush(qcolor(POSITIVE))
        self._bar_pen = pg.mkPen(None)
        self._bar_true_pen = pg.mkPen(CORRECT_COLOR, width=3)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7, brush=self._bar_brush, pen=self._bar_pen)
        self.bars_plot.addItem(self.bars)
        self.sample_widget.setToolTip(self.tr(
            "Left: the sample the network is looking at. Right: the network's output for each "
            "class; the tallest (blue) bar is its answer, the green outline marks the true class."))
        self.sample_caption = QLabel()
        self.sample_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.sample_caption.font())
        font.setBold(True)
        self.sample_caption.setFont(font)
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(self.sample_widget, 1)
        v.addWidget(self.sample_caption)
        self._bar_k = 0
        return page

    # -- data -------------------------------------------------------------------------------
    def set_data(self, dataset) -> None:
        """Show ``dataset`` (a :class:`nnviz.data.base.Dataset`): its points or its samples."""
        self.clear()
        if dataset is None:
            return
        self._ds = dataset
        self._n_classes = dataset.n_classes
        self._cols = None if dataset.image_shape else _find_plane_columns(dataset)
        if self._cols is not None:
            self._set_plane_data(dataset)
            self.stack.setCurrentIndex(self.PAGE_PLANE)
        else:
            self._set_sample_data(dataset)
            self.stack.setCurrentIndex(self.PAGE_SAMPLE)

    def mode(self) -> str:
        """``"plane"``, ``"sample"`` or ``"empty"``."""
        return ("empty", "plane", "sample")[self.stack.currentIndex()]

    def _point_style(self, y: np.ndarray, hollow: bool):
        """Per-point brushes (filled) or pens (hollow), picked from the prebuilt lists."""
        if self._n_classes is not None:
            idx = np.clip(np.asarray(y, dtype=np.int64).reshape(-1), 0, len(CLASS_COLORS) - 1)
            table = self._class_pens if hollow else self._class_brushes
        else:
            v = np.asarray(y, dtype=float).reshape(len(y), -1)[:, 0]
            lo, hi = self._levels
            t = np.clip((v - lo) / ((hi - lo) or 1.0), 0.0, 1.0)
            idx = np.round(t * (N_VALUE_BRUSHES - 1)).astype(np.int64)
            table = self._value_pens if hollow else self._value_brushes
        return [table[i] for i in idx]

    def _set_plane_data(self, ds) -> None:
        c1, c2 = self._cols
        names = list(ds.feature_names or [])
        self.plane.setLabel("bottom", names[c1] if c1 < len(names) else "x1")
        self.plane.setLabel("left", names[c2] if c2 < len(names) else "x2")
        if ds.n_classes is None:  # regression: a symmetric colour scale over the targets
            y_all = np.asarray(ds.y_train, dtype=float)
            m = float(np.nanmax(np.abs(y_all))) if y_all.size else 1.0
            m = m if math.isfinite(m) and m > 0 else 1.0
            self._levels = (-m, m)
        else:
            self._levels = (0.0, 1.0)
        few = len(ds.x_train) <= 50
        for part, x, y, cap, scatter in (("train", ds.x_train, ds.y_train, MAX_TRAIN_POINTS, self.train_scatter),
                                         ("test", ds.x_test, ds.y_test, MAX_TEST_POINTS, self.test_scatter)):
            if len(x) == 0:
                scatter.setData([], [])
                continue
            idx = _subsample(len(x), cap)
            pts = ds.inputs(np.asarray(x)[idx], np.float64)[:, [c1, c2]]
            yy = np.asarray(y)[idx]
            if part == "train":
                edge = self._edge_pen if ds.n_classes is not None else self._value_edge_pen
                scatter.setData(pts[:, 0], pts[:, 1], brush=self._point_style(yy, False),
                                pen=edge, size=11 if few else 6)
            else:
                scatter.setData(pts[:, 0], pts[:, 1], pen=self._point_style(yy, True),
                                brush=pg.mkBrush(None), size=12 if few else 7)
        self.show_test_check.setEnabled(len(ds.x_test) > 0)
        self._build_legend(ds)
        self.plane.enableAutoRange()
        self.plane.autoRange()
        self.plane.disableAutoRange()
        self.plane_caption.setText(self._plane_caption_text())

    def _plane_caption_text(self) -> str:
        if self._n_classes is None:
            lo, hi = self._levels
            return self.tr("orange {0:.2g} · white 0 · blue {1:.2g}").format(lo, hi)
        if self._n_classes == 2:
            return self.tr("output: orange 0 · blue 1")
        return self.tr("paler = less sure")

    def _build_legend(self, ds) -> None:
        if ds.n_classes is None or ds.n_classes > 10:
            self.class_key.clear()
            self.class_key.setVisible(False)
            return
        names = list(ds.class_names or [])
        parts = []
        for i in range(ds.n_classes):
            name = html.escape(str(names[i] if i < len(names) else i))
            parts.append(f"<span style='color:{class_color(i).name()}'>●</span>&nbsp;{name}")
        self.class_key.setText("&nbsp;&nbsp;".join(parts))
        self.class_key.setVisible(True)

    def _set_sample_data(self, ds) -> None:
        k = ds.n_classes if ds.n_classes else 1
        self.image_box.setVisible(ds.image_shape is not None)
        if ds.image_shape is None:
            self.sample_widget.ci.layout.setColumnStretchFactor(0, 0)
        else:
            self.sample_widget.ci.layout.setColumnStretchFactor(0, 2)
            h, w = ds.image_shape
            self.frame.setRect(0, 0, w, h)
            self.image_box.setRange(xRange=(0, w), yRange=(0, h), padding=0.02)
        self._setup_bars(k, list(ds.class_names or []))
        self.sample_caption.setText("")

    def _setup_bars(self, k: int, names: list[str]) -> None:
        self._bar_k = k
        x = np.arange(k, dtype=float)
        if k:
            self.bars.setOpts(x=x, height=np.zeros(k), width=0.7,
                              brushes=[self._bar_brush] * k, pens=[self._bar_pen] * k)
        else:  # (pyqtgraph cannot take empty pen lists)
            self.bars.setOpts(x=x, height=np.zeros(0), brushes=None, pens=None,
                              brush=self._bar_brush, pen=self._bar_pen)
        if len(names) != k:
            names = [str(i) for i in range(k)]
        short = [(i, n if len(n) <= 6 else n[:5] + "…") for i, n in enumerate(names)]
        self.bars_plot.getAxis("bottom").setTicks([short])
        self.bars_plot.setXRange(-0.6, k - 0.4, padding=0)
        self.bars_plot.setYRange(0, 1.0, padding=0.03)

    # -- snapshots --------------------------------------------------------------------------
    def update_snapshot(self, snap) -> None:
        """Draw the regions (2-D data) or the shown sample and its outputs."""
        if snap is None or self._ds is None:
            return
        try:
            self._last_snap = snap
            if self._cols is not None:
                if snap.grid is not None:
                    self._draw_grid(snap.grid)
                self._draw_current(snap)
            else:
                self._draw_sample(snap)
        except (ValueError, IndexError, TypeError, KeyError, AttributeError):
            pass  # a snapshot that does not fit this data (a rebuild is on its way)

    def _draw_current(self, snap) -> None:
        x = snap.x
        if x is None or len(x) <= max(self._cols):
            self.current_marker.setData([], [])
            return
        c1, c2 = self._cols
        self.current_marker.setData([float(x[c1])], [float(x[c2])])

    def _draw_grid(self, grid: dict) -> None:
        xs = np.asarray(grid["xs"], dtype=float)
        ys = np.asarray(grid["ys"], dtype=float)
        out = np.asarray(grid["output"])
        k = self._n_classes
        units = grid.get("units")
        several_outputs = bool(units) and np.ndim(units[-1]) == 3 and np.shape(units[-1])[0] > 1
        if k is not None and (k > 2 or several_outputs):  # one colour per class
            self.region.setImage(self._class_regions(grid, out, k), lut=None, levels=(0, 255),
                                 autoLevels=False)
        else:
            if out.ndim == 3:  # (G, G, 1)
                out = out[..., 0]
            lo, hi = self._levels
            if k == 2 and out.size and float(np.nanmin(out)) < -1e-6:  # tanh-like output
                lo, hi = -1.0, 1.0
            self.region.setImage(out.astype(np.float32, copy=False), lut=self._region_lut,
                                 levels=(lo, hi), autoLevels=False)
        dx = (xs[-1] - xs[0]) / max(1, len(xs) - 1)
        dy = (ys[-1] - ys[0]) / max(1, len(ys) - 1)
        rect = QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)
        self.region.setRect(rect)
        if self._grid_rect != rect:
            self._grid_rect = rect
            self.plane.setRange(rect=rect, padding=0.0)

    def _class_regions(self, grid: dict, out: np.ndarray, k: int) -> np.ndarray:
        """(G, G, 3) uint8: each pixel the predicted class's colour, paler where unsure."""
        scores = None
        units = grid.get("units")
        if units:
            last = np.asarray(units[-1])
            if last.ndim == 3 and last.shape[0] == k:
                scores = np.moveaxis(last, 0, -1)
        if scores is None and out.ndim == 3 and out.shape[-1] == k:
            scores = out
        if scores is not None:
            cls = np.argmax(scores, axis=-1)
            p = np.max(scores, axis=-1)
            s = np.sum(scores, axis=-1)
            if np.all(np.abs(s - 1) < 1e-3):  # probabilities: shade by confidence
                conf = np.clip((p - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0)
            else:
                conf = np.ones_like(p)
        else:
            cls = np.rint(out).astype(np.int64)
            conf = np.ones(cls.shape)
        cls = np.clip(cls, 0, k - 1)
        table = np.array([[c.red(), c.green(), c.blue()] for c in (class_color(i) for i in range(k))],
                         dtype=np.float32)
        strength = (0.25 + 0.45 * conf)[..., None]  # never fully saturated: the dots must show
        rgb = 255.0 + (table[cls] - 255.0) * strength
        return rgb.astype(np.uint8)

    def _draw_sample(self, snap) -> None:
        ds = self._ds
        if ds.image_shape is not None and snap.x is not None:
            h, w = ds.image_shape
            x = np.asarray(snap.x, dtype=np.float32)
            if x.size == h * w:
                hi = 1.0 if float(x.max(initial=0.0)) <= 1.0 + 1e-6 else 255.0
                self.sample_image.setImage(x.reshape(h, w), levels=(0.0, hi), autoLevels=False)
        if not snap.a:
            return
        out = np.asarray(snap.a[-1], dtype=float).reshape(-1)
        k = ds.n_classes
        if k == 2 and out.size == 1:  # one sigmoid output: P(class 1)
            out = np.array([1.0 - out[0], out[0]])
        if out.size != self._bar_k:
            self._setup_bars(out.size, list(ds.class_names or []) if k == out.size else [])
        names = list(ds.class_names or [])
        true = self._true_label(snap)
        if k is not None:
            pred = int(np.argmax(out))
            brushes = [self._bar_pred_brush if i == pred else self._bar_brush for i in range(out.size)]
            pens = [self._bar_true_pen if i == true else self._bar_pen for i in range(out.size)]
            self.bars.setOpts(height=out, brushes=brushes, pens=pens)
            name = (lambda i: names[i] if 0 <= i < len(names) else str(i))
            if true is None:
                text = self.tr("sample {0} · predicted {1}").format(snap.sample_index, name(pred))
                color = self._fg
            else:
                ok = pred == true
                text = (self.tr("sample {0} · true {1} · predicted {2} ✓") if ok else
                        self.tr("sample {0} · true {1} · predicted {2} ✗")).format(
                    snap.sample_index, name(true), name(pred))
                color = CORRECT_COLOR if ok else WRONG_COLOR
            self.sample_caption.setText(text)
            self.sample_caption.setStyleSheet(f"color: {color.name()};")
        else:
            self.bars.setOpts(height=out, brushes=[self._bar_pred_brush] * out.size,
                              pens=[self._bar_pen] * out.size)
            t = snap.target
            self.sample_caption.setText(self.tr("output {0} · target {1}").format(
                ", ".join(f"{v:.3g}" for v in out),
                "—" if t is None else ", ".join(f"{v:.3g}" for v in np.ravel(t))))
            self.sample_caption.setStyleSheet("")
        lo, hi = float(min(0.0, out.min(initial=0.0))), float(max(1.0, out.max(initial=0.0)))
        self.bars_plot.setYRange(lo, hi, padding=0.03)

    def _true_label(self, snap) -> int | None:
        ds = self._ds
        if ds.n_classes is None:
            return None
        i = int(snap.sample_index)
        if 0 <= i < len(ds.y_train):
            return int(np.asarray(ds.y_train[i]).reshape(-1)[0])
        if snap.target is not None:
            t = np.ravel(snap.target)
            return int(np.argmax(t)) if t.size > 1 else int(t[0] > 0.5)
        return None

    # -- inspection (tests, status bar) -------------------------------------------------------
    def bar_heights(self) -> np.ndarray:
        h = self.bars.opts.get("height")
        return np.asarray([] if h is None else h, dtype=float)

    def highlighted_bar(self) -> int | None:
        brushes = self.bars.opts.get("brushes") or []
        hits = [i for i, b in enumerate(brushes) if b is self._bar_pred_brush]
        return hits[0] if len(hits) == 1 else None

    def clear(self) -> None:
        """Forget the data and every drawn item."""
        self._ds = None
        self._cols = None
        self._n_classes = None
        self._grid_rect = None
        self._last_snap = None
        self.train_scatter.setData([], [])
        self.test_scatter.setData([], [])
        self.current_marker.setData([], [])
        self.region.clear()
        self.class_key.clear()
        self.sample_image.clear()
        self._setup_bars(0, [])
        self.sample_caption.setText("")
        self.plane_caption.setText("")
        self.stack.setCurrentIndex(self.PAGE_EMPTY)
