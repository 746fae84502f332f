"""The step-through state: a list of steps and the current index, with a signal when it moves."""
from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from nnviz.lessons.phases import build_phases, display_state
from nnviz.lessons.record import StepRecord


class StepSession(QObject):
    """Steps and the current index. Moving never recomputes: the steps are recorded values.

    ``phaseChanged(index)`` fires when the index moves, ``stepsChanged()`` when the list is
    replaced (a new record, or another neuron selected).
    """

    phaseChanged = Signal(int)
    stepsChanged = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self._steps: list = []
        self._index = 0
        self.record: StepRecord | None = None
        self.selection = None
        self.sig = 4
        self._source = None   # a function that builds the steps again (in the current language)
        from nnviz.app.translation import retranslate

        retranslate(self)

    def retranslate_ui(self) -> None:
        """After a language switch: the traced step's phases again, in the new language, at the
        same phase (their titles, notes and formulas' words are written when they are built)."""
        if self.record is not None:
            self.set_steps(build_phases(self.record, select=self.selection, sig=self.sig), self._index)
        elif self._source is not None:
            self.set_steps(self._source(), self._index)

    def set_source(self, build) -> None:
        """Steps from ``build()``, built again after a language switch (their texts are written
        when they are built), at the same index."""
        self.record, self._source = None, build
        self.set_steps(build())

    def clear(self) -> None:
        """No steps, no record: nothing left to explain (a new network replaced the traced one)."""
        self.record, self.selection, self._source = None, None, None
        self.set_steps([])

    # -- contents ---------------------------------------------------------------------------
    def set_steps(self, steps: list, index: int = 0) -> None:
        self._steps = list(steps)
        self._index = max(0, min(int(index), len(self._steps) - 1))
        self.stepsChanged.emit()
        self.phaseChanged.emit(self._index)

    def set_record(self, record: StepRecord, select=None, sig: int = 4) -> None:
        """Explain a traced training step (see :func:`nnviz.lessons.build_phases`)."""
        self.record, self.selection, self.sig, self._source = record, select, sig, None
        self.set_steps(build_phases(record, select=select, sig=sig))

    def set_digits(self, sig: int) -> None:
        """Round the shown numbers to ``sig`` significant digits (the full values stay a hover away)."""
        self.sig = max(1, int(sig))
        if self.record is not None:
            self.set_steps(build_phases(self.record, select=self.selection, sig=self.sig), self._index)

    def select(self, layer: int, neuron: int | None) -> None:
        """Explain another neuron; the phase shown stays the same."""
        if self.record is None:
            return
        self.selection = (layer, neuron)
        self.set_steps(build_phases(self.record, select=self.selection, sig=self.sig), self._index)

    @property
    def steps(self) -> list:
        return self._steps

    def __len__(self) -> int:
        return len(self._steps)

    def __bool__(self) -> bool:  # an empty session is still a session (``session or …`` must not replace it)
        return True

    @property
    def index(self) -> int:
        return self._index

    def current(self):
        return self._steps[self._index] if self._steps else None

    def display(self) -> dict | None:
        """What the network diagram shows now (for a traced training step)."""
        if self.record is None or not self._steps:
            return None
        return display_state(self.record, self._steps, self._index)

    # -- moving -----------------------------------------------------------------------------
    def set_index(self, index: int) -> None:
        if not self._steps:
            return
        index = max(0, min(int(index), len(self._steps) - 1))
        if index != self._index:
            self._index = index
            self.phaseChanged.emit(index)

    def next(self) -> None:
        self.set_index(self._index + 1)

    def back(self) -> None:
        self.set_index(self._index - 1)

    def home(self) -> None:
        self.set_index(0)

    def end(self) -> None:
        self.set_index(len(self._steps) - 1)
