"""The scrubbed moment's vertical line on the loss and accuracy plots
(:meth:`nnviz.app.plots.metrics.MetricsPlots.set_marker`)."""
from __future__ import annotations

import pyqtgraph as pg

#: The marker's colour (purple: apart from the blue train and orange test curves).
MARKER_COLOR = "#7a3db8"


def set_marker(owner, plots, epoch: float | None) -> None:
    """A vertical line at ``epoch`` on each of ``plots`` (made once, kept on ``owner``); None hides it."""
    lines = getattr(owner, "_scrub_markers", None)
    if lines is None:
        lines = owner._scrub_markers = []
        for p in plots:
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen(MARKER_COLOR, width=2))
            p.addItem(line, ignoreBounds=True)
            lines.append(line)
    for line in lines:
        line.setVisible(epoch is not None)
        if epoch is not None:
            line.setValue(float(epoch))


def marker_epoch(owner) -> float | None:
    """Where the marker stands (None: hidden)."""
    lines = getattr(owner, "_scrub_markers", None)
    if not lines or not lines[0].isVisible():
        return None
    return float(lines[0].value())
