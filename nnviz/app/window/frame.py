"""Drawing one snapshot in every view: the two-phase frame that keeps training fast.

:class:`FrameDrawer` is connected (directly, on the UI thread) to the model's ``snapshot``
signal, which the :class:`~nnviz.app.training.controller.TrainingController` emits while the worker waits for
the frame: everything done here is counted as the frame's cost by the worker's adaptive
throttle (see the README's "How the window keeps training fast").
"""
from __future__ import annotations

import time
from collections import deque
from typing import Callable

import numpy as np
from PySide6.QtCore import QCoreApplication


class FrameDrawer:
    """Updates the diagram every frame, the slower pyqtgraph views at their own pace."""

    PLOT_INTERVAL_S = 0.23    # plots and the confusion matrix redraw at least 4 times a second
    #                           (a frame comes every ~37 ms, so a 0.25 s beat often slipped),
    PLOT_SHARE = 0.03         # as long as their refreshes (update + paint, in the UI thread's CPU
    #                           time) take at most this share of the time; slower ones space out,
    #                           to once a second
    PLOT_SHARE_ELSEWHERE = 0.12  # the same while training runs in the child process: a refresh
    #                           then costs the UI thread only, which has time to spare
    OUTPUT_INTERVAL_S = 0.5   # the output view (its paint runs in Python) at most twice a second
    # ... and only after this many frames without either (or a second without it): the worker's
    # throttle reads the median frame cost, which must stay a diagram-only frame's (if every frame
    # refreshed the plots, the median would be the plots' cost and hold the frame rate at ~4/s;
    # with 2, at most a third of the frames are heavy, and 25 frames a second leave room for the
    # plots' 4 and the output's 2 refreshes)
    LIGHT_FRAMES_BETWEEN = 2
    OVERDUE_S = 1.0

    def __init__(self, diagram, output, output_dock, plots, confusion, on_status: Callable,
                 clock: Callable[[], float] = time.monotonic, cpu_clock: Callable[[], float] = time.thread_time):
        self.diagram, self.output, self.output_dock = diagram, output, output_dock
        self.plots, self.confusion = plots, confusion
        self.on_status = on_status
        # the schedule's clock, and the one a refresh's cost is measured with: the UI thread's
        # CPU time (on a busy machine the wall time also counts other programs' turns)
        self.clock, self.cpu_clock = clock, cpu_clock
        self.diagram_held = False  # the digit canvas shows the drawing in the diagram meanwhile
        self.scrubbing = False     # a recorded moment is shown: live snapshots only feed the plots
        self.class_names: list = []
        self._output_t = 0.0
        self._plots_t = 0.0
        self._light_frames = 0     # frames since the last one that refreshed the output or the plots
        self._plot_costs: list = []  # CPU seconds of the last few plot refreshes (their own cost)
        self.plot_flushes = 0      # how often the plots were redrawn (the benchmarks read it)
        # for the benchmarks, seconds of the last refreshes: the plots' own (update + paint) in
        # CPU and in wall time, and the whole frame's that refreshed them (wall time, with the
        # other views' pending paints)
        self.plot_refresh_costs: deque = deque(maxlen=400)
        self.plot_refresh_wall: deque = deque(maxlen=400)
        self.plot_frame_costs: deque = deque(maxlen=400)
        self._held = None          # (see _held_widgets)
        self.reset([])

    def reset(self, class_names) -> None:
        """A new experiment: nothing pending, its class names for the confusion matrix."""
        self.class_names = list(class_names or [])
        self._pending_points: list = []
        self._pending_epochs: list = []
        self._pending_confusion = None
        self._live_confusion = None

    def draw(self, snap, picture: bool | None = None) -> None:
        """Draw ``snap``; ``picture`` False: only its curves' points (default: a live snapshot
        draws its picture unless a recorded moment is shown)."""
        if picture is None:
            picture = not self.scrubbing
        # A diverging network sends huge or non-finite numbers: the views clip them to their
        # colour ranges, so NumPy's overflow notices are noise here.
        with np.errstate(all="ignore"):
            self._draw_snapshot(snap, picture)

    def show_live(self, snap) -> None:
        """Back from a recorded moment: draw the live ``snap``'s picture again (not its points)."""
        import dataclasses

        self.scrubbing = False
        if self._live_confusion is not None:
            self._pending_confusion = self._live_confusion
        if snap is not None:
            self.draw(dataclasses.replace(snap, loss_points=np.zeros((0, 2)), epochs=[], confusion=None,
                                          final=True))

    def _draw_snapshot(self, snap, picture: bool = True) -> None:
        """Two phases, so that painting costs training as little as possible:

        1. the pyqtgraph views (output, plots, confusion matrix) paint through Python, so they are
           updated *and painted now*, while the worker waits for this frame (it holds Python's
           GIL otherwise, and a Python paint competing for it would take many times longer);
        2. the diagram is only *updated* here; Qt paints it afterwards from the event loop in
           C++, without the GIL, on the other core while training goes on.
        """
        # Phase 1 must not paint the diagram (a paint still pending from the last frame would be
        # done here, holding the GIL): it waits, with its updates off, for the event loop.
        view = self.diagram.view  # (the view only: re-enabling updates repaints what they cover)
        view.setUpdatesEnabled(False)
        try:
            self._draw_pyqtgraph_views(snap, picture)
        finally:
            view.setUpdatesEnabled(True)
        if picture and not self.diagram_held:
            self.diagram.update_snapshot(snap)  # phase 2

    @staticmethod
    def training_elsewhere() -> bool:
        """Whether the run trains in the child process (the window sets its model's answer)."""
        return False

    def plot_interval(self) -> float:
        """Seconds between two plot refreshes: ``PLOT_INTERVAL_S``, or more when a refresh costs
        more than ``PLOT_SHARE`` of that (the median of the last five), at most ``OVERDUE_S``.
        A refresh's cost is the plots' own: their update and their paint (see
        :meth:`record_plot_cost`), not the other views' paints that share its frame."""
        costs = sorted(self._plot_costs)
        typical = costs[len(costs) // 2] if costs else 0.0
        share = self.PLOT_SHARE_ELSEWHERE if self.training_elsewhere() else self.PLOT_SHARE
        return min(self.OVERDUE_S, max(self.PLOT_INTERVAL_S, typical / share))

    def record_plot_cost(self, seconds: float, wall: float | None = None, frame: float | None = None) -> None:
        """One plot refresh cost ``seconds`` of CPU (the plots' own update and paint; ``wall``:
        the same in wall time), in a frame of ``frame`` seconds: the pacing reads the last five."""
        self._plot_costs = [*self._plot_costs[-4:], seconds]
        self.plot_refresh_costs.append(seconds)
        self.plot_refresh_wall.append(seconds if wall is None else wall)
        self.plot_frame_costs.append(seconds if frame is None else frame)

    def _paint_seconds(self) -> tuple[float, float]:
        """Wall and CPU seconds the plots' views have spent painting so far (they count them)."""
        views = self._plot_views()
        return (sum(getattr(v, "paint_seconds", 0.0) for v in views),
                sum(getattr(v, "paint_cpu_seconds", 0.0) for v in views))

    def _held_widgets(self) -> list:
        """Widgets of the window not painted inside a frame (its status bar, if it has one)."""
        if self._held is None:
            from PySide6.QtCore import Qt
            from PySide6.QtWidgets import QStatusBar

            view = self.diagram.view  # (in the main window's centre: the plots' dock may float)
            window = view.window() if hasattr(view, "window") else None
            bar = window.findChild(QStatusBar, options=Qt.FindChildOption.FindDirectChildrenOnly) \
                if window is not None else None
            self._held = [bar] if bar is not None else []
        return self._held

    def _plot_views(self) -> list:
        return [v for v in (getattr(self.plots, "glw", None), getattr(self.confusion, "plot_widget", None))
                if v is not None]

    def _due(self, now: float, last: float, interval: float, final: bool) -> bool:
        """Whether a view last refreshed at ``last`` refreshes in this frame."""
        return final or (now - last >= interval and self._light_frames >= self.LIGHT_FRAMES_BETWEEN) \
            or now - last >= self.OVERDUE_S

    def _draw_pyqtgraph_views(self, snap, picture: bool = True) -> None:
        clock = self.clock
        now = clock()
        drawn = False
        output_due = self._due(now, self._output_t, self.OUTPUT_INTERVAL_S, snap.final)
        if picture and self.output_dock.isVisible() and output_due:
            self._output_t = now
            self.output.update_snapshot(snap)
            drawn = True
        if len(snap.loss_points):
            self._pending_points.append(snap.loss_points)
        self._pending_epochs.extend(snap.epochs)
        if snap.confusion is not None:
            if snap.recorded_step is None:
                self._live_confusion = snap.confusion
            if picture:
                self._pending_confusion = snap.confusion
        # Inside this frame, so the worker's adaptive throttle counts the plots' cost too.
        interval = self.plot_interval()
        plots = self._due(now, self._plots_t, interval, snap.final)
        wall = cpu = 0.0  # the plots' own cost
        if plots:
            # on the beat (a frame comes up to 1/30 s after it is due: 4 a second, not 3.7),
            # unless far behind it
            late = now - self._plots_t - interval
            self._plots_t = now if not 0 <= late < interval / 2 else now - late
            wall, cpu = clock(), self.cpu_clock()
            self._flush_plots(snap.final)
            if self.plots.glw.isVisible():  # their auto-ranges settle first (see below)
                self.plots.glw.scene().prepareForPaint()
            wall, cpu = clock() - wall, self.cpu_clock() - cpu
            drawn = True
        self._light_frames = 0 if drawn else self._light_frames + 1
        if picture:
            self.on_status(snap)
        if not drawn:  # (the status labels are Qt's own widgets: painted later, without the GIL)
            return
        # phase 1 ends: settle the pyqtgraph views' auto-ranges first (a paint that moves an
        # axis asks for a second paint), then paint what changed so far
        painted = self._paint_seconds()
        for v in (self.plots.glw, self.output.plane_widget, self.output.sample_widget):
            if v.isVisible() and not (plots and v is self.plots.glw):
                v.scene().prepareForPaint()
        # The window paints everything that changed when these views paint: the status line,
        # changed at every frame, waits (with its updates off) to be painted by the event loop,
        # in C++ while training goes on, as in the frames that paint nothing here.
        held = [w for w in self._held_widgets() if w.updatesEnabled()]
        for w in held:
            w.setUpdatesEnabled(False)
        try:
            QCoreApplication.sendPostedEvents()  # (a scene's update arrives as a posted call first)
            QCoreApplication.sendPostedEvents()
        finally:
            for w in held:
                w.setUpdatesEnabled(True)
        if plots:  # ... and their views' paints, counted by the views themselves
            pw, pc = (b - a for a, b in zip(painted, self._paint_seconds()))
            self.record_plot_cost(cpu + pc, wall + pw, clock() - now)

    def _flush_plots(self, final: bool = False) -> None:
        self.plot_flushes += 1
        if self._pending_points:
            self.plots.add_loss_points(np.concatenate(self._pending_points))
            self._pending_points = []
        if self._pending_epochs:
            self.plots.add_epochs(self._pending_epochs)
            self._pending_epochs = []
        if final:  # training stops here: no room left ahead of the curves
            self.plots.settle_ranges()
        self.flush_confusion()

    def flush_confusion(self, *args) -> None:
        """Draw the latest confusion matrix if its view can be seen."""
        # ~100 text items to set for 10 classes: only when the matrix can be seen (it waits,
        # the latest one only, while its tab is behind another)
        seen = self.confusion.isVisible() and not self.confusion.visibleRegion().isEmpty()
        if self._pending_confusion is not None and seen:
            self.confusion.set_matrix(self._pending_confusion, self.class_names)
            self._pending_confusion = None
