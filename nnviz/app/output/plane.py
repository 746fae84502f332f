"""The input plane of 2-D data: the network's decision regions under the data points.

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
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from nnviz.app.plots import style_plot
from nnviz.app.plots.menus import retranslate_plot_menus
from nnviz.app.theme import CLASS_COLORS, class_color, diverging_lut, theme_colors
from nnviz.app.translation import retranslate
from nnviz.i18n import _

#: At most this many training / test points are drawn (a fixed random subset beyond).
MAX_TRAIN_POINTS = 2000
MAX_TEST_POINTS = 1000
#: Steps of the prebuilt colour scale for regression targets.
N_VALUE_BRUSHES = 64
#: At most this many training points get the large dots (a logic gate's four rows, ...).
FEW_POINTS = 50

_DERIVED = {"x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"}


def plane_columns(ds) -> tuple[int, int] | None:
    """Columns of x1 and x2 in the inputs, or None when the data is not a plane."""
    if ds.image_shape:
        return None
    names = [str(n).replace(" ", "") for n in (ds.feature_names or [])]
    if "x1" in names and "x2" in names:
        return names.index("x1"), names.index("x2")
    if _DERIVED & set(names):  # e.g. only x1², x2²: the point (x1, x2) cannot be recovered
        return None
    if ds.n_features == 2:
        return 0, 1
    return None


def subsample(n: int, cap: int) -> np.ndarray:
    """Sorted indices of at most ``cap`` of ``n`` rows, the same ones every time."""
    if n <= cap:
        return np.arange(n)
    return np.sort(np.random.default_rng(0).choice(n, cap, replace=False))


def class_regions(grid: dict, k: int) -> np.ndarray:
    """(G, G, 3) uint8: each grid point the predicted class's colour, paler where unsure.

    The class scores come from ``units[-1]`` (k, G, G) or a (G, G, k) ``output``; they are
    probabilities (summing to 1) when the network ends in softmax, and then the colour's
    strength follows the confidence. Without scores, ``output`` holds class indices."""
    out = np.asarray(grid["output"])
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


def grid_rect(xs: np.ndarray, ys: np.ndarray) -> QRectF:
    """The plane area the grid covers: each grid point is the centre of one image pixel."""
    dx = (xs[-1] - xs[0]) / max(1, len(xs) - 1)
    dy = (ys[-1] - ys[0]) / max(1, len(ys) - 1)
    return QRectF(xs[0] - dx / 2, ys[0] - dy / 2, xs[-1] - xs[0] + dx, ys[-1] - ys[0] + dy)


class PlaneView(QWidget):
    """Decision regions (an image under the points), the data points, the shown sample's ring,
    and a row under the plot: "Show test data", the classes' colour key and a caption."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._cols: tuple[int, int] | None = None
        self._n_classes: int | None = None
        self._levels = (0.0, 1.0)
        self._grid_rect: QRectF | None = None
        bg, fg = theme_colors(self)

        # prebuilt brushes and pens (indexed per point, never made per frame)
        self._class_brushes = [pg.mkBrush(class_color(i)) for i in range(len(CLASS_COLORS))]
        self._class_pens = [pg.mkPen(class_color(i), width=1.6) for i in range(len(CLASS_COLORS))]
        lut = diverging_lut(N_VALUE_BRUSHES)
        self._value_brushes = [pg.mkBrush(*map(int, c)) for c in lut]
        self._value_pens = [pg.mkPen(QColor(*map(int, c)).darker(115), width=1.6) for c in lut]
        self._edge_pen = pg.mkPen(QColor(255, 255, 255, 200), width=0.8)
        self._value_edge_pen = pg.mkPen(QColor(90, 90, 90, 160), width=0.6)  # for white (≈0) targets
        self._hollow_brush = pg.mkBrush(None)
        self._region_lut = diverging_lut(256, lighten=0.35)

        self.plot_widget = pg.PlotWidget(background=bg)
        self.plot: pg.PlotItem = self.plot_widget.getPlotItem()
        style_plot(self.plot, fg, bg, grid=False)
        self.plot.getViewBox().setAspectLocked(True)
        self.plot.setLabel("bottom", "x1")
        self.plot.setLabel("left", "x2")
        self.region = pg.ImageItem(axisOrder="row-major")
        self.region.setZValue(-10)
        self.plot.addItem(self.region)
        self.train_scatter = pg.ScatterPlotItem(size=6, pen=self._edge_pen, symbol="o")
        self.train_scatter.setZValue(5)
        self.test_scatter = pg.ScatterPlotItem(size=7, brush=self._hollow_brush, symbol="o")
        self.test_scatter.setZValue(4)
        self.current_marker = pg.ScatterPlotItem(
            size=16, symbol="o", brush=self._hollow_brush, pen=pg.mkPen(fg, width=2))
        self.current_marker.setZValue(6)
        for it in (self.train_scatter, self.test_scatter, self.current_marker):
            self.plot.addItem(it)
        self._build_key_row()
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.plot_widget.setToolTip(_(
            "The background shows what the network answers at every point of the input plane "
            "(its decision regions); the dots are the training data, coloured by their true "
            "class. Where a dot's colour differs from the background, the network is wrong."))
        self.class_key.setToolTip(_("The colour of each class's dots."))
        self.show_test_check.setText(_("Show test data"))
        self.show_test_check.setToolTip(_(
            "Also draw the test points (hollow circles): data the network never trains on, "
            "used to check that it generalises."))
        if self._cols is not None:
            self.caption.setText(self._caption_text())
        retranslate_plot_menus(self.plot)

    def _build_key_row(self) -> None:
        # the classes' colours, under the plot (a legend inside it hid the points in its corner)
        self.class_key = QLabel()
        self.class_key.setTextFormat(Qt.TextFormat.RichText)
        self.show_test_check = QCheckBox()
        self.show_test_check.toggled.connect(self.test_scatter.setVisible)
        self.test_scatter.setVisible(False)
        self.caption = QLabel()
        self.caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.caption.setWordWrap(True)
        self.caption.setEnabled(False)
        row = QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 2)
        row.addWidget(self.show_test_check)
        row.addSpacing(10)
        row.addWidget(self.class_key)
        row.addSpacing(6)
        row.addWidget(self.caption, 1)
        v = QVBoxLayout(self)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(self.plot_widget, 1)
        v.addLayout(row)

    # -- data -------------------------------------------------------------------------------
    def set_data(self, ds, cols: tuple[int, int]) -> None:
        """Draw ``ds``'s points, its input columns ``cols`` as (x1, x2)."""
        self.clear()
        self._cols = cols
        self._n_classes = ds.n_classes
        c1, c2 = cols
        names = list(ds.feature_names or [])
        self.plot.setLabel("bottom", names[c1] if c1 < len(names) else "x1")
        self.plot.setLabel("left", names[c2] if c2 < len(names) else "x2")
        if ds.n_classes is None:  # regression: a symmetric colour scale over the targets
            y_all = np.asarray(ds.y_train, dtype=float)
            m = float(np.nanmax(np.abs(y_all))) if y_all.size else 1.0
            m = m if math.isfinite(m) and m > 0 else 1.0
            self._levels = (-m, m)
        else:
            self._levels = (0.0, 1.0)
        few = len(ds.x_train) <= FEW_POINTS
        for part, x, y, cap, scatter in (("train", ds.x_train, ds.y_train, MAX_TRAIN_POINTS, self.train_scatter),
                                         ("test", ds.x_test, ds.y_test, MAX_TEST_POINTS, self.test_scatter)):
            if len(x) == 0:
                scatter.setData([], [])
                continue
            idx = subsample(len(x), cap)
            pts = ds.inputs(np.asarray(x)[idx], np.float64)[:, [c1, c2]]
            yy = np.asarray(y)[idx]
            if part == "train":
                edge = self._edge_pen if ds.n_classes is not None else self._value_edge_pen
                scatter.setData(pts[:, 0], pts[:, 1], brush=self._point_style(yy, False),
                                pen=edge, size=11 if few else 6)
            else:
                scatter.setData(pts[:, 0], pts[:, 1], pen=self._point_style(yy, True),
                                brush=self._hollow_brush, size=12 if few else 7)
        self.show_test_check.setEnabled(len(ds.x_test) > 0)
        self._set_class_key(ds)
        self.plot.enableAutoRange()
        self.plot.autoRange()
        self.plot.disableAutoRange()
        self.caption.setText(self._caption_text())

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

    def _caption_text(self) -> str:
        if self._n_classes is None:
            lo, hi = self._levels
            return _("orange {low} · white 0 · blue {high}").format(low=f"{lo:.2g}", high=f"{hi:.2g}")
        if self._n_classes == 2:
            return _("output: orange 0 · blue 1")
        return _("paler = less sure")

    def _set_class_key(self, ds) -> None:
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

    # -- snapshots --------------------------------------------------------------------------
    def draw(self, snap) -> None:
        """The regions from ``snap.grid`` (when it has one) and the ring on ``snap.x``."""
        if self._cols is None:
            return
        if snap.grid is not None:
            self._draw_grid(snap.grid)
        self._draw_current(snap)

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
            self.region.setImage(class_regions(grid, k), lut=None, levels=(0, 255), autoLevels=False)
        else:
            if out.ndim == 3:  # (G, G, 1)
                out = out[..., 0]
            lo, hi = self._levels
            if k == 2 and out.size and float(np.nanmin(out)) < -1e-6:  # tanh-like output
                lo, hi = -1.0, 1.0
            self.region.setImage(out.astype(np.float32, copy=False), lut=self._region_lut,
                                 levels=(lo, hi), autoLevels=False)
        rect = grid_rect(xs, ys)
        self.region.setRect(rect)
        if self._grid_rect != rect:  # the view follows the grid only when it moves
            self._grid_rect = rect
            self.plot.setRange(rect=rect, padding=0.0)

    def clear(self) -> None:
        """Forget the data: no points, no regions, no key."""
        self._cols = None
        self._n_classes = None
        self._grid_rect = None
        self.train_scatter.setData([], [])
        self.test_scatter.setData([], [])
        self.current_marker.setData([], [])
        self.region.clear()
        self.class_key.clear()
        self.caption.setText("")
