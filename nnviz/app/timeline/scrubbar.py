"""The scrub bar under the diagram: a slider over the selected run's recorded checkpoints.

Buttons (the window's actions, with their keys): previous / next checkpoint, the first one,
Live (back to the running run) and Train from here. The slider moves by checkpoint (dense where
learning is fast, thinner later, as the timeline keeps them); the label says the step and epoch
shown. The bar only asks :class:`~nnviz.app.timeline.scrub.Scrubber` (``model.scrub``); it reads
the run's timeline (thread-safe) a few times a second while it grows.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QSlider, QToolButton, QWidget

from nnviz.app.translation import retranslate
from nnviz.i18n import _, n_

#: How often the bar looks at the timeline while it grows (milliseconds).
REFRESH_MS = 300
#: The bar's minimum width, and the width from which it also shows its title (pixels).
NARROW, WIDE = 300, 600


class ScrubBar(QWidget):
    """Slider, step buttons, the moment's label, Live and Train from here (see the module docs)."""

    def __init__(self, model, actions: dict, parent: QWidget | None = None):
        super().__init__(parent)
        self.model, self.scrub, self.actions = model, model.scrub, actions
        self._steps = np.zeros(0, dtype=np.int64)
        self._updating = False
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        self.title = QLabel()   # "Timeline": shown when the bar has room (see resizeEvent)
        self.title.hide()
        lay.addWidget(self.title)
        self.buttons = {}
        for key in ("first", "prev"):
            lay.addWidget(self._button(key))
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(10)
        self.slider.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.slider.setMinimumWidth(60)
        self.slider.valueChanged.connect(self._on_slider)
        lay.addWidget(self.slider, 1)
        lay.addWidget(self._button("next"))
        self.label = QLabel()
        self.label.setMinimumWidth(60)
        lay.addWidget(self.label)
        for key in ("live", "branch"):
            lay.addWidget(self._button(key))
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.scrub.momentChanged.connect(lambda _m: self.refresh())
        model.runs.selectedChanged.connect(lambda _r: self.refresh())
        model.stateChanged.connect(lambda _s: self.refresh())
        retranslate(self)

    def _button(self, key: str) -> QToolButton:
        b = QToolButton()
        b.setDefaultAction(self.actions[key])
        b.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.buttons[key] = b
        return b

    def retranslate_ui(self) -> None:
        self.title.setText(_("Timeline"))
        self.title.setToolTip(_("Every run is recorded: drag to see the network at an earlier moment"))
        self.slider.setToolTip(_("Drag to any recorded moment of the selected run: the diagram, the "
                                 "output, the matrix and a line on the curves show it"))
        self._label_width()
        self.refresh(force=True)

    def _label_width(self) -> None:
        # wide enough that the label does not jump while the steps count up, but no wider: the
        # bar must not widen the window's middle (the docks beside it need the room)
        fm = self.label.fontMetrics()
        widest = max((_("Step {step} · epoch {epoch}").format(step=8888, epoch=88),
                      _("Live · step {step}").format(step=88888)), key=fm.horizontalAdvance)
        self.label.setMinimumWidth(fm.horizontalAdvance(widest) + 8)

    def minimumSizeHint(self):  # noqa: N802 - Qt's name
        # Never wider than the diagram needs: the bar drops its title (and squeezes the slider)
        # on a narrow middle instead of taking the docks' room on a small screen.
        hint = super().minimumSizeHint()
        hint.setWidth(min(hint.width(), NARROW))
        return hint

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.title.setVisible(event.size().width() >= WIDE)

    # -- what the bar shows ----------------------------------------------------------------
    def run(self):
        return self.scrub.shown_run() or self.model.runs.selected

    def refresh(self, force: bool = False) -> None:
        run = self.run()
        tl = None if run is None else run.timeline
        steps = tl.steps() if tl is not None else np.zeros(0, dtype=np.int64)
        if force or len(steps) != len(self._steps) or (len(steps) and steps[-1] != self._steps[-1]):
            self._steps = np.asarray(steps, dtype=np.int64)
        n = len(self._steps)
        if self.scrub.scrubbing and n:
            index = int(np.clip(np.searchsorted(self._steps, self.scrub.step), 0, n - 1))
            ckpt = tl.at(self.scrub.step)
            text = _("Step {step} · epoch {epoch}").format(step=ckpt.step, epoch=ckpt.epoch)
        else:
            index = max(0, n - 1)
            text = _("Live · step {step}").format(step=int(self._steps[-1]) if n else 0)
        self._updating = True
        try:
            self.slider.setRange(0, max(0, n - 1))
            self.slider.setValue(index)
        finally:
            self._updating = False
        self.slider.setEnabled(n > 1)
        self.label.setText(text)
        self.label.setToolTip(n_("{n} recorded moment of run {run}", "{n} recorded moments of run {run}",
                                 n).format(n=n, run=run.name if run is not None else "—"))
        live = not self.scrub.scrubbing
        self.actions["live"].setEnabled(not live)
        self.actions["first"].setEnabled(n > 0)
        self.actions["prev"].setEnabled(n > 0)
        self.actions["next"].setEnabled(not live)
        self.actions["branch"].setEnabled(n > 0 and not self.scrub.branching)

    def _on_slider(self, index: int) -> None:
        if self._updating or not len(self._steps):
            return
        index = int(np.clip(index, 0, len(self._steps) - 1))
        self.scrub.show(int(self._steps[index]), self.run().id)

    # -- the actions -------------------------------------------------------------------------
    def step_by(self, k: int) -> None:
        """Move ``k`` checkpoints (past the newest: Live)."""
        self.refresh()
        n = len(self._steps)
        if not n:
            return
        index = self.slider.value() + int(k)
        if index >= n and self.scrub.scrubbing:
            self.scrub.live()
            return
        self.scrub.show(int(self._steps[int(np.clip(index, 0, n - 1))]), self.run().id)

    def first(self) -> None:
        self.refresh()
        if len(self._steps):
            self.scrub.show(int(self._steps[0]), self.run().id)
