"""The training curves' graphics view (issue 19): two plots whose y ranges move in steps, in a
view that times its own paints, so the frame drawer can pace the plots by their own cost (not by
whatever else the same frame paints)."""
from __future__ import annotations

import time

import pyqtgraph as pg

from nnviz.app.plots.ranges import SteppedViewBox
from nnviz.app.plots.style import style_plot


class PlotArea(pg.GraphicsLayoutWidget):
    """A ``GraphicsLayoutWidget`` that adds up the seconds of its paints (``paint_seconds``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.paint_seconds = 0.0
        self.paints = 0

    def paintEvent(self, ev) -> None:
        t = time.perf_counter()
        try:
            super().paintEvent(ev)
        finally:
            self.paint_seconds += time.perf_counter() - t
            self.paints += 1

    def add_stepped_plot(self, row: int, fg, bg) -> pg.PlotItem:
        """A styled plot in ``row`` whose view box steps its y range (:class:`SteppedViewBox`)."""
        plot = self.addPlot(row=row, col=0, viewBox=SteppedViewBox())
        style_plot(plot, fg, bg)
        plot.getAxis("left").setWidth(52)
        # "loss (x0.001)" confuses learners; and a hidden axis with the SI prefix on rewrites its
        # label (HTML, then a new layout) at every change of the range
        for side in ("left", "bottom", "right", "top"):
            plot.getAxis(side).enableAutoSIPrefix(False)
        return plot
