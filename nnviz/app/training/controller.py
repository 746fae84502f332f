"""The UI thread's handle on training: starts the worker thread, posts commands, relays
snapshots, and shuts the thread down.

* :class:`TrainingController` lives on the UI thread. Its command methods (``play``,
  ``set_param``...) build a :mod:`~nnviz.app.training.commands` dataclass and post it; they never wait
  for the worker. Every command returns at once; its effect shows up as signals.
* The thread starts when the event loop next runs, so signals connected right after the
  constructor hear the worker's first state and snapshot.
* Signals: :attr:`TrainingController.signals` is the worker's
  :class:`~nnviz.app.training.worker_signals.WorkerSignals` (``stateChanged``, ``diverged``, ``errored``,
  ``saved``, ``saveFailed``, ``epochFinished``): connect to them directly, Qt queues them to
  the UI thread. Only ``snapshot`` is the controller's own, because its relay does the GIL
  hand-over: it emits the snapshot, so every view connected directly draws it inside the
  relay, measures what that took and tells the worker (``snapshot_consumed``), which then
  takes the CPU back and adapts its throttle. A snapshot arriving while a frame is drawn is
  merged into the next one, so the UI never waits for the worker and snapshots cannot pile up.
* Shutdown has one path, :meth:`TrainingController.shutdown` → ``_TrainingThread.shutdown``:
  set the stop flag, quit, wait for the thread. The flag is checked between batches, so it
  returns within a batch's time. Every started thread is also kept in a module-level registry
  and shut down the same way on ``aboutToQuit`` / at exit, so a controller dropped without
  ``shutdown`` never leaves Python destroying a running ``QThread``.
"""
from __future__ import annotations

import atexit
import time

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from nnviz.app.training import commands as cmd
from nnviz.app.training.engine import enabled_by_default as child_process_enabled
from nnviz.app.training.snapshots import GRID_SIZE, merge_snapshots
from nnviz.app.training.worker import MIN_SNAPSHOT_INTERVAL, TrainingWorker
from nnviz.app.training.worker_signals import WorkerSignals
from nnviz.app.training.worker_stats import WorkerStats


def _valid(obj) -> bool:
    try:
        from shiboken6 import isValid
    except ImportError:  # pragma: no cover - shiboken6 ships with PySide6
        return obj is not None
    return obj is not None and isValid(obj)


class _TrainingThread:
    """A started worker thread (plain Python, so the registry can outlive its controller)."""

    def __init__(self, worker: TrainingWorker):
        self.worker = worker
        self.qthread = QThread()
        self.qthread.setObjectName("nnviz-training")
        worker.moveToThread(self.qthread)
        self.qthread.started.connect(worker.run)
        worker.finished.connect(self.qthread.quit)
        worker.finished.connect(worker.deleteLater)
        self.qthread.finished.connect(self.qthread.deleteLater)
        self._shut_down = False

    def start(self) -> None:
        if not self._shut_down:
            self.qthread.start()

    def running(self) -> bool:
        return _valid(self.qthread) and not self.qthread.isFinished()

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and wait (at most ``timeout_ms``) for its thread; True if it ended."""
        if not self._shut_down:
            self._shut_down = True
            self.worker.request_stop()
            if _valid(self.qthread):
                self.qthread.quit()
                self.qthread.wait(int(timeout_ms))
        return not (_valid(self.qthread) and self.qthread.isRunning())


#: Every thread a controller started and that may still run (ended ones are dropped lazily).
_LIVE: set[_TrainingThread] = set()
_QUIT_HOOKED = False


def shutdown_all(timeout_ms: int = 1000) -> None:
    """Shut down every training thread still running (application exit)."""
    for handle in list(_LIVE):
        handle.shutdown(timeout_ms)
    _LIVE.clear()


def _register(handle: _TrainingThread) -> None:
    global _QUIT_HOOKED
    for old in list(_LIVE):
        if not old.running():
            _LIVE.discard(old)
    _LIVE.add(handle)
    if not _QUIT_HOOKED:
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(shutdown_all)
        atexit.register(shutdown_all)
        _QUIT_HOOKED = True


class TrainingController(QObject):
    """Starts a worker thread for ``exp`` and is the window's handle on it.

    Parameters
    ----------
    exp : Experiment
        From :func:`nnviz.experiment.build`; owned by the worker thread from now on.
    grid_size : int
        Decision-boundary grid points per axis for 2-D inputs (0: no grid).
    min_interval : float
        Seconds between throttled snapshots.
    """

    snapshot = Signal(object)  # Snapshot, drawn inside the relay (see the module docs)

    def __init__(self, exp, parent: QObject | None = None, grid_size: int = GRID_SIZE,
                 min_interval: float = MIN_SNAPSHOT_INTERVAL):
        super().__init__(parent)
        self._worker = TrainingWorker(exp, grid_size=grid_size, min_interval=min_interval)
        self._worker.wait_for_ui = True
        self._worker.use_child = child_process_enabled()  # free runs in a child process (issue 19)
        self._relaying = False
        self._backlog: list = []
        self._worker.snapshotReady.connect(self._relay_snapshot)
        self._thread = _TrainingThread(self._worker)
        _register(self._thread)
        # The thread starts when the event loop next runs: whoever made this controller has
        # connected to its signals by then, so the first state and snapshot reach them.
        QTimer.singleShot(0, self, self._thread.start)

    @Slot(object)
    def _relay_snapshot(self, snap) -> None:
        if self._relaying:  # arrived while a frame was being drawn: fold into the next one
            self._backlog.append(snap)
            return
        self._relaying = True
        t0 = time.perf_counter()
        try:
            # Widgets connected directly update their items now, and paint at once whatever
            # paints through Python (see nnviz.app.window.frame.FrameDrawer), so the measured cost is
            # the Python cost of a frame. A snapshot that arrives meanwhile lands in the backlog
            # (see the guard above) and is drawn merged, afterwards.
            self.snapshot.emit(snap)
        finally:
            self._relaying = False
            cost = time.perf_counter() - t0
            self._worker.stats.add_frame(cost)
            try:
                self._worker.snapshot_consumed(cost)
            except RuntimeError:  # pragma: no cover - the worker is already gone
                pass
        if self._backlog:
            merged, self._backlog = merge_snapshots(self._backlog), []
            QTimer.singleShot(0, lambda: self._relay_snapshot(merged))

    @property
    def worker(self) -> TrainingWorker:
        """The worker object (its ``state`` stays readable after shutdown)."""
        return self._worker

    @property
    def signals(self) -> WorkerSignals:
        """The worker's signals (see the module docs): connect to them directly."""
        return self._worker.signals

    @property
    def stats(self) -> WorkerStats:
        """Counters of the worker loop and the relay (for benchmarks; see :meth:`WorkerStats.copy`)."""
        return self._worker.stats

    @property
    def training_elsewhere(self) -> bool:
        """True while the run trains in the child process (the window's frames do not take the
        trainer's GIL then; read by any thread)."""
        return bool(getattr(self._worker, "training_elsewhere", False))

    @property
    def global_step(self) -> int:
        """Batches trained so far on the current experiment."""
        return self._worker.global_step

    @property
    def state(self) -> str:
        """``"running"``, ``"paused"``, ``"finished"`` or ``"stopped"`` (the worker's own)."""
        return self._worker.state

    # -- commands (never block) ---------------------------------------------------------------------
    def post(self, command: cmd.Command) -> None:
        """Queue any :mod:`~nnviz.app.training.commands` command; anything else raises ``TypeError``."""
        self._worker.post(command)

    def play(self) -> None:
        self.post(cmd.Play())

    def pause(self) -> None:
        self.post(cmd.Pause())

    def step_batch(self) -> None:
        """Train exactly one batch, then stay paused."""
        self.post(cmd.StepBatch())

    def step_epoch(self) -> None:
        """Train until the current epoch ends, then pause."""
        self.post(cmd.StepEpoch())

    def set_param(self, layer: int, name: str, index: tuple | None, value: float) -> None:
        """Set ``net.layers[layer].params[name][index]`` (all entries if ``index`` is None)."""
        self.post(cmd.SetParam(layer, name, index, value))

    def apply_settings(self, settings) -> None:
        """Apply live-tunable settings (optimizer, lr, L1/L2, schedule, epochs) between batches."""
        self.post(cmd.ApplySettings(settings))

    def save_model(self, path: str, extra: dict | None = None) -> None:
        """Write the network to ``path`` on the worker thread (between batches); ``saved`` or
        ``saveFailed`` tells how it went."""
        self.post(cmd.SaveModel(path, extra or {}))

    def set_speed(self, delay_ms: int) -> None:
        """Wait ``delay_ms`` after each batch (0: full speed)."""
        self.post(cmd.SetSpeed(delay_ms))

    def set_sample(self, index: int) -> None:
        """Which training sample the snapshots' ``x``/``z``/``a``/``delta`` describe."""
        self.post(cmd.SetSample(index))

    def trace_step(self, indices=(), pixels=None, labels=()) -> None:
        """Pause and trace one step on a copy of the network (``signals.stepTraced`` follows):
        on training rows ``indices``, or on own ``pixels`` with their ``labels``."""
        self.post(cmd.TraceStep(tuple(indices), pixels, tuple(labels)))

    def apply_traced_step(self) -> None:
        """Make the last traced step real (the network takes the copy's updated weights)."""
        self.post(cmd.ApplyTracedStep())

    def replace_experiment(self, exp) -> None:
        """Train ``exp`` from now on (reset / new network); the worker pauses."""
        self.post(cmd.ReplaceExperiment(exp))

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and wait (at most ``timeout_ms``) for its thread; True if it ended.
        Idempotent; commands posted afterwards are ignored."""
        ok = self._thread.shutdown(timeout_ms)
        if ok:
            _LIVE.discard(self._thread)
        return ok
