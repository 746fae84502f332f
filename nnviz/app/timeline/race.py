"""Races in the window: several variants trained in lockstep on the worker thread (issue 20).

Worker side (called by :class:`~nnviz.app.training.worker.TrainingWorker` on its thread):
:func:`start_race` installs a :class:`nnviz.timeline.Race` (``StartRace`` command), after which
every batch of a burst is :func:`race_step`: one ``Race.step()`` (every variant takes its batch
and records its timeline), with the selected variant's loss and epochs going to the window as
a solo run's do; :func:`select_variant` (``SelectVariant``) switches the variant the snapshots
show and sends its whole history with the next one (``snap.run_switch``).

Window side: :class:`RaceUI` builds the race from the current settings and data, registers one
:class:`~nnviz.app.runs.Run` per variant (same ``race`` number, the varied setting as its
changes), follows the run list's selection and keeps the runs' curves fresh while they train.
"""
from __future__ import annotations

import time
from array import array

from PySide6.QtCore import QObject, QTimer

from nnviz.core.errors import NNVizError
from nnviz.i18n import _, message

RUNNING, PAUSED, FINISHED = "running", "paused", "finished"
_clock = time.perf_counter


# -- on the worker thread --------------------------------------------------------------------
def start_race(w, c) -> None:
    """Train ``c.race`` from now on, showing variant ``c.selected`` (paused until Play)."""
    race = c.race
    i = min(max(c.selected, 0), len(race.experiments) - 1)
    w._set_experiment(race.experiments[i])
    w._race, w._race_index, w._race_told = race, i, set()
    w._epoch_limit = int(race.experiments[i].settings.epochs)
    w._set_state(PAUSED)
    _switch_snapshot(w)


def select_variant(w, c) -> None:
    race = getattr(w, "_race", None)
    if race is None or not 0 <= c.index < len(race.experiments) or c.index == w._race_index:
        return
    w._race_index = c.index
    w._exp = race.experiments[c.index]
    w._global_step = w._exp.trainer.global_step
    _switch_snapshot(w)


def _switch_snapshot(w) -> None:
    """A snapshot of the selected variant carrying its whole history (epochs, batch losses,
    confusion matrix), marked ``run_switch`` so the window starts its curves afresh."""
    from nnviz.app.training.snapshots import grid_axes, make_snapshot

    race, i = w._race, w._race_index
    tl, exp = race.timelines[i], race.experiments[i]
    with tl._lock:
        epochs = [dict(e) for e in tl.epochs]
    losses = tl.losses
    w._loss_steps, w._loss_values = array("d"), array("d")
    w._pending_epochs, w._pending_confusion = [], None
    w._last_loss = float(losses[-1, 1]) if len(losses) else float("nan")
    if w._grid_axes is None and w._grid_size > 0 and exp.net.n_inputs == 2:
        w._grid_axes = grid_axes(exp.data, w._grid_size, exp.net.dtype)
    confusion = getattr(exp.trainer, "last_confusion", None) if epochs else None
    snap = make_snapshot(exp, sample_index=w._sample, grid_size=w._grid_size, loss_points=losses,
                         epochs=epochs, confusion=confusion, final=w._state != RUNNING,
                         last_loss=w._last_loss, grid_axes_cache=w._grid_axes)
    snap.run_switch = True
    w._last_snapshot = _clock()
    w._ui_ready.clear()
    w.snapshotReady.emit(snap)
    w.stats.snapshots += 1


def race_step(w):
    """One batch of every running variant; the selected variant's result (``None`` when it did
    not train: the race ended, or it diverged, and the run stops)."""
    race, i = w._race, w._race_index
    for exp in race.experiments:  # Play after the planned epochs: every variant trains on
        if exp.settings.epochs < w._epoch_limit:
            exp.settings = exp.settings.replace(epochs=w._epoch_limit)
    if race.finished:
        w._end_run(FINISHED)
        return None
    t = _clock()
    results = race.step()
    w.stats.train_seconds += _clock() - t
    w.stats.batches += sum(r is not None for r in results)
    r = results[i]
    if r is None:
        err = race.errors[i]
        if err is not None and i not in w._race_told:  # the shown variant diverged: say so once
            w._race_told.add(i)
            w._on_diverged(err)
            return None
        if race.finished:
            w._end_run(FINISHED)
            return None
        return results  # the others go on (the shown one has finished its epochs)
    w._global_step, w._last_loss = r.global_step, float(r.loss)
    w._loss_steps.append(r.global_step)
    w._loss_values.append(w._last_loss)
    w._rate_samples += r.samples
    if r.epoch_done:
        tl, trainer = race.timelines[i], race.experiments[i].trainer
        summary = dict(tl.epochs[-1]) if tl.epochs else {}
        w._pending_epochs.append(summary)
        if trainer.classification:
            w._pending_confusion = (trainer.last_confusion if len(w._exp.data.x_test)
                                    else trainer.confusion("train"))
        if w.signals.epochs_wanted:
            w.signals.epochFinished.emit(dict(summary))
        if w._until_epoch_end or trainer.epoch >= w._epoch_limit:
            w._end_run(PAUSED if w._until_epoch_end else FINISHED)
            return None
    return r


def race_burst(w) -> None:
    """Race steps back to back until a snapshot is due, a command or stop arrives, the run ends
    or the burst's time is up (the worker's own burst, for a race)."""
    from nnviz.app.training.worker import BURST_SECONDS

    end = _clock() + BURST_SECONDS
    interval = w.snapshot_interval
    w.stats.snapshot_interval = interval
    due = False
    while True:
        if race_step(w) is None:
            return
        now = _clock()
        due = now - w._last_snapshot >= interval
        if due or w._delay > 0 or now >= end or w._wake.is_set() or w._stop.is_set():
            break
    if due:
        w._emit_snapshot(force=True)
    if w._delay > 0:
        w._wake.wait(w._delay)


# -- on the UI thread ----------------------------------------------------------------------------
def variant_title(key: str, value) -> str:
    from nnviz.app.timeline.runlist import setting_value

    return setting_value(key, value)


class RaceUI(QObject):
    """Starts races from the window and keeps their runs in step with the worker."""

    TOUCH_MS = 300  # the racing runs' rows and curves refresh this often (at most)

    def __init__(self, model, on_switch=None, parent: QObject | None = None):
        super().__init__(parent or model)
        self.model, self.runs = model, model.runs
        self.race = None              # the nnviz.timeline.Race the worker trains, if any
        self.number = 0               # races started this session
        self._variant_of: dict[int, int] = {}   # run id → variant index of the active race
        self._steps: dict[int, int] = {}
        self._quiet = False
        model.on_run_switch = on_switch or (lambda: None)
        self.runs.selectedChanged.connect(self._on_selected)
        model.experimentReplaced.connect(lambda info: self.end())
        self._timer = QTimer(self)
        self._timer.setInterval(self.TOUCH_MS)
        self._timer.timeout.connect(self._touch)

    # -- reading ----------------------------------------------------------------------------
    def is_live(self, run) -> bool:
        return self.race is not None and run is not None and run.id in self._variant_of

    def run_ids(self) -> list[int]:
        return list(self._variant_of)

    # -- starting and ending ----------------------------------------------------------------
    def start(self, vary: dict, play: bool = True):
        """Race the current setup's variants (``vary``: setting → values); the runs, or None
        (the reason is shown through the model's ``error``)."""
        from nnviz.timeline import Race
        from nnviz.timeline.race import variants
        from nnviz.timeline.timeline import DEFAULT_BUDGET

        model = self.model
        s, data = model.settings(), getattr(model, "_data", None)
        if s is None or data is None or model.controller is None or not model._trainable():
            return None
        model.step_mode.leave()  # (a traced step of the old network would not fit the race)
        if "optimizer" in vary:  # each optimizer with its own default options
            s = s.replace(optimizer_options={})
        try:
            # the variants share the memory one run may take (the scrub bar's setting, if any;
            # Race gives each variant an equal share, every checkpoint's objects counted)
            budget = int(getattr(getattr(model, "scrub", None), "budget_bytes", DEFAULT_BUDGET))
            race = Race(s, vary, data=data,
                        budget_bytes=max(2**20 * len(variants(s, vary)), budget))
        except NNVizError as exc:
            model.error.emit(_("The race could not start"), message(exc))
            return None
        self.end()
        self.number += 1
        keys = list(vary)
        made = []
        self._quiet = True
        try:
            for k, exp in enumerate(race.experiments):
                changes = {key: getattr(exp.settings, key) for key in keys}
                name = " · ".join(variant_title(key, v) for key, v in changes.items())
                if self.number > 1:
                    name = _("{name} (race {n})").format(name=name, n=self.number)
                run = self.runs.add(exp.settings, race.timelines[k], name=name, race=self.number,
                                    select=False)
                run.changes = changes
                made.append(run)
        finally:
            self._quiet = False
        self.race = race
        self._variant_of = {run.id: k for k, run in enumerate(made)}
        model.start_race(race, 0)
        self._quiet = True
        try:
            self.runs.select(made[0].id)
        finally:
            self._quiet = False
        for run in made:
            self.runs.touch(run.id)
        self._timer.start()
        if play:
            model.play()
        return made

    def end(self) -> None:
        """The race is over for the window (a new experiment replaced it); its runs stay."""
        if self.race is None:
            return
        self._touch()
        self.race = None
        self._variant_of = {}
        self._timer.stop()

    # -- following the window ------------------------------------------------------------
    def _on_selected(self, run) -> None:
        if run is None or run.id not in self._variant_of:
            return
        self._follow_scrub(run)
        if not self._quiet:
            self.model.select_variant(self._variant_of[run.id])

    def _follow_scrub(self, run) -> None:
        """The selected variant is the live run for the scrub bar (``model.scrub``, if any)."""
        scrub = getattr(self.model, "scrub", None)
        if scrub is None or not hasattr(scrub, "current"):
            return
        scrub.current = run.id
        if getattr(scrub, "scrubbing", False):
            scrub.live()

    def _touch(self) -> None:
        for run_id in list(self._variant_of):
            run = self.runs.get(run_id)
            if run is None or run.timeline is None:
                continue
            step = run.timeline.last_step
            if self._steps.get(run_id) != step:
                self._steps[run_id] = step
                self.runs.touch(run_id)
