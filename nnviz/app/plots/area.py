"""The training curves' graphics view (issue 19): two plots whose y ranges move in steps, in a
view that times its own paints, so the frame drawer can pace the plots by their own cost (not by
whatever else the same frame paints)."""
from __future__ import annotations

import math
import time

import pyqtgraph as pg
from PySide6.QtCore import QTimer

from nnviz.app.plots.ranges import SteppedViewBox
from nnviz.app.plots.style import style_plot


class PaintClock:
    """For a pyqtgraph ``GraphicsView``: adds up the seconds of its paints, in wall time
    (``paint_seconds``) and in the UI thread's CPU time (``paint_cpu_seconds``)."""

    paint_seconds = 0.0
    paint_cpu_seconds = 0.0
    paints = 0

    def paintEvent(self, ev) -> None:
        t, c = time.perf_counter(), time.thread_time()
        try:
            super().paintEvent(ev)
        finally:
            self.paint_seconds += time.perf_counter() - t
            self.paint_cpu_seconds += time.thread_time() - c
            self.paints += 1


class TwinAxis(pg.AxisItem):
    """A bottom axis that draws the same ticks as its ``twin``, the other plot's bottom axis (the
    x ranges are linked, the sizes and styles equal): when one has made the picture of its ticks
    for a range and a size, the other replays it instead of measuring every text again."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.twin: TwinAxis | None = None
        self._picture_of = None   # what the current picture was made for

    def _picture_key(self) -> tuple:
        size, (lo, hi) = self.size(), self.range
        digits = 6 - math.floor(math.log10(abs(hi - lo) or 1.0))  # (the linked range may differ
        return (round(lo, digits), round(hi, digits), size.width(), size.height(),  # in its last bits)
                self.logMode, self.scale)

    def paint(self, p, opt, widget) -> None:
        if self.picture is None:
            key, twin = self._picture_key(), self.twin
            if twin is not None and twin.picture is not None and twin._picture_of == key:
                self.picture = twin.picture
            self._picture_of = key  # (still None: made below, for this key)
        super().paint(p, opt, widget)


class TimedPlotWidget(PaintClock, pg.PlotWidget):
    """A ``pg.PlotWidget`` that counts its paints' seconds (the confusion matrix's)."""


class PlotArea(PaintClock, pg.GraphicsLayoutWidget):
    """The loss plot over the accuracy plot (x linked, y ranges in steps, legends in their
    corners), counting its paints' seconds."""

    def __init__(self, fg, bg):
        super().__init__()
        self.setBackground(bg)
        self.ci.setContentsMargins(2, 2, 6, 2)
        self.loss_plot = self._stepped_plot(0, fg, bg)
        self.acc_plot = self._stepped_plot(1, fg, bg)
        self.acc_plot.setXLink(self.loss_plot)
        bottoms = self.loss_plot.getAxis("bottom"), self.acc_plot.getAxis("bottom")
        bottoms[0].twin, bottoms[1].twin = bottoms[1], bottoms[0]
        self.loss_plot.vb.set_step_limits(0.0)
        self.acc_plot.vb.set_step_limits(0.0, 100.0)
        # one row each (a thin strip hides less of the curves), see-through
        self.loss_legend = self.loss_plot.addLegend(offset=(-6, 6), labelTextColor=fg, colCount=3)
        self.acc_legend = self.acc_plot.addLegend(offset=(-6, -6), labelTextColor=fg, colCount=2)
        for leg in (self.loss_legend, self.acc_legend):
            leg.setBrush(pg.mkBrush(bg.red(), bg.green(), bg.blue(), 200))

    def fit_legends(self) -> None:
        """Stack a legend's entries in fewer columns when one row of them is wider than its plot
        (a narrow dock, longer names in Chinese, other runs' entries): cut at the plot's left
        edge, "train (per batch)" read as "er batch)"."""
        for leg, most in ((self.loss_legend, 3), (self.acc_legend, 2)):
            box = leg.parentItem()
            if box is None or not leg.items:
                continue
            room = box.boundingRect().width() - 12   # (the legend's offset on both sides)
            widths = [sample.boundingRect().width() + label.item.boundingRect().width()
                      for sample, label in leg.items]
            left, _top, right, _bottom = leg.layout.getContentsMargins()
            gap = leg.layout.horizontalSpacing()

            def row_width(n: int) -> float:   # the widest row with n entries a row
                return max(sum(widths[i:i + n]) + gap * (2 * len(widths[i:i + n]) - 1)
                           for i in range(0, len(widths), n)) + left + right
            n = most
            while n > 1 and row_width(n) > room:
                n -= 1
            leg.setColumnCount(n)
            leg.layout.activate()   # (the entries take their new sizes now, then the legend)
            leg.updateSize()

    def resizeEvent(self, ev) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(ev)
        QTimer.singleShot(0, self, self.fit_legends)   # once the plots have their new sizes

    def _stepped_plot(self, row: int, fg, bg) -> pg.PlotItem:
        """A styled plot in ``row`` whose view box steps its y range (:class:`SteppedViewBox`)."""
        plot = self.addPlot(row=row, col=0, viewBox=SteppedViewBox(), axisItems={"bottom": TwinAxis("bottom")})
        style_plot(plot, fg, bg)
        plot.getAxis("left").setWidth(52)
        # "loss (x0.001)" confuses learners; and a hidden axis with the SI prefix on rewrites its
        # label (HTML, then a new layout) at every change of the range
        for side in ("left", "bottom", "right", "top"):
            plot.getAxis(side).enableAutoSIPrefix(False)
        return plot
