"""Training on a worker thread, driven by the window without ever blocking it.

Threading design
----------------
* :class:`TrainingWorker` is a plain ``QObject`` moved to a ``QThread`` (worker-object
  pattern): ``thread.started → worker.run``; ``worker.finished → thread.quit`` and
  ``worker.deleteLater``; ``thread.finished → thread.deleteLater``. The worker *owns* the
  :class:`~nnviz.experiment.Experiment` once started: no other thread may touch its network,
  data, optimizer or trainer (the UI only reads :class:`~nnviz.app.state.Snapshot` copies).
* :class:`TrainingController` lives on the UI thread. Its command methods (``play``,
  ``set_param``...) only ``put`` a tuple into a ``queue.Queue`` and ``set`` a
  ``threading.Event`` (``wake``); they never wait for the worker. ``stop``/``shutdown`` also
  set a second Event, ``stop``.
* ``run()`` is a loop over small methods: drain the queue (so edits, lr changes, optimizer
  swaps and experiment swaps happen *between* batches), then either train a *burst* of
  batches or, when paused, wait on ``wake`` with a 0.1 s timeout (no busy spinning; a command
  or stop wakes it at once). A burst trains back to back until a snapshot is due, a command
  or stop arrives, the run ends, or ``BURST_SECONDS`` (5 ms) pass, keeping its state in local
  variables (attribute access on a ``QObject`` is slow enough to show on a toy net's 100 µs
  batches). The per-batch delay of the speed control is the same ``wake.wait``, so a pause or
  stop interrupts it.
* Throttle: a snapshot is sent only if ``time.monotonic()`` advanced at least the snapshot
  interval (≥ ``min_interval`` = 33 ms, so ≤ 30 snapshots a second) since the previous one.
  Snapshots are forced (with ``final=True``) whenever a run ends — pause, single step, end of a
  step-epoch, end of training, divergence, error — and after every applied edit (parameter, lr,
  optimizer, shown sample, new experiment). Batch losses (as an (n, 2) array), finished epochs
  and the latest confusion matrix accumulate between snapshots and travel with the next one.
* GIL hand-over: a Python training loop holds the GIL almost all the time, which starves the
  UI thread (measured: a 10 ms UI timer fired every ~100 ms). So after each throttled
  snapshot the worker waits (at most ``UI_WAIT`` = 250 ms) on a third Event, ``ui_ready``,
  which the controller sets once the window has done the Python part of the frame: updating
  every view and painting the pyqtgraph ones, which paint through Python (see
  ``MainWindow._draw_snapshot``). The network diagram paints in C++ only, so Qt paints it
  afterwards without the GIL, on the other core, while training goes on. The relay is
  guarded against re-entry: a snapshot that arrives during a frame is merged into the next
  one. The UI never waits for the worker; training yields only for the Python part of a frame,
  and snapshots cannot pile up in the queue.
* Adaptive throttle: the relay measures what the Python part of a frame costs and the worker
  stretches the snapshot interval so it takes at most ``UI_SHARE`` (4%) of the time,
  between ``min_interval`` (33 ms) and ``MAX_SNAPSHOT_INTERVAL`` (250 ms): the interval is a
  moving average of the frame cost ÷ ``UI_SHARE``.
  A bare worker (no controller) does not wait (``wait_for_ui`` is False).
* End of training: after ``settings.epochs`` epochs of a free run the worker sends the state
  ``"finished"`` and waits paused; Play then trains another ``settings.epochs`` epochs. Steps
  (batch or epoch) ignore the limit.
* Errors never escape ``run``: :class:`~nnviz.core.errors.Diverged` pauses with the last good
  weights (the core raises it before the update) and emits ``diverged``; any other
  ``NNVizError`` or unexpected exception pauses and emits ``errored``.
* ``"stopped"`` is final: the loop ends and the thread quits. ``shutdown`` (window closing)
  sets ``stop``, quits and waits for the thread; the stop flag is checked between batches,
  so it returns within a batch's time. Every started thread is also kept in a module-level
  set and stopped + joined on ``aboutToQuit`` / at exit, so a controller dropped without
  ``shutdown`` never leaves Python destroying a running ``QThread``.
"""
from __future__ import annotations

import atexit
from array import array
import math
import queue
import threading
import time

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer, Signal, Slot

from nnviz.app.snapshots import GRID_SIZE, grid_axes, make_snapshot, merge_snapshots
from nnviz.core.errors import Diverged, NNVizError
from nnviz.core.optim import get_optimizer

#: Seconds between two throttled snapshots (about 30 a second).
MIN_SNAPSHOT_INTERVAL = 0.033
#: Longest stretch of back-to-back batches between two looks at the command queue (seconds).
BURST_SECONDS = 0.005
#: Longest wait on the wake Event while paused (a command wakes the worker sooner).
IDLE_WAIT = 0.1
#: Longest time training waits for the UI to draw a snapshot before going on anyway.
UI_WAIT = 0.25
#: Largest share of the time the window's drawing may take from training (see snapshot_interval).
UI_SHARE = 0.04
#: Longest interval the adaptive throttle stretches to (the picture still moves 4 times a second).
MAX_SNAPSHOT_INTERVAL = 0.25

RUNNING, PAUSED, FINISHED, STOPPED = "running", "paused", "finished", "stopped"

# Every (thread, worker, *its Events) a controller started, so Python never destroys
# a running QThread even if its controller is garbage-collected first. Ended ones are dropped
# lazily; the rest are stopped and joined when the application quits (or at interpreter exit).
_LIVE_THREADS: set = set()
_QUIT_HOOKED = False


def _valid(obj) -> bool:
    try:
        from shiboken6 import isValid
    except ImportError:  # pragma: no cover - shiboken6 ships with PySide6
        return obj is not None
    return obj is not None and isValid(obj)


def _forget_finished_threads() -> None:
    """Drop references to threads that have ended (called on the UI thread)."""
    for entry in list(_LIVE_THREADS):
        thread = entry[0]
        if not _valid(thread) or thread.isFinished():
            _LIVE_THREADS.discard(entry)


def stop_all_training(timeout_ms: int = 1000) -> None:
    """Stop every training thread still running and wait for each (application exit)."""
    for entry in list(_LIVE_THREADS):
        for event in entry[2:]:
            event.set()
    for entry in list(_LIVE_THREADS):
        thread = entry[0]
        if _valid(thread):
            thread.quit()
            thread.wait(int(timeout_ms))
    _forget_finished_threads()


def _hook_quit() -> None:
    global _QUIT_HOOKED
    if _QUIT_HOOKED:
        return
    app = QCoreApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(stop_all_training)
    atexit.register(stop_all_training)
    _QUIT_HOOKED = True


class TrainingWorker(QObject):
    """Trains an :class:`~nnviz.experiment.Experiment` batch by batch on its own thread.

    Call the command methods only through :meth:`post` / :meth:`request_stop` (or a
    :class:`TrainingController`); they are thread-safe and never block.
    """

    snapshot = Signal(object)        # Snapshot
    epochFinished = Signal(object)   # EpochResult.as_dict()
    stateChanged = Signal(str)       # "running", "paused", "finished", "stopped"
    diverged = Signal(str)           # message with epoch/step and "try a smaller learning rate"
    errored = Signal(str)            # a message to show as it is
    batchDone = Signal(int)          # global step (sent with each snapshot)
    saved = Signal(str)              # path of a model file written by save_model
    saveFailed = Signal(str)         # why save_model could not write (training goes on)
    finished = Signal()              # run() returned; the thread may quit

    def __init__(self, exp, grid_size: int = GRID_SIZE, min_interval: float = MIN_SNAPSHOT_INTERVAL):
        super().__init__()
        self._commands: queue.Queue = queue.Queue()
        self._wake = threading.Event()
        self._ui_ready = threading.Event()  # set by the UI once it has drawn the last snapshot
        self._ui_ready.set()
        self.wait_for_ui = False            # the controller turns this on (see module docs)
        self.emit_epochs = False            # send epochFinished (see TrainingController.connect_epochs)
        self._stop = threading.Event()
        self._grid_size = int(grid_size)
        self._min_interval = float(min_interval)
        # Adaptive throttle: what a frame costs the UI thread (seconds, a moving average) sets the
        # wait between frames, so drawing takes ``ui_share`` of the time and training the rest.
        self.ui_share = UI_SHARE
        self._ui_cost = 0.0
        self.ui_cost_mean = 0.0  # (a running mean, for benchmarks)
        self._delay = 0.0
        self._sample = 0
        self._state = PAUSED
        self._until_epoch_end = False
        self._last_snapshot = -math.inf
        self._rate = 0.0
        self._rate_t0 = time.monotonic()
        self._rate_samples = 0
        self._set_experiment(exp)

    # -- thread-safe entry points ------------------------------------------------------------
    def post(self, name: str, *args) -> None:
        """Queue a command for the worker thread (see :class:`TrainingController`)."""
        self._commands.put((name, args))
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
            self.ui_cost_mean = cost if self.ui_cost_mean == 0.0 else 0.9 * self.ui_cost_mean + 0.1 * cost
        self._ui_ready.set()

    @property
    def snapshot_interval(self) -> float:
        """Seconds between throttled snapshots: the average cost of a frame ÷ ``ui_share``, kept
        within ``min_interval`` and ``MAX_SNAPSHOT_INTERVAL``. The views refreshed once or a
        few times a second (plots, output) raise the average and so lower the frame rate evenly
        (with the last frame's cost instead, each plot refresh was followed by a visible stall)."""
        if not self.wait_for_ui or self._ui_cost == 0.0 or self._delay > 0:
            return self._min_interval  # slowed down by the speed control: time to draw every frame
        return min(MAX_SNAPSHOT_INTERVAL, max(self._min_interval, self._ui_cost / self.ui_share))

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
            self.errored.emit(self.tr("Training stopped because of an unexpected internal error "
                                      "({0}).").format(type(exc).__name__))
        finally:
            self._state = STOPPED
            self.stateChanged.emit(STOPPED)
            self.finished.emit()

    def _loop(self) -> None:
        self._guarded(self._emit_snapshot, True, True)
        self.stateChanged.emit(self._state)
        while not self._stop.is_set():
            self._drain_commands()
            if self._stop.is_set():
                break
            if self._state == RUNNING:
                self._guarded(self._run_burst)
            else:
                self._wake.wait(IDLE_WAIT)

    def _drain_commands(self) -> None:
        if not self._wake.is_set() and self._commands.empty():
            return  # the common case, between two batches: nothing to do (cheaply)
        self._wake.clear()  # before draining: a command put after this sets it again
        while not self._stop.is_set():
            try:
                name, args = self._commands.get_nowait()
            except queue.Empty:
                return
            handler = getattr(self, f"_cmd_{name}", None)
            if handler is not None:
                self._guarded(handler, *args)

    def _guarded(self, fn, *args) -> None:
        """Call ``fn``; turn any exception into a pause plus an ``errored`` message."""
        try:
            fn(*args)
        except NNVizError as exc:
            self._fail(str(exc))
        except Exception as exc:  # noqa: BLE001
            self._fail(self.tr("Training stopped because of an unexpected internal error "
                               "({0}). Try resetting the network.").format(type(exc).__name__))

    def _run_burst(self) -> None:
        """Train batches back to back until a snapshot is due, a command or stop arrives, the
        run ends, or ``BURST_SECONDS`` pass.

        The loop keeps its state in local variables and writes it back to the worker only when
        it calls out (attribute access on a ``QObject`` costs several times a plain object's,
        which is measurable on a toy net's 100 µs batches)."""
        if self.wait_for_ui and not self._ui_ready.is_set():
            self._ui_ready.wait(UI_WAIT)
        if not self._require_trainer():
            return
        trainer = self._exp.trainer
        wake, stop, monotonic = self._wake, self._stop, time.monotonic
        add_step, add_loss = self._loss_steps.append, self._loss_values.append
        until_epoch_end, epoch_limit, delay = self._until_epoch_end, self._epoch_limit, self._delay
        interval, last_snapshot = self.snapshot_interval, self._last_snapshot
        end = monotonic() + BURST_SECONDS
        samples = 0
        result = None
        try:
            while True:
                try:
                    result = trainer.train_batch()
                except Diverged as exc:
                    result = None
                    self._on_diverged(exc)
                    return
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
                now = monotonic()
                due = now - last_snapshot >= interval
                if due or delay > 0 or now >= end or wake.is_set() or stop.is_set():
                    break
        finally:
            self._rate_samples += samples
            if result is not None:
                self._global_step, self._last_loss = result.global_step, loss
        if due:
            self._emit_snapshot(force=True)  # (the interval was just checked)
        if delay > 0:  # the speed control: a pause after every batch
            wake.wait(delay)

    # -- training ---------------------------------------------------------------------------------
    def _train_one(self):
        """One batch (and the epoch's end when it is the last); ``None`` if it could not run."""
        if not self._require_trainer():
            return None
        trainer = self._exp.trainer
        try:
            result = trainer.train_batch()
        except Diverged as exc:
            self._on_diverged(exc)
            return None
        self._global_step = result.global_step
        self._last_loss = float(result.loss)
        self._loss_steps.append(result.global_step)  # array.array: no Python object per batch
        self._loss_values.append(self._last_loss)
        self._rate_samples += result.samples
        if result.epoch_done:
            self._end_epoch()
        return result

    def _require_trainer(self) -> bool:
        if self._exp.trainer is not None:
            return True
        self._fail(self.tr("This network cannot be trained: the step activation has no "
                           "gradient. Choose sigmoid (its smooth version) to let it learn."))
        return False

    def _end_epoch(self) -> None:
        trainer = self._exp.trainer
        summary = trainer.finish_epoch().as_dict()
        self._pending_epochs.append(summary)
        if trainer.classification:  # counted by finish_epoch's evaluation of the test set
            self._pending_confusion = (trainer.last_confusion if len(self._exp.data.x_test)
                                       else trainer.confusion("train"))
        if self.emit_epochs:  # hundreds a second on a toy net: only when somebody listens
            self.epochFinished.emit(dict(summary))

    def _on_diverged(self, exc: Diverged) -> None:
        self._end_run(PAUSED)
        self.diverged.emit(self.tr(
            "Training diverged at epoch {0}, step {1}: the loss became {2}. The weights from "
            "before that step are kept; try a smaller learning rate.").format(exc.epoch, exc.step, exc.loss))

    def _fail(self, message: str) -> None:
        if self._state == RUNNING:
            self._set_state(PAUSED)
        self._until_epoch_end = False
        try:
            self._emit_snapshot(True, True)
        except Exception:  # noqa: BLE001 - the message matters more than the picture
            pass
        self.errored.emit(message)

    # -- states and snapshots ---------------------------------------------------------------------
    def _set_state(self, state: str) -> None:
        if state != self._state:
            self._state = state
            self.stateChanged.emit(state)

    def _start_running(self) -> None:
        self._rate_t0, self._rate_samples = time.monotonic(), 0
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
        now = time.monotonic()
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
        self.snapshot.emit(snap)
        self.batchDone.emit(self._global_step)

    def _take_losses(self) -> np.ndarray:
        """The batch losses since the last snapshot as an (n, 2) array; the buffers restart."""
        pts = np.column_stack([np.frombuffer(self._loss_steps), np.frombuffer(self._loss_values)])
        self._loss_steps, self._loss_values = array("d"), array("d")
        return pts

    def _set_experiment(self, exp) -> None:
        self._exp = exp
        self._epoch_limit = int(exp.settings.epochs)
        self._global_step = exp.trainer.global_step if exp.trainer is not None else 0
        self._last_loss = float("nan")
        self._loss_steps, self._loss_values = array("d"), array("d")
        self._pending_epochs, self._pending_confusion = [], None
        self._grid_axes = None
        self._until_epoch_end = False
        self._rate = 0.0

    # -- commands (run on the worker thread, between batches) -------------------------------------
    def _cmd_play(self) -> None:
        if not self._require_trainer():
            return
        trainer = self._exp.trainer
        if trainer.epoch >= self._epoch_limit:
            self._epoch_limit = trainer.epoch + int(self._exp.settings.epochs)
        self._until_epoch_end = False
        self._start_running()

    def _cmd_pause(self) -> None:
        self._end_run(PAUSED if self._state == RUNNING else self._state)

    def _cmd_step_batch(self) -> None:
        self._until_epoch_end = False
        if self._train_one() is not None:
            self._end_run(PAUSED)

    def _cmd_step_epoch(self) -> None:
        if not self._require_trainer():
            return
        self._until_epoch_end = True
        self._start_running()

    def _cmd_stop(self) -> None:
        self._stop.set()

    def _cmd_set_param(self, layer: int, name: str, index, value: float) -> None:
        net = self._exp.net
        value = float(value)
        if not math.isfinite(value):
            raise NNVizError(self.tr("a weight must be a finite number, got {0}").format(value))
        if not 0 <= int(layer) < len(net.layers) or name not in net.layers[layer].params:
            raise NNVizError(self.tr("there is no parameter {0} in layer {1}").format(name, layer))
        arr = net.layers[layer].params[name]
        if index is not None:
            index = tuple(int(i) for i in np.atleast_1d(index))
            if len(index) != arr.ndim or any(not 0 <= i < n for i, n in zip(index, arr.shape)):
                raise NNVizError(self.tr("layer {0} {1} has shape {2}; there is no entry {3}")
                                 .format(layer, name, arr.shape, index))
            net.set_param(layer, name, value, index=index)
        else:
            net.set_param(layer, name, np.full(arr.shape, value))
        self._emit_snapshot(True, self._state != RUNNING)

    def _cmd_set_lr(self, lr: float) -> None:
        lr = float(lr)
        if not (math.isfinite(lr) and lr > 0):
            raise NNVizError(self.tr("the learning rate must be a positive number, got {0}").format(lr))
        self._exp.optimizer.lr = lr
        if self._exp.trainer is not None:
            self._exp.trainer.base_lr = lr  # the schedule restarts from it each epoch
        self._emit_snapshot(True, self._state != RUNNING)

    def _cmd_set_speed(self, delay_ms: int) -> None:
        self._delay = max(0.0, float(delay_ms)) / 1000.0

    def _cmd_set_sample(self, index: int) -> None:
        self._sample = max(0, int(index))
        self._emit_snapshot(True, self._state != RUNNING)

    def _cmd_swap_optimizer(self, name: str, hp: dict) -> None:
        old = self._exp.optimizer
        hp = dict(hp)
        hp.setdefault("lr", old.lr)
        hp.setdefault("weight_decay", old.weight_decay)
        hp.setdefault("l1", old.l1)
        new = get_optimizer(name, **hp)
        self._exp.optimizer = new
        if self._exp.trainer is not None:
            self._exp.trainer.optimizer = new
            self._exp.trainer.base_lr = new.lr
        self._emit_snapshot(True, self._state != RUNNING)

    def _cmd_apply_settings(self, settings) -> None:
        """Live-tunable settings (no new network): optimizer and its options, lr, L1/L2,
        schedule and the number of epochs of a run."""
        from nnviz.core.schedules import get_schedule
        from nnviz.experiment import make_optimizer

        exp = self._exp
        old = exp.optimizer
        new = make_optimizer(settings)
        if type(new) is type(old):  # keep the optimizer's state (momentum, Adam moments)
            new.state, new.t = old.state, old.t
        exp.optimizer = new
        exp.settings = settings
        if exp.trainer is not None:
            exp.trainer.optimizer = new
            exp.trainer.base_lr = new.lr
            exp.trainer.schedule = get_schedule(settings.schedule, **settings.schedule_options)
        self._emit_snapshot(True, self._state != RUNNING)

    def _cmd_save_model(self, path: str, extra: dict) -> None:
        from nnviz.core.model_io import save_model

        try:
            written = save_model(self._exp.net, path, extra=extra)
        except NNVizError as exc:  # a bad path is no reason to pause training
            self.saveFailed.emit(str(exc))
            return
        self.saved.emit(str(written))

    def _cmd_replace_experiment(self, exp) -> None:
        self._set_experiment(exp)
        self._set_state(PAUSED)
        self._emit_snapshot(True, True)


class TrainingController(QObject):
    """The UI thread's handle on training: starts the thread, sends commands, relays signals.

    Parameters
    ----------
    exp : Experiment
        From :func:`nnviz.experiment.build`; owned by the worker thread from now on.
    grid_size : int
        Decision-boundary grid points per axis for 2-D inputs (0: no grid).
    min_interval : float
        Seconds between throttled snapshots.

    Every command returns at once; its effect shows up as signals.
    """

    snapshot = Signal(object)
    epochFinished = Signal(object)
    stateChanged = Signal(str)
    diverged = Signal(str)
    errored = Signal(str)
    batchDone = Signal(int)
    saved = Signal(str)
    saveFailed = Signal(str)

    def __init__(self, exp, parent: QObject | None = None, grid_size: int = GRID_SIZE,
                 min_interval: float = MIN_SNAPSHOT_INTERVAL):
        super().__init__(parent)
        self._worker = TrainingWorker(exp, grid_size=grid_size, min_interval=min_interval)
        self._thread = QThread()
        self._thread.setObjectName("nnviz-training")
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.finished.connect(self._thread.quit)
        self._worker.finished.connect(self._worker.deleteLater)
        self._thread.finished.connect(self._thread.deleteLater)
        # epochFinished is not relayed by default: tiny nets finish hundreds of epochs a second and
        # the window reads them from the snapshots; connect_epochs() relays them for logging.
        for name in ("stateChanged", "diverged", "errored", "batchDone", "saved", "saveFailed"):
            getattr(self._worker, name).connect(getattr(self, name))
        self.signals = self
        self._relaying = False
        self.frames = 0  # snapshots drawn (for benchmarks)
        self._backlog: list = []
        self._worker.snapshot.connect(self._relay_snapshot)
        self._worker.wait_for_ui = True
        _forget_finished_threads()
        w = self._worker
        _LIVE_THREADS.add((self._thread, w, w._stop, w._wake, w._ui_ready))
        _hook_quit()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._shut_down = False
        self._thread.start()

    @Slot(object)
    def _relay_snapshot(self, snap) -> None:
        if self._relaying:  # arrived while a frame was being drawn: fold into the next one
            self._backlog.append(snap)
            return
        self._relaying = True
        self.frames += 1
        t0 = time.perf_counter()
        try:
            # Widgets connected directly update their items now, and paint at once whatever
            # paints through Python (see MainWindow._draw_snapshot), so the measured cost is
            # the Python cost of a frame. A snapshot that arrives meanwhile lands in the backlog
            # (see the guard above) and is drawn merged, afterwards.
            self.snapshot.emit(snap)
        finally:
            self._relaying = False
            try:
                self._worker.snapshot_consumed(time.perf_counter() - t0)
            except RuntimeError:  # pragma: no cover - the worker is already gone
                pass
        if self._backlog:
            merged, self._backlog = merge_snapshots(self._backlog), []
            QTimer.singleShot(0, lambda: self._relay_snapshot(merged))

    @property
    def worker(self) -> TrainingWorker:
        return self._worker

    @property
    def global_step(self) -> int:
        """Batches trained so far on the current experiment."""
        return self._worker.global_step

    @property
    def state(self) -> str:
        return self._worker.state

    # -- commands (never block) ---------------------------------------------------------------------
    def play(self) -> None:
        self._worker.post("play")

    def pause(self) -> None:
        self._worker.post("pause")

    def step_batch(self) -> None:
        """Train exactly one batch, then stay paused."""
        self._worker.post("step_batch")

    def step_epoch(self) -> None:
        """Train until the current epoch ends, then pause."""
        self._worker.post("step_epoch")

    def stop(self) -> None:
        """End the worker for good (state ``"stopped"``); use :meth:`shutdown` to also wait."""
        self._worker.request_stop()

    def set_param(self, layer: int, name: str, index: tuple | None, value: float) -> None:
        """Set ``net.layers[layer].params[name][index]`` (all entries if ``index`` is None)."""
        self._worker.post("set_param", int(layer), str(name), index, float(value))

    def connect_epochs(self) -> None:
        """Relay the worker's ``epochFinished`` (one signal per epoch) through this controller."""
        self._worker.emit_epochs = True
        self._worker.epochFinished.connect(self.epochFinished)

    def apply_settings(self, settings) -> None:
        """Apply live-tunable settings (optimizer, lr, L1/L2, schedule, epochs) between batches."""
        self._worker.post("apply_settings", settings)

    def save_model(self, path: str, extra: dict | None = None) -> None:
        """Write the network to ``path`` on the worker thread (between batches); ``saved`` or
        ``errored`` tells how it went."""
        self._worker.post("save_model", str(path), dict(extra or {}))

    def set_lr(self, lr: float) -> None:
        self._worker.post("set_lr", float(lr))

    def set_speed(self, delay_ms: int) -> None:
        """Wait ``delay_ms`` after each batch (0: full speed)."""
        self._worker.post("set_speed", int(delay_ms))

    def set_sample(self, index: int) -> None:
        """Which training sample the snapshots' ``x``/``z``/``a``/``delta`` describe."""
        self._worker.post("set_sample", int(index))

    def swap_optimizer(self, name: str, **hp) -> None:
        """Replace the optimizer between batches (lr, weight decay and L1 kept unless given)."""
        self._worker.post("swap_optimizer", str(name), dict(hp))

    def replace_experiment(self, exp) -> None:
        """Train ``exp`` from now on (reset / new network); the worker pauses."""
        self._worker.post("replace_experiment", exp)

    def shutdown(self, timeout_ms: int = 1000) -> bool:
        """Stop the worker and wait (at most ``timeout_ms``) for its thread; True if it ended."""
        if self._shut_down:
            return not (_valid(self._thread) and self._thread.isRunning())
        self._shut_down = True
        self._worker.request_stop()
        if not _valid(self._thread):
            return True
        self._thread.quit()
        return bool(self._thread.wait(int(timeout_ms)))
