"""The loss landscape's picture: a heat map with contour lines, a colour bar, the runs' paths
and the current point; hovering reads α, β and the loss (stock pyqtgraph items fed arrays)."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from nnviz.app.landscape.contours import contour_segments
from nnviz.app.plots.style import fmt_loss, style_plot
from nnviz.app.theme import theme_colors
from nnviz.app.translation import retranslate
from nnviz.i18n import _

#: Contour lines drawn over the heat map.
N_CONTOURS = 10
#: Paths with more points than this are drawn as lines without a dot per checkpoint.
MAX_DOTS = 120


def display_values(loss: np.ndarray, log: bool) -> np.ndarray:
    """What the colours show: the loss, or log₁₀ of it (non-positive and non-finite values
    take the smallest finite one, so the picture has no holes)."""
    z = np.array(loss, dtype=np.float64)
    finite = np.isfinite(z)
    if log:
        pos = finite & (z > 0)
        floor = z[pos].min() if pos.any() else 1.0
        z = np.where(pos, z, floor)
        z = np.log10(z)
    elif finite.any():
        hi = z[finite].max()
        z = np.where(finite, z, hi)
    else:
        z = np.zeros_like(z)
    return z


class LandscapePlot(QWidget):
    """Draws a :class:`~nnviz.app.landscape.job.Result`; :attr:`hovered` says what is under
    the mouse (a text, "" when outside)."""

    hovered = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        bg, fg = theme_colors(self)
        self.widget = pg.PlotWidget(background=bg)
        self.plot: pg.PlotItem = self.widget.getPlotItem()
        style_plot(self.plot, fg, bg, grid=False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getViewBox().setAspectLocked(False)
        self.image = pg.ImageItem(axisOrder="col-major")   # image[i, j]: x = α index, y = β index
        self.plot.addItem(self.image)
        self.cmap = pg.colormap.get("viridis")
        self.image.setLookupTable(self.cmap.getLookupTable(nPts=256))
        self.colorbar = pg.ColorBarItem(colorMap=self.cmap, interactive=False, width=14)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.colorbar.axis.enableAutoSIPrefix(False)
        self.colorbar.axis.setWidth(58)   # room for the tick numbers and the rotated label
        # the contour lines: one item of segment pairs (see nnviz.app.landscape.contours)
        self.contours = pg.PlotCurveItem(pen=pg.mkPen((255, 255, 255, 150), width=1), connect="pairs")
        self.contours.setZValue(5)
        self.plot.addItem(self.contours)
        self.paths: list[pg.PlotDataItem] = []
        self.current = pg.ScatterPlotItem(size=14, symbol="star", pen=pg.mkPen("k", width=1),
                                          brush=pg.mkBrush("#ffffff"))
        self.current.setZValue(20)
        self.plot.addItem(self.current)
        self.legend = self.plot.addLegend(offset=(6, 6), labelTextColor=fg, brush=pg.mkBrush(bg.red(), bg.green(), bg.blue(), 210),
                                          pen=pg.mkPen(fg))
        self._result = None
        self._log = False
        self.widget.scene().sigMouseMoved.connect(self._mouse_moved)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.widget)
        self.setMinimumSize(240, 220)
        retranslate(self)

    def retranslate_ui(self) -> None:
        d = self._result.surface.directions if self._result is not None else None
        a, b = axis_names(d)
        self.plot.setLabel("bottom", a)
        self.plot.setLabel("left", b)
        self.colorbar.axis.setLabel(_("log₁₀ loss") if self._log else _("loss"))

    # -- drawing ------------------------------------------------------------------------
    def set_log(self, on: bool) -> None:
        self._log = bool(on)
        if self._result is not None:
            self.show_result(self._result)
        self.retranslate_ui()

    def clear(self) -> None:
        self._result = None
        self.image.clear()
        self.contours.setData([], [])
        self._clear_paths()
        self.current.setData([], [])
        self.retranslate_ui()

    def show_result(self, result) -> None:
        self._result = result
        s = result.surface
        z = display_values(s.loss, self._log)
        lo, hi = float(np.min(z)), float(np.max(z))
        if not hi > lo:
            hi = lo + 1e-12
        self.image.setImage(z, autoLevels=False, levels=(lo, hi))
        n = len(s.alphas)
        step = (s.alphas[-1] - s.alphas[0]) / (n - 1)
        rect = QRectF(s.alphas[0] - step / 2, s.betas[0] - step / 2, step * n, step * n)
        self.image.setRect(rect)
        self.colorbar.setLevels((lo, hi))
        levels = np.linspace(lo, hi, N_CONTOURS + 2)[1:-1]
        cx, cy = contour_segments(z, levels, s.alphas, s.betas)
        self.contours.setData(cx, cy, connect="pairs")
        self._clear_paths()
        for name, colour, coords in result.paths:
            dots = dict(symbol="o", symbolSize=3, symbolBrush=colour, symbolPen=None) if len(coords) <= MAX_DOTS else {}
            item = pg.PlotDataItem(coords[:, 0], coords[:, 1], pen=pg.mkPen(colour, width=2), name=name, **dots)
            item.setZValue(10)
            self.plot.addItem(item)
            self.paths.append(item)
            if len(coords):
                start = pg.ScatterPlotItem([coords[0, 0]], [coords[0, 1]], size=8, symbol="s",
                                           brush=pg.mkBrush(colour), pen=pg.mkPen("w"))
                start.setZValue(11)
                self.plot.addItem(start)
                self.paths.append(start)
        self.current.setData([0.0], [0.0])
        self.plot.setRange(rect, padding=0)
        self.retranslate_ui()

    def _clear_paths(self) -> None:
        for item in self.paths:
            self.plot.removeItem(item)
            if self.legend is not None:
                self.legend.removeItem(item)
        self.paths = []

    # -- hover ----------------------------------------------------------------------------
    def value_at(self, alpha: float, beta: float):
        """``(α, β, loss)`` of the grid point nearest to (alpha, beta), or None outside."""
        if self._result is None:
            return None
        s = self._result.surface
        n = len(s.alphas)
        step = (s.alphas[-1] - s.alphas[0]) / (n - 1)
        i = int(round((alpha - s.alphas[0]) / step))
        j = int(round((beta - s.betas[0]) / step))
        if not (0 <= i < n and 0 <= j < n):
            return None
        return float(s.alphas[i]), float(s.betas[j]), float(s.loss[i, j])

    def hover_text(self, alpha: float, beta: float) -> str:
        v = self.value_at(alpha, beta)
        if v is None:
            return ""
        return _("α = {alpha}, β = {beta}: loss {loss}").format(
            alpha=f"{v[0]:.3g}", beta=f"{v[1]:.3g}", loss=fmt_loss(v[2]) if math.isfinite(v[2]) else "—")

    def _mouse_moved(self, pos: QPointF) -> None:
        vb = self.plot.getViewBox()
        if not vb.sceneBoundingRect().contains(pos):
            self.hovered.emit("")
            return
        p = vb.mapSceneToView(pos)
        self.hovered.emit(self.hover_text(p.x(), p.y()))


def axis_names(directions) -> tuple[str, str]:
    """The α and β axis labels for these directions."""
    if directions is not None and directions.kind == "axes":
        a, b = directions.info["axes"]
        return _("α: change of {param}").format(param=a), _("β: change of {param}").format(param=b)
    if directions is not None and directions.kind == "pca":
        v = directions.info.get("explained_variance", [0, 0])
        return (_("α: 1st principal direction ({share} of the path)").format(share=f"{100 * v[0]:.0f}%"),
                _("β: 2nd principal direction ({share} of the path)").format(share=f"{100 * v[1]:.0f}%"))
    if directions is not None and directions.kind == "random":
        return _("α: random direction 1"), _("β: random direction 2")
    return "α", "β"

