"""An invisible right end for a plot's auto-range, moved in steps (issue 19).

pyqtgraph's auto-range follows the newest per-batch point: the x range changes on every
refresh, so both plots' bottom axes re-measure and re-draw their tick texts each time (the
largest part of one refresh's cost). :class:`XAnchor` adds one x bound, the data's right end
rounded up to a 1-2-5 step of about 2 % of the range: the range (and the axes' cached
pictures) then stays put for many refreshes, and the curves never reach past it by more than
a step. It draws nothing and has no y bound, so the y auto-range is pyqtgraph's own.
"""
from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QRectF

#: The step is the smallest 1-2-5 number at least this share of the data's right end.
STEP_SHARE = 0.02


def step_end(x: float, share: float = STEP_SHARE) -> float:
    """``x`` rounded up to a multiple of a 1-2-5 step of at least ``share * x`` (x > 0)."""
    if not math.isfinite(x) or x <= 0:
        return x
    want = x * share
    base = 10.0 ** math.floor(math.log10(want))
    step = next(m * base for m in (1, 2, 5, 10) if m * base >= want)
    return round(math.ceil(x / step - 1e-9) * step, 12)


class XAnchor(pg.GraphicsObject):
    """One x value in the view box's auto-range bounds; nothing painted."""

    def __init__(self, view_box: pg.ViewBox):
        super().__init__()
        self.x = None
        view_box.addItem(self)

    def set_right(self, x_max: float | None) -> None:
        """The data reach ``x_max``: move the anchor only when it passes the current step."""
        end = None if x_max is None or not math.isfinite(x_max) else step_end(x_max)
        if end == self.x:
            return
        self.x = end
        self.informViewBoundsChanged()

    def follow(self, *columns) -> None:
        """The right end of the last values of ``columns`` (ascending x columns, some empty)."""
        ends = [c[-1] for c in columns if len(c)]
        self.set_right(float(max(ends)) if ends else None)

    def dataBounds(self, ax, frac=1.0, orthoRange=None):
        return (self.x, self.x) if ax == 0 and self.x is not None else (None, None)

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, *args) -> None:
        pass
