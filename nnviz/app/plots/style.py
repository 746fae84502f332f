"""How nnviz's pyqtgraph plots look and how their numbers read."""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont

from nnviz.app.history import num
from nnviz.app.theme import blend


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


def fmt_loss(v) -> str:
    v = num(v)
    if not math.isfinite(v):
        return "—"
    if v != 0 and (abs(v) < 1e-3 or abs(v) >= 1e4):
        return f"{v:.3g}"
    return f"{v:.4f}"


def fmt_acc(v) -> str:
    v = num(v)
    return "—" if not math.isfinite(v) else f"{100 * v:.1f}%"


