"""The loss landscape view (issue 22): the loss over a plane of weight space through the
current weights, with every visible run's path on it.

It reads only what the window already has: the experiment's description
(:class:`~nnviz.app.experimentinfo.ExperimentInfo`: settings, sizes, the read-only dataset),
the newest :class:`~nnviz.app.training.state.Snapshot` (weights and batch-norm state) and the
session's runs (``model.runs``: each run's timeline checkpoints). Each computation gets a new
scratch network built from the snapshot and runs on a worker thread
(:class:`~nnviz.app.landscape.job.LandscapeJob`); networks up to
:data:`~nnviz.app.landscape.source.LIVE_PARAMS` parameters are recomputed live as training
moves (one computation at a time, at most every :attr:`LandscapeView.MIN_INTERVAL_S`), bigger
ones when Compute is pressed.
"""
from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.app.landscape.controls import LandscapeControls
from nnviz.app.landscape.job import LandscapeJob, Request
from nnviz.app.landscape.plot import LandscapePlot
from nnviz.app.landscape.source import (LIVE_PARAMS, SUBSET, SnapshotPath, flat_weights, network_from,
                                        run_paths, training_rows)
from nnviz.app.translation import retranslate
from nnviz.i18n import _, message


class LandscapeView(QWidget):
    """Controls, the picture and a status line; feed it :meth:`set_info`, :meth:`set_snapshot`
    and (optionally) :meth:`set_runs`."""

    MIN_INTERVAL_S = 0.4   # live: at most 2.5 pictures a second (the issue asks for 2), so training keeps its pace

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.controls = LandscapeControls()
        self.plot = LandscapePlot()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.hover = QLabel()
        self.job = LandscapeJob(self)
        self._info = None
        self._snap = None
        self._n_params = 0
        self._runs = None
        self._rows = None          # (x, t, used) for the current experiment
        self._path = SnapshotPath()
        self._pending = False
        self._started = 0.0
        self._message = ("hint", None)
        self._active = True        # False while the dock is hidden: nothing is computed
        self._exact = False        # the next computation in the network's precision (Compute)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(self.controls)
        lay.addWidget(self.plot, 1)
        lay.addWidget(self.hover)
        lay.addWidget(self.status)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._maybe_start)
        c = self.controls
        c.changed.connect(self._settings_changed)
        c.computeRequested.connect(self.compute)
        c.cancelRequested.connect(self.cancel)
        c.logToggled.connect(self.plot.set_log)
        c.liveToggled.connect(lambda on: on and self.request())
        self.plot.hovered.connect(self.hover.setText)
        self.job.progress.connect(c.set_progress)
        self.job.busyChanged.connect(c.set_busy)
        self.job.finished.connect(self._finished)
        self.job.failed.connect(self._failed)
        self.destroyed.connect(self.job.cancel)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self._show_message()

    # -- inputs --------------------------------------------------------------------------------
    def set_info(self, info) -> None:
        """A new experiment: its shape and data; the old picture and path are gone."""
        self.job.cancel()
        self._info, self._snap, self._rows = info, None, None
        n_params = sum(info.sizes[i] * info.sizes[i + 1] + info.sizes[i + 1] for i in range(len(info.sizes) - 1))
        self._n_params = n_params
        self._path = SnapshotPath(n_params)
        self.controls.set_network(info.sizes)
        self.plot.clear()
        self._message = ("hint", None)
        self._show_message()

    def set_snapshot(self, snap) -> None:
        """The newest weights (cheap: kept, and a live recomputation asked for)."""
        if self._info is None or not snap.weights:
            return
        self._snap = snap
        self._path.add(flat_weights(snap))
        if self.live:
            self.request()

    def set_runs(self, runs) -> None:
        """The session's :class:`~nnviz.app.runs.RunList` (its visible runs' paths are drawn)."""
        self._runs = runs
        for sig in (runs.added, runs.changed, runs.removed):
            sig.connect(lambda *_a: self.live and self.request())

    def set_active(self, active: bool) -> None:
        self._active = bool(active)
        if active and self._snap is not None and (self.live or self.plot._result is None):
            self.request(force=not self.live and self.small)

    @property
    def small(self) -> bool:
        return 0 < self._n_params <= LIVE_PARAMS

    @property
    def live(self) -> bool:
        return self.controls.live.isChecked() and self._active and self.small

    # -- computing -----------------------------------------------------------------------------
    def request(self, force: bool = False) -> None:
        """Compute soon: now if nothing runs and the last start is long enough ago."""
        if self._snap is None or not (self._active or force):
            return
        self._pending = True
        self._maybe_start()

    def compute(self) -> None:
        """Compute now (the Compute button), whatever the network's size."""
        self._pending = True
        self._started = 0.0
        self._exact = True
        self._maybe_start(force=True)

    def cancel(self) -> None:
        self._pending = False
        self.job.cancel()

    def _settings_changed(self) -> None:
        if self._snap is not None and (self.live or self.small):
            self.request(force=True)

    def _maybe_start(self, force: bool = False) -> None:
        if not self._pending or self._snap is None or self._info is None:
            return
        if self.job.busy and not force:
            return                      # started again when this one finishes
        wait = self.MIN_INTERVAL_S - (time.perf_counter() - self._started)
        if wait > 0 and not force:
            self._timer.start(int(wait * 1000) + 1)
            return
        self._pending = False
        self._started = time.perf_counter()
        try:
            req = self._request()
        except Exception as exc:  # noqa: BLE001 - e.g. a network the snapshot no longer fits
            self._failed(exc)
            return
        self._message = ("busy", req)
        self._show_message()
        self.job.start(req)

    def _request(self) -> Request:
        net = network_from(self._info, self._snap)
        if self._rows is None:
            self._rows = training_rows(self._info, net, SUBSET)
        x, t, _used = self._rows
        paths = (run_paths(self._runs.runs(), net.n_params, self._runs.selected, net.flat_params)
                 if self._runs is not None else [])
        if not paths and len(self._path.points) >= 2:
            paths = [(_("this run"), "#ff3b30", self._path.array())]
        c = self.controls
        # live pictures are computed in float32 (3-4× faster, so training keeps its pace); the
        # centre's loss and a Compute pressed while not live stay in the network's precision
        dtype = np.float32 if self.live and not self._exact else None
        self._exact = False
        return Request(net, x, t, c.axes_spec(), c.span_value(), c.grid.value(), 0, paths,
                       len(self._info.data.x_train), dtype)

    def _finished(self, result) -> None:
        self.plot.show_result(result)
        self._message = ("done", result)
        self._show_message()
        if self._pending:
            self._maybe_start()

    def _failed(self, err) -> None:
        if err is None:
            self._message = ("cancelled", None)
        else:
            self._message = ("error", err)
        self._show_message()
        if self._pending and err is None:
            self._maybe_start()

    def _show_message(self) -> None:
        kind, value = self._message
        if kind == "hint":
            text = (_("Press Compute to draw the loss around the current weights.")
                    if not self.small else _("The loss around the current weights appears when training moves."))
        elif kind == "busy":
            text = _("Computing the loss on a {n}×{n} grid…").format(n=value.grid)
        elif kind == "cancelled":
            text = _("Cancelled.")
        elif kind == "error":
            text = message(value)
        else:
            s = value.surface
            text = _("Loss over {used} of {total} training samples; centre {loss} ({seconds} s).").format(
                used=s.samples, total=value.request.samples_of, loss=f"{s.center_loss:.4g}",
                seconds=f"{s.seconds:.2f}")
        self.status.setText(text)
