"""The training half of the application model: commands to the worker, and its signals back."""
from __future__ import annotations

import math
from array import array

from PySide6.QtCore import QTimer

from nnviz.app.experimentinfo import HISTORY_COLUMNS
from nnviz.i18n import _


class TrainingCommands:
    """Mixin of :class:`~nnviz.app.appmodel.AppModel`: play, pause, steps, edits, speed; the
    worker's snapshots and states. Commands never wait for the worker."""

    def _trainable(self) -> bool:
        return self._controller is not None and self._info is not None and self._info.trainable

    def play(self) -> None:
        if self._trainable():
            self._controller.play()

    def pause(self) -> None:
        if self._controller is not None:
            self._controller.pause()

    #: The learner's Play asks first (issue 21's "line or curve?"): a callable that returns True
    #: when it took the press (it plays itself once answered); set by the window's exercises.
    before_play = None

    def toggle_play(self) -> None:
        if self._state == "running":
            self.pause()
        elif self.before_play is None or not self.before_play():
            self.play()

    def step_batch(self) -> None:
        if self._trainable():
            self._controller.step_batch()

    def step_epoch(self) -> None:
        if self._trainable():
            self._controller.step_epoch()

    def set_param(self, layer: int, name: str, index, value: float) -> bool:
        """Set one weight or bias (``index`` None: every entry) between two batches."""
        if not math.isfinite(value):
            self.error.emit(_("Not a number"), _("A weight must be a finite number."))
            return False
        if self._controller is not None:
            self._controller.set_param(layer, name, index, value)
            self.step_mode.retrace()  # in step mode: the edit's effect flows through a new trace
        return True

    # -- step mode (see nnviz.app.stepmode) ----------------------------------------------------------
    def enter_step_mode(self, rows=None) -> bool:
        """Pause and trace one training step (the shown sample, or ``rows``) to walk through."""
        return self.step_mode.enter(rows)

    def leave_step_mode(self) -> None:
        self.step_mode.leave()

    def apply_step(self) -> bool:
        """Make the traced step's update real."""
        return self.step_mode.apply()

    def continue_training(self) -> None:
        """Apply the traced update if not yet, leave step mode and play."""
        self.step_mode.continue_training()

    def set_sample(self, i: int) -> None:
        """Which training sample the snapshots describe."""
        self._sample = max(0, int(i))
        if self._controller is not None:
            self._controller.set_sample(self._sample)
            self.step_mode.retrace(follow_sample=True)

    def set_speed(self, delay_ms: int) -> None:
        """Wait ``delay_ms`` after each batch (0: full speed)."""
        self._delay_ms = max(0, int(delay_ms))
        if self._controller is not None:
            self._controller.set_speed(self._delay_ms)

    def fine_tune(self, command) -> bool:
        """Post a :class:`~nnviz.app.training.commands.FineTune` (the learner's digits): a few steps,
        shown live through the snapshots. False when there is no network to teach."""
        if not self._trainable():
            self.status.emit(_("There is no network to teach."))
            return False
        self._controller.post(command)
        return True

    def step_digit(self, x, label: int) -> bool:
        """Step mode on one input of the user's own (the digit canvas's drawing: raw pixels in
        the form of the data's rows) with its class ``label``."""
        info = self.info
        if info is None or info.sizes[0] != len(x) or not 0 <= int(label) < max(2, info.sizes[-1]):
            self.status.emit(_("Step through a drawing needs a network that reads {n} pixels "
                               "into classes: open MNIST first").format(n=len(x)))
            return False
        return self.step_mode.enter(pixels=[x], labels=[int(label)])

    # -- races (issue 20, see nnviz.app.timeline.race) -------------------------------------------
    def on_run_switch(self) -> None:
        """A snapshot of another race variant comes with its whole history: the window clears
        its curves first (the window's race glue replaces this)."""

    def start_race(self, race, selected: int = 0) -> None:
        """Train ``race`` (a :class:`nnviz.timeline.Race`) on the worker, variant ``selected`` shown."""
        if self._trainable():
            from nnviz.app.training.commands import StartRace
            self._controller.post(StartRace(race, selected))

    def select_variant(self, index: int) -> None:
        if self._controller is not None:
            from nnviz.app.training.commands import SelectVariant
            self._controller.post(SelectVariant(index))

    def shutdown(self, timeout_ms: int = 1000) -> None:
        """Stop loading and training (the window is closing)."""
        self._closing = True
        if self._loader is not None:
            self._loader.wait(timeout_ms)
        if self._controller is not None and self._controller.shutdown(timeout_ms):
            self._state = "stopped"  # the thread has ended (its own signal would come later)

    # -- the worker's signals ---------------------------------------------------------------------
    def _on_snapshot(self, snap) -> None:
        info = self._info
        if info is not None and not _fits(snap, info.sizes):
            return  # the previous network's last picture, sent before the worker swapped
        if self._spreading:
            # the new network's first picture: drawn in a turn of its own (see _hand_over)
            self._spreading = False
            self._deferred = snap
            QTimer.singleShot(1, self, self._take_deferred)
            return
        self._take_deferred()  # (a newer picture came first: the first one is shown before it)
        if getattr(snap, "run_switch", False):  # another race variant, with its whole history
            self._history = array("d")
            self.on_run_switch()
        for e in snap.epochs:
            self._history.extend(math.nan if e.get(k) is None else float(e[k]) for k in HISTORY_COLUMNS)
        if snap.recorded_step is not None:  # a recorded moment the scrub bar asked for (issue 20)
            self.scrub.take(snap)
            return
        self._last_snapshot = snap
        self.snapshot.emit(snap)

    def _take_deferred(self) -> None:
        snap, self._deferred = self._deferred, None
        if snap is not None and not self._closing and self._info is not None and _fits(snap, self._info.sizes):
            self._on_snapshot(snap)

    def _on_state(self, state: str) -> None:
        self._state = state
        if state == "finished":
            self._finish_shown = True
            self.status.emit(_("Finished the planned epochs. Press Play to train on."))
        elif state == "running" and self._finish_shown:
            self._finish_shown = False
            self.status.emit("")
        self.stateChanged.emit(state)


def _fits(snap, sizes) -> bool:
    """True when ``snap``'s weight matrices are those of a dense net of ``sizes``."""
    ws = snap.weights
    return len(ws) == len(sizes) - 1 and all(
        tuple(W.shape) == (sizes[k], sizes[k + 1]) for k, (W, _b) in enumerate(ws))
