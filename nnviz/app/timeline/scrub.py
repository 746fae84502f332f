"""Recording, scrubbing and branching runs: the application model's half (UI thread, no widgets).

:class:`Scrubber` lives on :class:`~nnviz.app.appmodel.AppModel` as ``model.scrub``.

* **Record.** Every hand-over of an experiment to the worker (new settings, reset, preset, an
  opened model, a branch) makes a new :class:`~nnviz.app.runs.Run` in ``model.runs`` with a new
  :class:`~nnviz.timeline.Timeline` (``budget_bytes``, a remembered setting), and posts
  :class:`~nnviz.app.training.commands.RecordTimeline`: the worker records the run's first state,
  then every batch. The worker owns the recording; the UI thread only reads the timeline (it
  has its own lock). The old runs stay in the list.
* **Scrub.** :meth:`Scrubber.show` asks the worker for the picture of the selected run at a
  recorded step (:class:`~nnviz.app.training.commands.ShowRecorded`): one request in flight at a
  time, the newest wanted step waits for its answer, so dragging never piles up work. The answer
  comes back as a snapshot marked ``recorded_step`` (:meth:`take`) and goes out on ``recorded``;
  the window's frame draws it as any snapshot, and live snapshots only update the plots meanwhile.
  :meth:`Scrubber.live` returns to the running run.
* **Train from here.** :meth:`Scrubber.train_from_here` branches the shown run at the shown step
  (:func:`nnviz.timeline.branch`, on a thread of its own), then hands the branch over paused: the
  learner may change the learning rate, the optimizer … and press Play. The branch is a new run
  (``parent``, ``branch_step``), named ``"A @ step 300"``, then ``"A → lr 0.01 @ step 300"``
  once a setting differs from its parent's.
"""
from __future__ import annotations

import threading
import time

from PySide6.QtCore import QObject, Signal

from nnviz.core.errors import NNVizError
from nnviz.i18n import _, message

#: Default memory budget of one run's timeline (the window reads the remembered one).
DEFAULT_BUDGET_MB = 256
#: A request unanswered for this long is given up (sent again with the newest wanted step).
ANSWER_TIMEOUT_S = 1.0
def describe_changes(changes: dict) -> str:
    """``"lr 0.01, optimizer adam"``: the settings that differ, as a run's name shows them."""
    def show(v):
        return f"{v:g}" if isinstance(v, float) else str(v)
    return ", ".join(f"{k} {show(v)}" for k, v in sorted(changes.items()))


def branch_name(parent: str, changes: dict, step: int) -> str:
    if changes:
        return _("{run} → {changes} @ step {step}").format(run=parent, changes=describe_changes(changes),
                                                          step=step)
    return _("{run} @ step {step}").format(run=parent, step=step)


class _BranchJob(QObject):
    """Runs :func:`nnviz.timeline.branch` on a thread; ``done(exp, error)`` on the UI thread."""

    done = Signal(object, str)

    def start(self, timeline, step: int, data) -> None:
        def work():
            from nnviz.timeline import branch

            try:
                exp, error = branch(timeline, step, data=data), ""
            except NNVizError as exc:
                exp, error = None, message(exc)
            except Exception as exc:  # noqa: BLE001 - never escape the thread
                exp, error = None, _("The branch could not be made ({kind}).").format(kind=type(exc).__name__)
            self.done.emit(exp, error)
        threading.Thread(target=work, name="nnviz-branch", daemon=True).start()


class Scrubber(QObject):
    """Which moment the window shows (live or a recorded step of a run); see the module docs."""

    momentChanged = Signal(object)   # (run id, step) shown, or None: live
    recorded = Signal(object, bool)  # a recorded Snapshot, and whether to draw its picture (else
                                     # only the live curves' points merged into it)
    branchingChanged = Signal(bool)  # a branch is being made (the buttons wait)

    def __init__(self, model):
        super().__init__(model)
        self.model = model
        self.budget_bytes = DEFAULT_BUDGET_MB * 2**20
        self.want_confusion = lambda: False   # the window: whether the matrix can be seen
        self.is_racing = lambda run: False    # the window: whether a race trains ``run`` now
        self.run_id: int | None = None        # the run shown while scrubbing
        self.step: int | None = None          # the step shown (None: live)
        self.current: int | None = None       # the run the worker records
        self.last_recorded = None             # the last recorded snapshot drawn
        self._wanted = None                   # (timeline, step) waiting for the answer in flight
        self._asked = None                    # (timeline, step) in flight
        self._asked_t = 0.0
        self._branch_from = None              # (run id, step) of the branch being handed over
        self._auto_names: dict[int, str] = {}  # branches whose name follows their changes
        self._job = None
        model.runs.selectedChanged.connect(self._on_selected)
        model.settingsChanged.connect(self._on_settings)

    # -- reading ---------------------------------------------------------------------------
    @property
    def scrubbing(self) -> bool:
        return self.step is not None

    @property
    def branching(self) -> bool:
        return self._job is not None

    def current_run(self):
        return self.model.runs.get(self.current)

    def shown_run(self):
        """The run whose moment the window shows (the recording one when live)."""
        return self.model.runs.get(self.run_id) if self.scrubbing else self.current_run()

    def fits(self, run) -> bool:
        """True when ``run``'s network and data are those of the window's experiment (only then
        can its moments be drawn in place)."""
        from nnviz.experiment import needs_rebuild

        s = self.model.settings()
        if run is None or run.timeline is None or s is None:
            return False
        return run.id == self.current or not needs_rebuild(run.settings, s)

    # -- recording ---------------------------------------------------------------------------
    def on_hand_over(self, settings, exp) -> None:
        """A new experiment went to the worker (AppModel._hand_over): a new run records it."""
        from nnviz.app.training import commands as cmd
        from nnviz.timeline import Timeline

        runs = self.model.runs
        parent, step = self._branch_from or (None, None)
        self._branch_from = None
        base = runs.get(parent)
        budget = int(self.budget_bytes)   # Timeline.nbytes counts every checkpoint's objects too
        from nnviz.app.timeline.runfiles import opened_timeline
        opened = opened_timeline(exp.net)   # a run file's record goes on
        if base is not None:   # the branch's record starts with its parent's up to the branch point
            timeline = base.timeline.truncated(step, budget)
            timeline.settings = settings
        elif opened is not None:
            timeline = opened
            timeline.settings = settings
            with timeline._lock:
                timeline.budget_bytes = budget
                timeline._thin()
        else:
            timeline = Timeline(budget, settings=settings)
        name = branch_name(base.name, {}, step) if base is not None else None
        run = runs.add(settings, timeline, parent=base.id if base else None,
                       branch_step=step if base else None, name=name, select=False)
        if base is not None:
            self._auto_names[run.id] = run.name
        self.current = run.id
        if exp.trainer is not None and self.model.controller is not None:
            self.model.controller.post(cmd.RecordTimeline(timeline))
        self.live()

    def _on_settings(self, s) -> None:
        """Live settings changed (lr, optimizer …): a branch's name and changes follow; a run
        that has not trained a batch yet records with them."""
        from nnviz.experiment import LIVE_SETTINGS, changed_fields

        run = self.current_run()
        if run is None:
            return
        tl = run.timeline
        fresh = tl is not None and tl.last_step == (run.branch_step or 0)
        if fresh:
            tl.settings = s
        run.settings = s
        base = self.model.runs.get(run.parent)
        if base is None:
            return
        run.changes = {k: getattr(s, k) for k in sorted(changed_fields(base.settings, s) & LIVE_SETTINGS)}
        if self._auto_names.get(run.id) != run.name:
            return   # (the learner named it: the name stays)
        name = self._auto_names[run.id] = branch_name(base.name, run.changes, run.branch_step)
        self.model.runs.rename(run.id, name)

    # -- scrubbing ---------------------------------------------------------------------------
    def show(self, step: int, run_id: int | None = None) -> bool:
        """Show ``run_id``'s (default: the selected run's) checkpoint at or before ``step``."""
        runs = self.model.runs
        run = runs.get(run_id) if run_id is not None else (runs.selected or self.current_run())
        if run is None or run.timeline is None or not len(run.timeline.steps()):
            return False
        if not self.fits(run):
            self.model.status.emit(_("Run {run} trained another network: use Train from here to "
                                     "continue it.").format(run=run.name))
            return False
        step = int(run.timeline.at(max(0, int(step))).step)
        if (run.id, step) == (self.run_id, self.step):
            return True
        self.run_id, self.step = run.id, step
        if runs.selected is None or runs.selected.id != run.id:
            runs.select(run.id)
        self._wanted = (run.timeline, step)
        self.momentChanged.emit((run.id, step))
        self._send()
        return True

    def live(self) -> None:
        """Back to the running run (the window shows its latest state again)."""
        self._wanted = None
        was = self.scrubbing
        self.run_id = self.step = None
        self.last_recorded = None
        if self.current is not None:
            self.model.runs.select(self.current)
        if was or self.current is not None:
            self.momentChanged.emit(None)

    def _send(self) -> None:
        if self._wanted is None or self.model.controller is None:
            return
        if self._asked is not None and time.monotonic() - self._asked_t < ANSWER_TIMEOUT_S:
            return   # one request at a time: the newest wanted one follows the answer
        from nnviz.app.training import commands as cmd

        self._asked, self._wanted = self._wanted, None
        self._asked_t = time.monotonic()
        self.model.controller.post(cmd.ShowRecorded(self._asked[0], self._asked[1], self.want_confusion()))

    def take(self, snap) -> None:
        """A recorded snapshot arrived (AppModel._on_snapshot): draw it if still wanted."""
        if snap.recorded_followup:   # the shown moment's confusion matrix, counted after its picture
            shown = self.last_recorded
            if self.scrubbing and shown is not None and shown.recorded_step == snap.recorded_step == self.step:
                self.last_recorded = snap
                self.recorded.emit(snap, True)
            return
        asked, self._asked = self._asked, None
        run = self.model.runs.get(self.run_id)
        wanted = bool(self.scrubbing and run is not None and asked is not None
                      and asked[0] is run.timeline and snap.recorded_step == self.step)
        if wanted:
            self.last_recorded = snap
        if wanted or len(snap.loss_points) or snap.epochs:
            self.recorded.emit(snap, wanted)
        self._send()

    def redraw(self) -> None:
        """Ask again for the shown moment (e.g. the shown sample changed)."""
        run = self.model.runs.get(self.run_id)
        if self.scrubbing and run is not None:
            self._wanted = (run.timeline, self.step)
            self._send()

    def _on_selected(self, run) -> None:
        if run is not None and run.id != self.current and self.is_racing(run):
            self.current = run.id   # a racing variant is live: it trains now (RaceUI follows)
            if self.scrubbing and run.id != self.run_id:
                self.live()
            return
        if run is None or run.id == self.current:
            if self.scrubbing and (run is None or run.id != self.run_id):
                self.live()
            return
        if run.id != self.run_id and run.timeline is not None and len(run.timeline.steps()):
            self.show(run.timeline.last_step, run.id)

    # -- branching ---------------------------------------------------------------------------
    def train_from_here(self) -> bool:
        """Branch the shown run at the shown step (its newest one when live); the branch is
        handed over paused, once made (on a thread: the window never waits)."""
        from nnviz.app.experimentinfo import same_data

        run = self.shown_run() or self.model.runs.selected
        if self._job is not None or run is None or run.timeline is None or not len(run.timeline.steps()):
            return False
        step = self.step if self.scrubbing else int(run.timeline.last_step)
        self.model.pause()
        current = self.model.settings()
        data = self.model._data if current is not None and same_data(run.settings, current) else None
        self._job = _BranchJob(self)
        self._job.done.connect(lambda exp, error, r=run.id, s=step: self._branched(r, s, exp, error))
        self.branchingChanged.emit(True)
        self.model.status.emit(_("Making a branch of run {run} at step {step}…").format(run=run.name, step=step))
        self._job.start(run.timeline, step, data)
        return True

    def _branched(self, run_id: int, step: int, exp, error: str) -> None:
        self._job = None
        self.branchingChanged.emit(False)
        if exp is None or self.model._closing:
            if error:
                self.model.error.emit(_("The branch could not be made"), error)
            return
        run = self.model.runs.get(run_id)
        self._branch_from = (run_id, step)
        self.model._hand_over(exp.settings, exp)
        self.model.status.emit(_("Run {run} continues from step {step}: change a setting if you "
                                 "like, then press Play.").format(run=run.name if run else "?", step=step))
