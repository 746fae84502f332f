"""The training curves' y ranges in steps (issue 19).

pyqtgraph's auto-range fits the data exactly, so every refresh that brings a new lowest loss or a
new best accuracy moves the y range: the left axis then re-measures and re-draws its tick texts
and grid, and every curve of the plot is drawn again at the new scale (most of a refresh's cost).
:class:`SteppedViewBox` keeps pyqtgraph's auto-range (the "A" button, "View All", a zoom that
turns it off) but rounds the data's y bounds out to a :class:`SteppedSpan`: a range that holds
while the data stay inside it, and grows in a step (with one step to spare on the side the data
left by) when they leave it. It always covers every point; pyqtgraph's padding comes on top, as
before.
"""
from __future__ import annotations

import math

import pyqtgraph as pg


def nice_step(x: float) -> float:
    """The smallest 1-2-5 number (…, 0.1, 0.2, 0.5, 1, 2, …) at least ``x`` (x > 0)."""
    base = 10.0 ** math.floor(math.log10(x))
    return next(m * base for m in (1, 2, 5, 10) if m * base >= x * (1 - 1e-12))


class SteppedSpan:
    """A ``(lo, hi)`` around data bounds that changes only when it must (see the module docs)."""

    #: A step is the smallest 1-2-5 number at least this share of the data's span.
    STEP_SHARE = 0.04
    #: The span is also recomputed when the data fill less than this share of it (they shrank).
    MIN_FILL = 0.5
    #: Data this share of their span past a limit still keep the span at the limit.
    LIMIT_SLACK = 0.05

    def __init__(self):
        self.span: tuple[float, float] | None = None
        self.limits: tuple[float | None, float | None] = (None, None)

    def set_limits(self, lo: float | None = None, hi: float | None = None) -> None:
        """Bounds the span does not pass unless the data do (a loss is never below 0, an
        accuracy never above 100 %)."""
        self.limits = (lo, hi)
        self.span = None

    def reset(self) -> None:
        """Forget the current span (the next bounds set a fresh one)."""
        self.span = None

    def fit(self, lo: float, hi: float) -> tuple[float, float]:
        """The span for data from ``lo`` to ``hi``: the current one while it covers them."""
        cur = self.span
        if cur is not None and cur[0] <= lo and hi <= cur[1] and hi - lo >= self.MIN_FILL * (cur[1] - cur[0]):
            return cur
        width = hi - lo
        if not width > 0:  # one value (or flat data): a span of a tenth of it
            width = abs(hi) * 0.1 or 1.0
        step = nice_step(width * self.STEP_SHARE)
        new_lo, new_hi = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
        if cur is not None:  # grown: a step to spare where the data left it, so it holds a while
            new_lo -= step if lo < cur[0] else 0.0
            new_hi += step if hi > cur[1] else 0.0
        if new_hi - new_lo < step:
            new_lo, new_hi = new_lo - step, new_hi + step
        low, high = self.limits  # (a symbol's radius may reach a little past a limit: the
        slack = self.LIMIT_SLACK * width  # view's padding shows it)
        if low is not None and lo >= low - slack:
            new_lo = max(new_lo, low)
        if high is not None and hi <= high + slack:
            new_hi = min(new_hi, high)
        self.span = (round(new_lo, 12), round(new_hi, 12))
        return self.span


class SteppedViewBox(pg.ViewBox):
    """A view box whose children's y bounds (what its auto-range fits) move in steps."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.y_steps = SteppedSpan()
        self._limits: tuple = (None, None)

    def set_step_limits(self, lo: float | None = None, hi: float | None = None) -> None:
        """The data's limits (see :meth:`SteppedSpan.set_limits`), kept on a linear y axis only;
        fits afresh at the next auto-range."""
        self._limits = (lo, hi)
        self._apply_limits()

    def setLogMode(self, axis, logMode) -> None:
        # (the plot's log scale, from nnviz's checkbox or pyqtgraph's menu): y is log10 now
        super().setLogMode(axis, logMode)
        if axis == "y":
            self._apply_limits()

    def _apply_limits(self) -> None:
        log = self.state["logMode"][1]
        self.y_steps.set_limits(*((None, None) if log else self._limits))
        self.queueUpdateAutoRange()

    def reset_steps(self) -> None:
        """Fit the data afresh at the next auto-range (new data, or the scale changed)."""
        self.y_steps.reset()
        self.queueUpdateAutoRange()

    def childrenBounds(self, frac=None, orthoRange=(None, None), items=None):
        bounds = super().childrenBounds(frac=frac, orthoRange=orthoRange, items=items)
        y = bounds[1]
        if items is None and y is not None and all(map(math.isfinite, y)):
            bounds[1] = list(self.y_steps.fit(*y))
        return bounds
