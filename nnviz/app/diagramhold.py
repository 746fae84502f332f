"""The drawing on the digit canvas *holds* the network diagram (:class:`DiagramHold`): while
held, the training snapshots stop repainting the diagram, which shows the drawn digit instead.
When the hold begins and ends is told in :mod:`nnviz.app.digitsdock`."""
from __future__ import annotations

from PySide6.QtCore import QObject


class DiagramHold(QObject):
    """The drawing holds the network diagram (when it lets go: see :mod:`nnviz.app.digitsdock`)."""

    def __init__(self, docks):
        super().__init__(docks)
        self.docks, self.model, self.diagram = docks, docks.model, docks.diagram
        self.held = False
        self._step = None   # the training step when the hold began
        self.model.snapshot.connect(self._on_snapshot)  # (before the frame's drawer: may let go)
        self.model.stateChanged.connect(self._on_state)

    def watch(self, panel) -> None:
        """Follow ``panel``'s input (the panel is built on first show)."""
        panel.inputChanged.connect(self._on_input)

    def take(self) -> None:
        self._set(True)

    def release(self, redraw: bool = True) -> None:
        """Give the diagram back to the snapshots (``redraw``: show the last one now)."""
        if not self.held:
            return
        self._set(False)
        if redraw and self.model.last_snapshot is not None:
            self.diagram.update_snapshot(self.model.last_snapshot)

    def _set(self, on: bool) -> None:
        self.held = on
        last = self.model.last_snapshot
        self._step = None if last is None else last.global_step
        frame = getattr(self.docks.window, "frame", None)
        if frame is not None:
            frame.diagram_held = on

    def _on_input(self, x) -> None:
        if x is None:
            self.release()
            return
        if not self.held:
            return
        snap = self.docks.panel.input_snapshot(self.model.last_snapshot)
        if snap is not None:
            self.diagram.update_snapshot(snap)

    def _on_state(self, state: str) -> None:
        if state == "running":
            self.release(redraw=False)

    def _on_snapshot(self, snap) -> None:
        # a batch trained while paused (Step batch, Teach the network): the learner watches it
        if self.held and self.model.state != "running" and snap.global_step != self._step:
            self.release(redraw=False)  # the frame's drawer draws this snapshot next
