"""An invisible right end for a plot's auto-range, moved in steps (issue 19).

pyqtgraph's auto-range follows the newest per-batch point: the x range changes on every
refresh, so both plots' bottom axes re-measure and re-draw their tick texts and every item is
drawn again at the new scale (most of a refresh's cost). :class:`XAnchor` adds one x bound, the
data's right end rounded up to a 1-2-5 step of about 2 % of the range: the range (and the axes'
cached pictures) then stays put for many refreshes, and the curves never reach past it.

While training runs fast (the data's end moves more than a step per refresh), the anchor also
looks ahead: it leaves room for about :data:`LEAD_S` seconds of growth at the current speed
(at most :data:`MAX_LEAD` of the range), so the range moves about once a second instead of at
every refresh; :meth:`XAnchor.settle` fits it tightly again (the plots call it when training
pauses). Slow training (a speed to watch) leaves no visible room. It draws nothing and has no
y bound, so the y auto-range is the view box's own.
"""
from __future__ import annotations

import math
import time
from collections import deque

import pyqtgraph as pg
from PySide6.QtCore import QRectF

#: The step is the smallest 1-2-5 number at least this share of the data's right end.
STEP_SHARE = 0.02
#: Seconds of growth (at the speed of the last second or so) the range leaves room for ...
LEAD_S = 1.0
#: ... but never more room than this share of the data's right end.
MAX_LEAD = 0.15
#: The speed is measured over at least this many seconds.
MIN_RATE_S = 0.1
#: Pixels the anchor reaches past its x: at least what the curves' pens and dots do.
PIXEL_PADDING = 5.0


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

    def __init__(self, view_box: pg.ViewBox, clock=time.monotonic):
        super().__init__()
        self.x = None
        self.clock = clock
        self._seen: deque = deque()   # (time, data's right end) of about the last second
        self._x_max = None
        view_box.addItem(self)

    def set_right(self, x_max: float | None) -> None:
        """The data reach ``x_max``: move the anchor only when they pass it (or shrank far
        below it: a new run, a rescaled x)."""
        if x_max is None or not math.isfinite(x_max):
            self._seen.clear()
            self._x_max = None
            return self._move(None)
        now = self.clock()
        self._x_max = x_max
        seen = self._seen
        seen.append((now, x_max))
        while len(seen) > 2 and now - seen[1][0] >= LEAD_S:
            seen.popleft()  # (the oldest one left is about a second old)
        if self.x is not None and x_max <= self.x <= step_end(x_max * (1 + MAX_LEAD)):
            return
        t0, x0 = seen[0]
        # the speed of the last second (data that came all at once, e.g. a loaded history, or
        # in the first tenth of a second: no room ahead)
        rate = (x_max - x0) / (now - t0) if now - t0 >= MIN_RATE_S else 0.0
        lead = min(max(0.0, rate * LEAD_S), MAX_LEAD * x_max) if x_max > 0 else 0.0
        self._move(step_end(x_max + lead))

    def settle(self) -> None:
        """Fit the data's right end tightly (no room ahead), e.g. once training pauses."""
        if self._x_max is not None:
            self._move(step_end(self._x_max))

    def _move(self, end) -> None:
        if end != self.x:
            self.x = end
            self.informViewBoundsChanged()

    def follow(self, *columns) -> None:
        """The right end of the last values of ``columns`` (ascending x columns, some empty)."""
        ends = [c[-1] for c in columns if len(c)]
        self.set_right(float(max(ends)) if ends else None)

    def dataBounds(self, ax, frac=1.0, orthoRange=None):
        return (self.x, self.x) if ax == 0 and self.x is not None else (None, None)

    def pixelPadding(self) -> float:
        # as much as the curves' pens and dots reach past their data (pyqtgraph pads the range
        # by that), so a curve that reaches the anchor does not push the range a few pixels on
        return PIXEL_PADDING

    def boundingRect(self) -> QRectF:
        return QRectF()

    def paint(self, *args) -> None:
        pass
