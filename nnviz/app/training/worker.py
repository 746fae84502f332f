"""Training on a worker thread, driven by the window without ever blocking it.

Threading design (the UI side, start-up and shutdown: :mod:`nnviz.app.training.controller`)
* :class:`TrainingWorker` is a ``QObject`` moved to a ``QThread`` (worker-object pattern). It
  *owns* the :class:`~nnviz.experiment.Experiment` once started: no other thread touches its
  network, data, optimizer or trainer (the UI reads :class:`~nnviz.app.training.state.Snapshot` copies).
* Commands (:mod:`nnviz.app.training.commands`) arrive through :meth:`TrainingWorker.post`, which puts
  them in a ``queue.Queue`` and sets a ``threading.Event`` (``wake``) without waiting; a type
  with no handler raises ``TypeError`` there, on the caller's thread.
* ``run()`` loops: drain the queue (edits, settings and experiment swaps happen *between*
  batches), then train a *burst* of batches or, when paused, wait on ``wake`` (a command or
  stop wakes it at once; no busy spinning). A burst trains back to back until a snapshot is
  due, a command or stop arrives, the run ends, or ``BURST_SECONDS`` pass, keeping its state in
  local variables (attribute access on a ``QObject`` is slow enough to show on a toy net's tiny
  batches). The speed control's per-batch delay is the same ``wake.wait``.
* Throttle: a snapshot goes out only if at least the snapshot interval passed since the last
  one. Snapshots are forced (``final=True``) whenever a run ends (pause, step, end of a
  step-epoch or of training, divergence, error) and after every applied edit. Batch losses,
  finished epochs and the latest confusion matrix accumulate and travel with the next one.
* GIL hand-over: a Python training loop holds the GIL almost all the time, which starves the
  UI thread. So after each throttled snapshot the worker waits (at most ``UI_WAIT``) on
  ``ui_ready``, which the controller sets once the window has done the Python part of the
  frame; the diagram then paints in C++, without the GIL, while training goes on. A bare
  worker (no controller) does not wait (``wait_for_ui`` is False).
* Adaptive throttle: the interval is a typical frame's cost (the median of the last
  ``UI_COST_WINDOW``) ÷ ``UI_SHARE``, kept between ``min_interval`` and ``MAX_SNAPSHOT_INTERVAL``,
  so drawing takes that share of time (the plots' and output's refreshes come on top).
* After ``settings.epochs`` epochs of a free run the state is ``"finished"``; Play trains
  another ``settings.epochs``. Steps ignore the limit.
* Errors never escape ``run``: :class:`~nnviz.core.errors.Diverged` pauses with the last good
  weights and emits ``diverged``; any other error pauses and emits ``errored``. ``"stopped"``
  is final: the loop ends and the thread quits.
* A free run at full speed trains in a child process (:mod:`nnviz.app.training.engine`: no
  GIL shared with the window); the worker relays its snapshots and takes its exact state back.
* :attr:`TrainingWorker.stats` (:class:`~nnviz.app.training.worker_stats.WorkerStats`) counts batches
  and where the time went, for benchmarks; the loop adds to it once per burst.
"""
from __future__ import annotations

from array import array
import math
import queue
import threading
import time

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from nnviz.app.training import engine
from nnviz.app.training.command_handlers import HANDLERS, CommandHandlers
from nnviz.app.training.snapshots import GRID_SIZE, grid_axes, make_snapshot
from nnviz.app.training.worker_signals import WorkerSignals
from nnviz.app.training.worker_stats import WorkerStats
from nnviz.core.errors import Diverged, NNVizError
from nnviz.i18n import _, message

#: Seconds between two throttled snapshots (about 30 a second).
MIN_SNAPSHOT_INTERVAL = 0.033
#: Longest stretch of back-to-back batches between two looks at the command queue (seconds):
#: short enough that a command feels immediate, long enough that looking costs nothing.
BURST_SECONDS = 0.005
#: Longest wait on the wake Event while paused (a command wakes the worker sooner).
IDLE_WAIT = 0.1
#: Longest time training waits for the UI to draw a snapshot before going on anyway.
UI_WAIT = 0.25
#: Largest share of the time the window's drawing may take from training (see snapshot_interval).
UI_SHARE = 0.06  # (issue 19: 25+ frames/s on 784-100-10; 4% gave ~18, see PERFORMANCE.md)
#: Longest interval the adaptive throttle stretches to (the picture still moves 4 times a second).
MAX_SNAPSHOT_INTERVAL = 0.25
#: Frames whose median cost sets the throttle (see TrainingWorker.snapshot_interval).
UI_COST_WINDOW = 15

RUNNING, PAUSED, FINISHED, STOPPED = "running", "paused", "finished", "stopped"

_clock = time.perf_counter


class TrainingWorker(CommandHandlers, QObject):
    """Trains an :class:`~nnviz.experiment.Experiment` batch by batch on its own thread.

    Talk to it only through :meth:`post` / :meth:`request_stop` / :meth:`snapshot_consumed`
    (or a :class:`~nnviz.app.training.controller.TrainingController`); they are thread-safe and never
    block. ``snapshotReady`` carries every snapshot to the controller's relay; everything
    else the window hears is on :attr:`signals`.
    """

    snapshotReady = Signal(object)   # Snapshot, for the controller's relay
    finished = Signal()              # run() returned; the thread may quit

    def __init__(self, exp, grid_size: int = GRID_SIZE, min_interval: float = MIN_SNAPSHOT_INTERVAL):
        super().__init__()
        self.signals = WorkerSignals()
        self.stats = WorkerStats(snapshot_interval=float(min_interval))
        self._commands: queue.Queue = queue.Queue()
        self._wake = threading.Event()
        self._ui_ready = threading.Event()  # set by the UI once it has drawn the last snapshot
        self._ui_ready.set()
        self.wait_for_ui = False            # the controller turns this on (see module docs)
        self._stop = threading.Event()
        self._grid_size = int(grid_size)
        self._min_interval = float(min_interval)
        # Adaptive throttle: what a typical frame costs the UI thread (seconds, the median of the
        # last frames; _ui_cost keeps a moving average) sets the wait between frames, so drawing
        # takes ``ui_share`` of the time and training the rest.
        self.ui_share = UI_SHARE
        self._ui_cost = 0.0
        self._ui_costs: list[float] = []  # the last UI_COST_WINDOW frame costs
        self._delay = 0.0
        self._sample = 0
        self._state = PAUSED
        self._until_epoch_end = False
        self._last_snapshot = -math.inf
        self._rate = 0.0
        self._rate_t0 = _clock()
        self._rate_samples = 0
        self._set_experiment(exp)

    # -- thread-safe entry points ------------------------------------------------------------
    def post(self, command) -> None:
        """Queue a command (see :mod:`nnviz.app.training.commands`) for the worker thread."""
        if type(command) not in HANDLERS:
            raise TypeError(f"not a training command: {command!r}")
        self._commands.put(command)
        self._wake.set()

    def request_stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._ui_ready.set()

    def snapshot_consumed(self, cost: float | None = None) -> None:
        """The UI has drawn the last snapshot (taking ``cost`` seconds): training may take the
        CPU (and the GIL) back."""
        if cost is not None:
            self._ui_cost = cost if self._ui_cost == 0.0 else 0.8 * self._ui_cost + 0.2 * cost
            costs = self._ui_costs
            costs.append(cost)
            if len(costs) > UI_COST_WINDOW:
                del costs[0]
        self._ui_ready.set()

    @property
    def snapshot_interval(self) -> float:
        """Seconds between throttled snapshots: the typical cost of a frame ÷ ``ui_share``, kept
        within ``min_interval`` and ``MAX_SNAPSHOT_INTERVAL``. Typical: the median of the last
        ``UI_COST_WINDOW`` frames, so the views refreshed once or twice a second (plots, output;
        their cost comes on top of the share) neither lower the frame rate of every other frame
        (as the average did) nor stall the frame after them (as the last frame's cost did)."""
        if not self.wait_for_ui or self._ui_cost == 0.0 or self._delay > 0:
            return self._min_interval  # slowed down by the speed control: time to draw every frame
        costs = sorted(self._ui_costs)
        typical = costs[len(costs) // 2] if costs else self._ui_cost
        return min(MAX_SNAPSHOT_INTERVAL, max(self._min_interval, typical / self.ui_share))

    @property
    def global_step(self) -> int:
        """Batches trained on the current experiment (read-only, any thread)."""
        return self._global_step

    @property
    def state(self) -> str:
        return self._state

    # -- the loop -------------------------------------------------------------------------------
    @Slot()
    def run(self) -> None:
        try:
            # Overflow on the way to a divergence is expected: the core detects non-finite
            # losses itself (errstate is per thread, the UI thread keeps its own).
            with np.errstate(all="ignore"):
                self._loop()
        except BaseException as exc:  # noqa: BLE001 - nothing may escape the thread
            self.signals.errored.emit(_("Training stopped because of an unexpected internal "
                                        "error ({kind}).").format(kind=type(exc).__name__))
        finally:
            engine.close(self)
            self._state = STOPPED
            self.signals.stateChanged.emit(STOPPED)
            self.finished.emit()

    def _loop(self) -> None:
        self._guarded(self._emit_snapshot, True, True)
        self.signals.stateChanged.emit(self._state)
        while not self._stop.is_set():
            self._drain_commands()
            if self._stop.is_set():
                break
            if self._state == RUNNING:
                self._guarded(engine.run_burst, self)  # in a child process, else _run_burst
            else:
                self._wake.wait(IDLE_WAIT)

    def _drain_commands(self) -> None:
        if not self._wake.is_set() and self._commands.empty():
            return  # the common case, between two batches: nothing to do (cheaply)
        self._wake.clear()  # before draining: a command put after this sets it again
        while not self._stop.is_set():
            try:
                command = self._commands.get_nowait()
            except queue.Empty:
                return
            self._guarded(HANDLERS[type(command)], self, command)

    def _guarded(self, fn, *args) -> None:
        """Call ``fn``; turn any exception into a pause plus an ``errored`` message."""
        try:
            fn(*args)
        except NNVizError as exc:
            self._fail(message(exc))
        except Exception as exc:  # noqa: BLE001
            self._fail(_("Training stopped because of an unexpected internal error "
                         "({kind}). Try resetting the network.").format(kind=type(exc).__name__))

    def _run_burst(self) -> None:
        """Train batches back to back until a snapshot is due, a command or stop arrives, the
        run ends, or ``BURST_SECONDS`` pass.

        The loop keeps its state in local variables and writes it back to the worker only when
        it calls out (attribute access on a ``QObject`` costs several times a plain object's,
        which shows on a toy net's tiny batches)."""
        stats = self.stats
        if self.wait_for_ui and not self._ui_ready.is_set():
            t = _clock()
            self._ui_ready.wait(UI_WAIT)
            stats.ui_wait_seconds += _clock() - t
        if self._race is not None:  # every variant of a race in lockstep (issue 20)
            from nnviz.app.timeline.race import race_burst
            return race_burst(self)
        if not self._require_trainer():
            return
        trainer = self._exp.trainer
        wake, stop, clock = self._wake, self._stop, _clock
        add_step, add_loss = self._loss_steps.append, self._loss_values.append
        until_epoch_end, epoch_limit, delay = self._until_epoch_end, self._epoch_limit, self._delay
        interval, last_snapshot = self.snapshot_interval, self._last_snapshot
        record = None if self._timeline is None else self._timeline.record  # (issue 20)
        stats.snapshot_interval = interval
        end = clock() + BURST_SECONDS
        samples = batches = 0
        in_batches = 0.0
        result = None
        try:
            while True:
                t = clock()
                try:
                    result = trainer.train_batch()
                except Diverged as exc:
                    result = None
                    self._on_diverged(exc)
                    return
                now = clock()
                in_batches += now - t
                batches += 1
                loss = float(result.loss)
                add_step(result.global_step)
                add_loss(loss)
                samples += result.samples
                if result.epoch_done:
                    self._global_step, self._last_loss = result.global_step, loss
                    self._end_epoch()
                    if until_epoch_end or trainer.epoch >= epoch_limit:
                        self._end_run(PAUSED if until_epoch_end else FINISHED)
                        return
                    now = clock()
                elif record is not None:
                    record(trainer, loss)
                due = now - last_snapshot >= interval
                if due or delay > 0 or now >= end or wake.is_set() or stop.is_set():
                    break
        finally:
            self._rate_samples += samples
            stats.batches += batches
            stats.samples += samples
            stats.train_seconds += in_batches
            if result is not None:
                self._global_step, self._last_loss = result.global_step, loss
        if due:
            self._emit_snapshot(force=True)  # (the interval was just checked)
        if delay > 0:  # the speed control: a pause after every batch
            wake.wait(delay)

    # -- training ---------------------------------------------------------------------------------
    def _end_epoch(self) -> None:
        trainer = self._exp.trainer
        finished = trainer.finish_epoch()
        if self._timeline is not None:  # the epoch's last batch with the epoch's metrics
            self._timeline.record(trainer, self._last_loss, epoch_result=finished)
        summary = finished.as_dict()
        self._pending_epochs.append(summary)
        if trainer.classification:  # counted by finish_epoch's evaluation of the test set
            self._pending_confusion = (trainer.last_confusion if len(self._exp.data.x_test)
                                       else trainer.confusion("train"))
        if self.signals.epochs_wanted:
            self.signals.epochFinished.emit(dict(summary))

    def _on_diverged(self, exc: Diverged) -> None:
        self._end_run(PAUSED)
        self.signals.diverged.emit(_(
            "Training diverged at epoch {epoch}, step {step} ({reason}). The weights from before "
            "that step are kept; {hint}.").format(epoch=exc.epoch, step=exc.step, reason=exc.reason,
                                                  hint=exc.hint))

    def _fail(self, message: str) -> None:
        if self._state == RUNNING:
            self._set_state(PAUSED)
        self._until_epoch_end = False
        try:
            self._emit_snapshot(True, True)
        except Exception:  # noqa: BLE001 - the message matters more than the picture
            pass
        self.signals.errored.emit(message)

    # -- states and snapshots ---------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.signals.stateChanged.emit(state)

    def _start_running(self) -> None:
        self._rate_t0, self._rate_samples = _clock(), 0
        self._set_state(RUNNING)

    def _end_run(self, state: str) -> None:
        """Stop training (paused or finished) and send the final picture of the run."""
        self._until_epoch_end = False
        self._emit_snapshot(True, True)
        self._set_state(state)

    def _measure_rate(self, now: float) -> float:
        if self._state != RUNNING:
            return 0.0
        dt = now - self._rate_t0
        if dt >= 0.2:
            current = self._rate_samples / dt
            self._rate = current if self._rate == 0.0 else 0.5 * self._rate + 0.5 * current
            self._rate_t0, self._rate_samples = now, 0
        return self._rate

    def _emit_snapshot(self, force: bool = False, final: bool = False) -> None:
        now = _clock()
        if not force and now - self._last_snapshot < self.snapshot_interval:
            return
        self._last_snapshot = now
        if self._grid_axes is None and self._grid_size > 0 and self._exp.net.n_inputs == 2:
            self._grid_axes = grid_axes(self._exp.data, self._grid_size, self._exp.net.dtype)
        snap = make_snapshot(self._exp, sample_index=self._sample, grid_size=self._grid_size,
                             loss_points=self._take_losses(), epochs=self._pending_epochs,
                             confusion=self._pending_confusion, samples_per_s=self._measure_rate(now),
                             final=final, last_loss=self._last_loss, grid_axes_cache=self._grid_axes)
        self._pending_epochs, self._pending_confusion = [], None
        self._ui_ready.clear()
        self.snapshotReady.emit(snap)
        stats = self.stats
        stats.snapshots += 1
        stats.snapshot_seconds += _clock() - now

    def _take_losses(self) -> np.ndarray:
        """The batch losses since the last snapshot as an (n, 2) array; the buffers restart."""
        pts = np.column_stack([np.frombuffer(self._loss_steps), np.frombuffer(self._loss_values)])
        self._loss_steps, self._loss_values = array("d"), array("d")
        return pts

    def _set_experiment(self, exp) -> None:
        self._exp = exp
        self._race = None   # a new experiment ends a race (nnviz.app.timeline.race)
        self._traced = None  # (network, optimizer) copies of a TraceStep not yet applied
        self._timeline = None  # the run's nnviz.timeline.Timeline (a RecordTimeline command sets it)
        self._scratch = None   # a copy of the network that shows recorded moments (never trained)
        self._epoch_limit = int(exp.settings.epochs)
        self._global_step = exp.trainer.global_step if exp.trainer is not None else 0
        self._last_loss = float("nan")
        self._loss_steps, self._loss_values = array("d"), array("d")
        self._pending_epochs, self._pending_confusion = [], None
        self._grid_axes = None
        self._until_epoch_end = False
        self._rate = 0.0
