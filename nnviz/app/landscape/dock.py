"""The "Loss landscape" dock (View menu): :class:`~nnviz.app.landscape.view.LandscapeView` fed
by the window's model (experiments, snapshots, runs)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from nnviz.app.landscape.view import LandscapeView
from nnviz.app.translation import retranslate
from nnviz.i18n import _


class LandscapeDock(QDockWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("dock-landscape")
        self.view = LandscapeView()
        self.setWidget(self.view)
        self.visibilityChanged.connect(self.view.set_active)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.setWindowTitle(_("Loss landscape"))
        self.toggleViewAction().setToolTip(
            _("The loss around the current weights on a plane of weight space, with the training paths"))


def install_landscape(window) -> LandscapeDock:
    """Add the dock to ``window`` (right side, hidden until chosen in the View menu) and
    connect it to ``window.model``."""
    dock = LandscapeDock(window)
    window.addDockWidget(Qt.RightDockWidgetArea, dock)
    plots = getattr(window, "plots_dock", None)
    if plots is not None:
        window.tabifyDockWidget(plots, dock)
    dock.hide()
    dock.toggleViewAction().triggered.connect(lambda on: on and dock.raise_())
    m = window.model
    m.experimentReplaced.connect(dock.view.set_info)
    m.snapshot.connect(dock.view.set_snapshot)
    if getattr(m, "runs", None) is not None:
        dock.view.set_runs(m.runs)
    if m.info is not None:
        dock.view.set_info(m.info)
    return dock
