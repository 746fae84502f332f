"""The main window's run list dock, curve overlay, races and sharing (issue 20).

:func:`install_runs_ui` is called once by the main window (one line); it adds a "Runs" dock
(:class:`~nnviz.app.timeline.runlist.RunListView`), the plots' overlay of every run
(:class:`~nnviz.app.plots.overlay.RunOverlay`), Training → Race… (:class:`RaceDialog` →
:class:`~nnviz.app.timeline.race.RaceUI`) and File → Export → the selected run as an animation
(GIF or APNG) and every run's metrics as CSV.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QFileDialog

from nnviz.app.plots.overlay import RunOverlay
from nnviz.app.timeline.race import RaceUI
from nnviz.app.timeline.runlist import RunListView
from nnviz.app.translation import retranslate
from nnviz.core.errors import NNVizError
from nnviz.i18n import _, message


class RunsUI(QObject):
    """Everything :func:`install_runs_ui` adds to ``window``."""

    def __init__(self, window):
        super().__init__(window)
        self.window = w = window
        model = w.model
        self.race_ui = RaceUI(model, on_switch=self._on_switch, parent=self)
        self.view = RunListView(model.runs)
        self.view.is_live = self.is_live
        if getattr(model, "scrub", None) is not None:   # a racing variant is live for the scrub bar
            model.scrub.is_racing = self.race_ui.is_live
        self.dock = QDockWidget("", w)
        self.dock.setObjectName("dock-runs")
        self.dock.setWidget(self.view)
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        w.splitDockWidget(w.plots_dock, self.dock, Qt.Orientation.Vertical)
        self.dock.hide()   # until there are runs to compare (see _on_added): the views keep their room
        self._shown_once = False
        model.runs.added.connect(self._on_added)
        self.overlay = RunOverlay(w.plots, model.runs)
        self.act_race = self._action(self.ask_race)
        self.act_animation = self._action(lambda: self.ask_export_animation())
        self.act_runs_csv = self._action(lambda: self.ask_export_csv())
        w.training_menu.addSeparator()
        w.training_menu.addAction(self.act_race)
        w.export_menu.addSeparator()
        w.export_menu.addActions([self.act_animation, self.act_runs_csv])
        w.view_menu.insertAction(w.view_menu.actions()[0], self.dock.toggleViewAction())
        model.stateChanged.connect(lambda state: self.view.refresh())
        retranslate(self)

    def _action(self, slot) -> QAction:
        act = QAction(self.window)
        act.triggered.connect(slot)
        self.window.addAction(act)
        return act

    def retranslate_ui(self) -> None:
        sa = self.window._set_action_text
        self.dock.setWindowTitle(_("Runs"))
        sa(self.act_race, _("Race…"), _("Train several variants at once from the same start, e.g. "
                                          "SGD against Adam, and compare their curves"))
        sa(self.act_animation, _("Animation of the selected run…"),
           _("The selected run's recorded moments as a GIF or APNG animation"))
        sa(self.act_runs_csv, _("All runs' metrics as CSV…"),
           _("Every run's epochs in one table, one row per run per epoch"))

    def _on_added(self, run) -> None:
        """The first branch or race of the session opens the run list, once (a new preset or a
        reset is a new run too, but the list would only take the other docks' room then)."""
        if not self._shown_once and (run.parent is not None or run.race is not None):
            self._shown_once = True
            self.dock.show()
            self.dock.raise_()

    # -- state --------------------------------------------------------------------------------
    def is_live(self, run) -> bool:
        """Whether ``run`` is training now (a racing variant, or the model's live run)."""
        if self.race_ui.is_live(run):
            return self.window.model.state == "running"
        live = getattr(getattr(self.window.model, "scrub", None), "current", None)  # the recorded run
        return run is not None and live is not None and run.id == live and self.window.model.state == "running"

    def _on_switch(self) -> None:
        """A race variant's whole history arrives: the curves start afresh."""
        w = self.window
        w.frame.reset(w.frame.class_names)
        w.plots.clear()
        info = w.model.info
        if info is not None:
            w.plots.set_accuracy_visible(info.is_classification)

    # -- races --------------------------------------------------------------------------------
    def ask_race(self) -> None:
        from nnviz.app.timeline.racedialog import RaceDialog

        s = self.window.model.settings()
        dlg = RaceDialog(self.window, lr=s.lr if s is not None else 0.1)
        if dlg.exec() and dlg.vary():
            self.start_race(dlg.vary())

    def start_race(self, vary: dict):
        return self.race_ui.start(vary)

    # -- sharing ------------------------------------------------------------------------------
    def _save_path(self, name: str, filters: str) -> str:
        qs = self.window.qs
        default = Path(qs.value("paths/export", str(Path.home()))) / name
        path, _filter = QFileDialog.getSaveFileName(self.window, _("Export"), str(default), filters)
        if path:
            qs.setValue("paths/export", str(Path(path).parent))
        return path

    def ask_export_animation(self) -> None:
        run = self.window.model.runs.selected
        if run is None or run.timeline is None:
            self.window._error(_("Export failed"), _("Choose a run with a recording in the run list first."))
            return
        gif, apng = _("GIF animations (*.gif)"), _("Animated PNG (*.png *.apng)")
        path = self._save_path("nnviz-run.gif", f"{gif};;{apng}")
        if path:
            self.export_animation(path, "apng" if path.lower().endswith((".png", ".apng")) else "gif")

    def export_animation(self, path: str, fmt: str = "gif", progress=None) -> bool:
        from nnviz.app.timeline.export import Cancelled, export_animation

        w = self.window
        run = w.model.runs.selected
        data, current = getattr(w.model, "_data", None), w.model.settings()
        try:
            from nnviz.app.experimentinfo import same_data
            if run is not None and (data is None or current is None or not same_data(run.settings, current)):
                from nnviz.experiment import load_data
                data = load_data(run.settings)  # a run on other data than the window's
            n = export_animation(run, data, path, fmt, parent=w, progress=progress)
        except Cancelled:
            w.statusBar().showMessage(_("Export cancelled: nothing was written."), 6000)
            return False
        except (OSError, NNVizError, ValueError) as exc:
            w._error(_("Export failed"), message(exc) if isinstance(exc, NNVizError) else str(exc))
            return False
        w.statusBar().showMessage(_("Exported {path} ({n} frames)").format(path=path, n=n), 6000)
        return True

    def ask_export_csv(self) -> None:
        path = self._save_path("nnviz-runs.csv", _("CSV tables (*.csv)"))
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> bool:
        from nnviz.app.timeline.export import write_runs_csv

        try:
            write_runs_csv(self.window.model.runs.runs(), path)
        except NNVizError as exc:
            self.window._error(_("Export failed"), message(exc))
            return False
        self.window.statusBar().showMessage(_("Exported {path}").format(path=path), 6000)
        return True


def install_runs_ui(window) -> RunsUI:
    return RunsUI(window)
