"""The timeline in the main window: the scrub bar under the diagram, its actions in the Training
menu, the status bar's "showing step S of run X", and the frame drawing recorded moments.

:func:`install_scrub_ui` is called once by :class:`~nnviz.app.window.mainwindow.MainWindow`.
"""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel

from nnviz.app.timeline.scrub import DEFAULT_BUDGET_MB
from nnviz.app.timeline.scrubbar import ScrubBar
from nnviz.app.translation import retranslate
from nnviz.i18n import _

#: Keys of the scrub actions (each action's first key is shown in its tooltip; all work).
#: (Home and End belong to step mode's phases.)
KEYS = {"first": ("Alt+Home",), "prev": ("[", "Alt+Left"), "next": ("]", "Alt+Right"), "live": ("Alt+End",),
        "branch": ("Ctrl+B",)}
#: The remembered setting of a timeline's memory budget (MB) and its range.
BUDGET_KEY, BUDGET_RANGE = "timeline/budget_mb", (1, 65536)


def install_scrub_ui(window) -> "ScrubUI":
    return ScrubUI(window)


class ScrubUI(QObject):
    """Builds and connects the window's timeline parts (see the module docs)."""

    def __init__(self, window):
        super().__init__(window)
        self.window = w = window
        self.model = m = window.model
        self.scrub = s = m.scrub
        s.budget_bytes = w.remembered.int(BUDGET_KEY, DEFAULT_BUDGET_MB, *BUDGET_RANGE) * 2**20
        s.want_confusion = self._confusion_seen
        self.actions = {}
        slots = {"first": lambda: self.bar.first(), "prev": lambda: self.bar.step_by(-1),
                 "next": lambda: self.bar.step_by(1), "live": s.live, "branch": self.train_from_here}
        for key, slot in slots.items():
            act = QAction(w)
            act.setShortcuts([QKeySequence(k) for k in KEYS[key]])
            act.triggered.connect(slot)
            w.addAction(act)
            self.actions[key] = act
        self.bar = ScrubBar(m, self.actions)
        w.centralWidget().layout().addWidget(self.bar)
        menu = w.training_menu
        menu.addSeparator()
        for key in ("branch", "live", "prev", "next", "first"):
            menu.addAction(self.actions[key])
        self.status_label = QLabel()
        self.status_label.setStyleSheet("QLabel { background: #7a3db8; color: white; padding: 0 6px; }")
        self.status_label.hide()
        w.statusBar().insertPermanentWidget(0, self.status_label)
        m.experimentReplaced.connect(self._on_experiment)   # (after the window's own handler)
        s.recorded.connect(self._on_recorded)        # direct: drawn inside the worker's frame
        s.momentChanged.connect(self._on_moment)
        s.branchingChanged.connect(lambda _on: self.bar.refresh())
        m.runs.changed.connect(lambda _run: self._show_status())
        w.sample_spin.valueChanged.connect(lambda _v: s.redraw())
        self.bar.slider.sliderReleased.connect(s.redraw)   # (with the matrix, see _confusion_seen)
        retranslate(self)

    def retranslate_ui(self) -> None:
        texts = {"first": (_("First recorded moment"), _("Show the run's first recorded moment")),
                 "prev": (_("Earlier"), _("Show the previous recorded moment")),
                 "next": (_("Later"), _("Show the next recorded moment")),
                 "live": (_("Live"), _("Back to the running network")),
                 "branch": (_("Train from here"), _("Continue training from the moment shown, as a "
                                                    "new run; the original run stays"))}
        for key, (text, tip) in texts.items():
            act = self.actions[key]
            keys = " / ".join(k.toString(QKeySequence.NativeText) for k in act.shortcuts())
            act.setText(text)
            act.setToolTip(f"{tip}  ({keys})")
            act.setStatusTip(tip)
        for key, arrow in (("first", "|◀"), ("prev", "◀"), ("next", "▶")):
            self.actions[key].setIconText(arrow)   # the bar's buttons (the menu shows the words)
        self._show_status()

    def _confusion_seen(self) -> bool:
        """Count the matrix for a moment only when it can be seen, and not while the slider is
        dragged (it costs ~30 ms on MNIST's test set; the moment where the drag ends gets it)."""
        c = self.window.confusion
        return c.isVisible() and not c.visibleRegion().isEmpty() and not self.bar.slider.isSliderDown()

    def _on_experiment(self, _info) -> None:
        """A branch's plots start with its parent's curves up to the branch point."""
        run = self.scrub.current_run()
        if run is not None and run.parent is not None and run.timeline is not None:
            self.window.plots.add_loss_points(run.timeline.losses)
            self.window.plots.add_epochs([dict(e) for e in run.timeline.epochs])

    def _on_recorded(self, snap, wanted: bool) -> None:
        frame = self.window.frame
        if snap.recorded_followup:   # the shown moment's matrix, after its picture: only the matrix
            frame._pending_confusion = snap.confusion
            frame.flush_confusion()
            return
        frame.draw(snap, picture=wanted)

    def _on_moment(self, moment) -> None:
        frame, plots = self.window.frame, self.window.plots
        if moment is None:
            frame.show_live(self.model.last_snapshot)
            plots.set_marker(None)
        else:
            frame.scrubbing = True
            info = self.model.info
            per_epoch = max(1, int(getattr(info, "steps_per_epoch", 0) or 1))
            plots.set_marker(moment[1] / per_epoch)
        self._show_status()

    def _show_status(self) -> None:
        run = self.model.runs.get(self.scrub.run_id)
        if not self.scrub.scrubbing or run is None:
            self.status_label.hide()
            return
        self.status_label.setText(_("Showing step {step} of run {run}").format(step=self.scrub.step, run=run.name))
        self.status_label.setToolTip(_("A recorded moment: training goes on meanwhile. Press Live (Alt+End) "
                                       "to see the running network."))
        self.status_label.show()

    def train_from_here(self) -> None:
        self.scrub.train_from_here()
