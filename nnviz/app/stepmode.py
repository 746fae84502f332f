"""Step mode: one training step of the real network, traced on a copy and walked through phase by
phase (issue 11).

:class:`StepMode` belongs to the :class:`~nnviz.app.appmodel.AppModel` (its intents
``enter_step_mode`` … ``continue_training`` call it). Entering pauses training and asks the worker
to trace one step on a deep copy of the network (``controller.trace_step``); the record that comes
back (``stepTraced``) becomes the phases of a :class:`~nnviz.app.stepthrough.StepSession`. Moving
through the phases replays that record: nothing in the model changes until :meth:`apply`.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from nnviz.app.stepthrough.session import StepSession
from nnviz.i18n import _


class _GradTask(QRunnable):
    """``gradient_table`` on a private copy of the network, off the UI thread."""

    def __init__(self, net, x, t, max_params, done):
        super().__init__()
        self.args, self.done = (net, x, t, max_params), done

    def run(self) -> None:
        from nnviz.lessons.gradcheck import gradient_table

        net, x, t, max_params = self.args
        try:
            rows = gradient_table(net, x, t, max_params=max_params)
        except Exception as exc:  # noqa: BLE001 - the dialog shows what went wrong
            rows = exc
        try:
            self.done.emit(rows)
        except RuntimeError:  # the window closed meanwhile: nobody waits for the result
            pass


class StepMode(QObject):
    """Holds the step session and talks to the worker for it (UI thread)."""

    activeChanged = Signal(bool)
    traced = Signal(object)          # the StepRecord just shown
    appliedChanged = Signal(bool)    # True once the traced update is in the real network
    gradientsReady = Signal(object)  # list of GradRow (or an exception)

    def __init__(self, model):
        super().__init__(model)
        self.own = None  # (pixels, labels) when stepping the user's own input, e.g. a drawing
        self.model = model
        self.session = StepSession(self)
        self.active = False
        self.applied = False
        self.batch = 1
        self.rows: tuple[int, ...] = ()
        self._wired = None
        self._keep_index = False
        self._grad_pending = False
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        model.experimentReplaced.connect(self._on_experiment)

    @property
    def record(self):
        return self.session.record

    def _controller(self):
        c = self.model.controller
        if c is not None and self._wired is not c:
            c.signals.stepTraced.connect(self._on_traced)
            self._wired = c
        return c

    # -- intents ----------------------------------------------------------------------------
    def enter(self, rows=None, pixels=None, labels=()) -> bool:
        """Pause and trace one step on ``rows`` (default: the shown sample and the next
        ``batch - 1``), or on own inputs: ``pixels`` (raw, like the data's rows) and ``labels``."""
        c = self._controller()
        info = self.model.info
        if c is None or info is None:
            return False
        if rows is None:
            rows = self._default_rows() if pixels is None else ()
        self.rows = tuple(int(r) for r in rows)
        self.own = None if pixels is None else (pixels, tuple(labels))
        self.applied = False
        self._keep_index = False
        was = self.active
        self.active = True
        self._trace(c)
        if not was:
            self.activeChanged.emit(True)
        self.appliedChanged.emit(False)
        return True

    def _default_rows(self) -> list[int]:
        first, n = self.model._sample, self.model.info.n_train
        return [min(first + k, n - 1) for k in range(max(1, self.batch))]

    def retrace(self, follow_sample: bool = False) -> None:
        """Trace again (after a weight or a setting was changed; ``follow_sample``: on the newly
        shown sample), staying at the same phase."""
        c = self._controller()
        if not self.active or c is None:
            return
        if follow_sample:
            self.rows = tuple(self._default_rows())
            self.own = None
        self.applied = False
        self._keep_index = True
        self._trace(c)
        self.appliedChanged.emit(False)

    def _trace(self, c) -> None:
        if getattr(self, "own", None) is not None:
            c.trace_step(pixels=self.own[0], labels=self.own[1])
        else:
            c.trace_step(self.rows)

    def at_update(self) -> bool:
        p = self.session.current()
        return p is not None and p.phase == "update"

    def can_apply(self) -> bool:
        rec = self.record
        return self.active and not self.applied and rec is not None and rec.trained

    def apply(self) -> bool:
        """Make the traced update real (the network takes the copy's new weights)."""
        if not self.can_apply():
            return False
        self._controller().apply_traced_step()
        self.applied = True
        self.appliedChanged.emit(True)
        return True

    def _on_experiment(self, _info=None) -> None:
        """A lesson or a preset built a new network: leave, and forget the old network's step
        (its explanation must not stay on screen beside the new diagram)."""
        self.leave()
        self.applied = False
        self._keep_index = False
        self.session.clear()

    def leave(self) -> None:
        if not self.active:
            return
        self.active = False
        self.activeChanged.emit(False)

    def continue_training(self) -> None:
        """Apply the update if it is not yet, leave step mode and train on."""
        if self.active and not self.applied:
            self.apply()
        self.leave()
        self.model.play()

    # -- the worker's answer ----------------------------------------------------------------
    def _on_traced(self, record) -> None:
        if self._grad_pending and not self.active:
            self._grad_pending = False
            self._run_gradients(record)
            return
        if not self.active:
            return
        index = self.session.index if self._keep_index else 0
        self._keep_index = False
        self.session.set_record(record, select=self.session.selection, sig=self.session.sig)
        self.session.set_index(index)
        self.traced.emit(record)
        if self._grad_pending:
            self._grad_pending = False
            self._run_gradients(record)

    def display(self) -> dict | None:
        """What the diagram shows now: :func:`nnviz.lessons.display_state` plus the weights
        before the step (``W_before``, ``b_before``)."""
        state = self.session.display()
        if state is not None:
            state["W_before"] = [s.params["W"] for s in self.record.layers]
            state["b_before"] = [s.params["b"] for s in self.record.layers]
        return state

    # -- gradient check -----------------------------------------------------------------------
    def check_gradients(self, max_params: int | None = 400) -> bool:
        """Backprop against central differences for the shown sample (``gradientsReady``
        follows), on a copy of the network the worker made: the real one is never touched."""
        c = self._controller()
        if c is None:
            return False
        self._max_params = max_params
        if self.active and self.record is not None and not self.applied:
            self._run_gradients(self.record)
            return True
        self._grad_pending = True
        if not self.active:
            c.trace_step([self.model._sample])
        return True

    def _run_gradients(self, record) -> None:
        import copy

        net = getattr(record, "network", None)
        if net is None:
            self.gradientsReady.emit(RuntimeError(_("the trace carries no copy of the network")))
            return
        import numpy as np

        net = copy.deepcopy(net).astype("float64")  # as `nnviz gradcheck`: differences need float64
        self.pool.start(_GradTask(net, np.asarray(record.x, dtype=np.float64), record.t,
                                  getattr(self, "_max_params", 400), self.gradientsReady))
