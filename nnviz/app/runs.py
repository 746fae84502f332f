"""The session's runs: every run the learner trained, branched or raced, with its timeline.

:class:`RunList` lives on the UI thread (``AppModel.runs``). A :class:`Run` holds its settings,
where it came from (``parent`` and ``branch_step``), and its
:class:`~nnviz.timeline.Timeline`, which the worker records into (the timeline has its own lock:
the UI thread only reads it). The views subscribe: the run list widget, the plots that overlay
every visible run, the scrub bar, which shows the selected run.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from nnviz.experiment import Settings, changed_fields

#: Colours of runs in the order they are made (Okabe–Ito, readable by colour-blind learners);
#: the two close to the plots' own train/test blue and orange come last.
RUN_COLOURS = ("#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442", "#0072b2",
               "#d55e00")


def run_letter(i: int) -> str:
    """``A``, ``B``, … ``Z``, ``AA``, ``AB`` … for the ``i``-th root run (0-based)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(ord("A") + r) + s
    return s


@dataclass
class Run:
    id: int
    name: str
    colour: str
    settings: Settings
    timeline: object = None              # nnviz.timeline.Timeline (None before the first batch)
    parent: int | None = None
    branch_step: int | None = None       # the parent's global step this run starts from
    visible: bool = True
    race: int | None = None              # runs started together in one race share this number
    changes: dict = field(default_factory=dict)   # setting → value that differ from the parent


class RunList(QObject):
    """The ordered runs of the session and which one the window shows."""

    added = Signal(object)        # Run
    changed = Signal(object)      # Run (renamed, shown/hidden, new epochs to draw)
    removed = Signal(int)         # run id
    selectedChanged = Signal(object)   # Run or None

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._runs: list[Run] = []
        self._next_id = 1
        self._roots = 0
        self._selected: int | None = None

    # -- reading -------------------------------------------------------------------------
    def runs(self) -> list[Run]:
        return list(self._runs)

    def get(self, run_id: int | None) -> Run | None:
        return next((r for r in self._runs if r.id == run_id), None)

    @property
    def selected(self) -> Run | None:
        return self.get(self._selected)

    def __len__(self) -> int:
        return len(self._runs)

    # -- changing ------------------------------------------------------------------------
    def add(self, settings: Settings, timeline=None, parent: int | None = None,
            branch_step: int | None = None, name: str | None = None, race: int | None = None,
            select: bool = True) -> Run:
        """A new run. Without a name: the next letter for a root run, ``"A → lr 0.01 @ step 300"``
        style names are the caller's (it knows what changed)."""
        changes = {}
        base = self.get(parent)
        if base is not None:
            changes = {k: getattr(settings, k) for k in sorted(changed_fields(base.settings, settings))}
        if name is None:
            name = run_letter(self._roots)
        if parent is None:
            self._roots += 1
        run = Run(self._next_id, name, RUN_COLOURS[(self._next_id - 1) % len(RUN_COLOURS)],
                  settings, timeline, parent, branch_step, True, race, changes)
        self._next_id += 1
        self._runs.append(run)
        self.added.emit(run)
        if select:
            self.select(run.id)
        return run

    def touch(self, run_id: int) -> None:
        """Say that a run's timeline grew (the views redraw it)."""
        run = self.get(run_id)
        if run is not None:
            self.changed.emit(run)

    def rename(self, run_id: int, name: str) -> None:
        run = self.get(run_id)
        name = name.strip()
        if run is not None and name and name != run.name:
            run.name = name
            self.changed.emit(run)

    def set_visible(self, run_id: int, visible: bool) -> None:
        run = self.get(run_id)
        if run is not None and run.visible != bool(visible):
            run.visible = bool(visible)
            self.changed.emit(run)

    def select(self, run_id: int | None) -> None:
        if run_id == self._selected or (run_id is not None and self.get(run_id) is None):
            return
        self._selected = run_id
        self.selectedChanged.emit(self.selected)

    def remove(self, run_id: int) -> None:
        run = self.get(run_id)
        if run is None:
            return
        self._runs.remove(run)
        for r in self._runs:
            if r.parent == run_id:
                r.parent = run.parent
        self.removed.emit(run_id)
        if self._selected == run_id:
            self._selected = None
            self.select(self._runs[-1].id if self._runs else None)
            if not self._runs:
                self.selectedChanged.emit(None)

    def clear(self) -> None:
        for run in list(self._runs):
            self.remove(run.id)
        self._roots = 0
