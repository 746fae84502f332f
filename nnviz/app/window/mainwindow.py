"""The main window: diagram in the centre, controls, plots and output in docks.

The window lays out the views, holds the menus, dialogs and remembered window state, and
forwards what the user asks for to its :class:`~nnviz.app.appmodel.AppModel`, which owns the
settings, the experiment and the training thread; the views draw what the model sends
(:class:`~nnviz.app.window.frame.FrameDrawer` draws each snapshot).
"""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt, QTimer, Slot
from PySide6.QtWidgets import QDockWidget, QFileDialog, QLabel, QMainWindow, QScrollArea, QVBoxLayout, QWidget

from nnviz.app.window import dialogs
from nnviz.app.appmodel import BIG_DATASETS, DEFAULT_SETTINGS, AppModel, ExperimentInfo
from nnviz.app.controls import ControlsPanel
from nnviz.app.diagram import DEFAULT_MAX_EDGES, NetworkDiagram
from nnviz.app.digitsdock import DigitDocks
from nnviz.app.landscape import install_landscape
from nnviz.app.window.frame import FrameDrawer
from nnviz.app.window.language import WindowTexts
from nnviz.app.window.menus import WindowMenus
from nnviz.app.output import OutputView
from nnviz.app.plots import ConfusionMatrixView, MetricsPlots
from nnviz.app.remembered import Remembered
from nnviz.app.window.statusbar import TrainingStatus
from nnviz.app.translation import retranslate
from nnviz.app.stepthrough.windowsteps import install_step_ui
from nnviz.app.timeline.windowscrub import install_scrub_ui
from nnviz.app.timeline.runswindow import install_runs_ui
from nnviz.core.errors import NNVizError
from nnviz.experiment import Settings
from nnviz.i18n import N_, _

__all__ = ["DEFAULT_SETTINGS", "MainWindow", "initial_geometry", "remembered_settings"]

#: The size the window opens at when the screen has room for it.
PREFERRED_SIZE = QSize(1400, 860)
#: Below this available width the three right-hand views share one tabbed dock.
COMPACT_WIDTH = 1500


def initial_geometry(available: QRect, preferred: QSize = PREFERRED_SIZE) -> QRect:
    """``preferred`` shrunk to fit ``available`` (a screen's available geometry), centred in it."""
    w = min(preferred.width(), available.width())
    h = min(preferred.height(), available.height())
    rect = QRect(0, 0, w, h)
    rect.moveCenter(available.center())
    return rect


def remembered_settings(qs: QSettings, remembered: Remembered | None = None) -> Settings | None:
    """The last session's settings, each field checked (a bad one takes its default, see
    :mod:`nnviz.app.remembered`), if their data is still there (checked without loading it)."""
    remembered = remembered if remembered is not None else Remembered(qs)
    try:
        s = remembered.settings("last_settings", DEFAULT_SETTINGS)
    except (TypeError, ValueError, NNVizError):
        remembered.problems.append("last_settings")
        qs.remove("last_settings")
        return None
    if s is None:
        return None
    if s.dataset in BIG_DATASETS:  # never start with a download; the loader thread verifies
        from nnviz.data import locate
        return s if locate.located_unverified(s.dataset) is not None else None
    from nnviz.data import list_datasets
    if s.dataset not in list_datasets() and not Path(s.dataset).exists():
        return None
    return s


class MainWindow(WindowTexts, WindowMenus, QMainWindow):
    """nnviz's window. ``qsettings`` (tests pass their own) remembers geometry and settings."""

    def __init__(self, settings: Settings | None = None, qsettings: QSettings | None = None,
                 restore: bool = True):
        super().__init__()
        self.qs = qsettings if qsettings is not None else QSettings()
        self.remembered = Remembered(self.qs)   # every remembered value is read through a check
        self.model = AppModel(self)
        self.model.confirm_discard = lambda: dialogs.confirm_discard(self)
        self.model.ask_download = lambda name, folder: dialogs.ask_download(self, name, folder)
        self._progress: dialogs.LoadProgress | None = None
        self._closing = False
        self._build_views()
        self.landscape_dock = install_landscape(self)   # the loss landscape (issue 22)
        self._build_actions()
        self._build_menus()
        self.step_ui = install_step_ui(self)   # step mode, its dock, the Lessons menu (issue 11)
        from nnviz.app.exercises.window import install_exercises_ui
        self.exercises = install_exercises_ui(self)   # Your turn, predictions, exercises, scores (issue 21)
        self.runs_ui = install_runs_ui(self)   # run list, overlaid curves, races, sharing (issue 20)
        self.status = TrainingStatus(self.statusBar())
        self.frame = FrameDrawer(self.diagram, self.output, self.output_dock, self.plots, self.confusion,
                                 self.status.update)
        self.frame.training_elsewhere = lambda: self.model.training_elsewhere
        self.confusion_dock.visibilityChanged.connect(self.frame.flush_confusion)
        self._connect_model()
        self.scrub_ui = install_scrub_ui(self)   # the timeline: scrub bar, Train from here (issue 20)
        self._place(restore)
        if restore:
            self.diagram.set_max_edges_per_layer(
                self.remembered.int("view/max_edges", DEFAULT_MAX_EDGES, 1, 1_000_000))
        self._banner_text = None   # (msgid, values) of the banner shown, retranslated with the rest
        self.welcome = None
        retranslate(self)
        start = settings or (remembered_settings(self.qs, self.remembered) if restore else None) or DEFAULT_SETTINGS
        self.model.request_settings(start, confirm=False)
        if restore and not dialogs.no_dialogs() and not self.remembered.flag("ui/welcomed", False):
            QTimer.singleShot(0, self, self.show_welcome)   # the first start: once the window is up
        if self.remembered.problems:   # one message for everything that was reset
            QTimer.singleShot(0, self, lambda: self.statusBar().showMessage(self.remembered.message(), 30000))

    # -- construction -----------------------------------------------------------------------------
    def _build_views(self) -> None:
        self.diagram = NetworkDiagram()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #fff3cd; color: #664d03; border: 1px solid #ffda6a;"
                                  " padding: 6px 10px; font-weight: 600; }")
        self.banner.hide()
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.banner)
        lay.addWidget(self.diagram, 1)
        self.setCentralWidget(central)

        self.controls = ControlsPanel()
        scroll = QScrollArea()
        scroll.setWidget(self.controls)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(self.controls.minimumSizeHint().width() + 24)
        self.controls_dock = self._dock("", "controls", scroll, Qt.LeftDockWidgetArea)

        self.plots = MetricsPlots()
        self.plots_dock = self._dock("", "plots", self.plots, Qt.RightDockWidgetArea)
        self.output = OutputView()
        self.output_dock = self._dock("", "output", self.output, Qt.RightDockWidgetArea)
        self.confusion = ConfusionMatrixView()
        self.confusion_dock = self._dock("", "confusion", self.confusion,
                                         Qt.RightDockWidgetArea)
        self.tabifyDockWidget(self.output_dock, self.confusion_dock)
        self.digits = DigitDocks(self)  # "Draw a digit" and the misclassified browser
        self.digits.place(self.confusion_dock)
        self.digits.stepRequested.connect(self.model.step_digit)
        self.output_dock.raise_()

        self.controls.settingsChanged.connect(self._on_controls_changed)
        self.controls.openDatasetRequested.connect(lambda: self.open_dataset())
        self.diagram.paramEditRequested.connect(self.model.set_param)

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _connect_model(self) -> None:
        m = self.model
        m.experimentReplaced.connect(self._on_experiment)
        m.settingsChanged.connect(self._on_model_settings)
        m.snapshot.connect(self.frame.draw)  # direct: drawn inside the worker's frame
        m.stateChanged.connect(self._on_state)
        m.diverged.connect(self._on_diverged)
        m.error.connect(self._error)
        m.status.connect(self._on_status)
        m.saved.connect(lambda path: self._add_recent(path, "model"))
        m.loadStarted.connect(self._on_load_started)
        m.loadProgress.connect(lambda done, total, name: self._progress and self._progress.update(done, total, name))
        m.loadFinished.connect(self._on_load_finished)

    def _place(self, restore: bool) -> None:
        """Remembered geometry and docks, else a size that fits this screen's available area."""
        available = self.screen().availableGeometry()
        geo = self.qs.value("window/geometry") if restore else None
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.restoreGeometry(geo)
            self.setGeometry(self.geometry().intersected(available) if self.geometry().intersects(available)
                             else initial_geometry(available))
        else:
            self.setGeometry(initial_geometry(available))
        st = self.qs.value("window/state") if restore else None
        if isinstance(st, QByteArray) and not st.isEmpty() and self.restoreState(st):
            return
        if available.width() < COMPACT_WIDTH:  # plots, output and matrix as tabs of one dock
            self.tabifyDockWidget(self.plots_dock, self.output_dock)
            self.tabifyDockWidget(self.output_dock, self.confusion_dock)
            self.digits.place(self.confusion_dock)
            self.plots_dock.raise_()
        right = min(420, max(300, self.width() // 4))
        self.resizeDocks([self.controls_dock, self.plots_dock], [340, right], Qt.Horizontal)

    def showEvent(self, ev) -> None:
        super().showEvent(ev)
        self._fit_frame()

    def _fit_frame(self) -> None:
        """Keep the frame (title bar and borders included) inside the screen's available area."""
        avail, frame, inner = self.screen().availableGeometry(), self.frameGeometry(), self.geometry()
        if avail.contains(frame) or self.isMaximized() or self.isFullScreen():
            return
        dw, dh = frame.width() - inner.width(), frame.height() - inner.height()
        self.resize(min(inner.width(), avail.width() - dw), min(inner.height(), avail.height() - dh))
        frame = self.frameGeometry()
        frame.moveCenter(avail.center())
        self.move(max(avail.left(), frame.left()), max(avail.top(), frame.top()))

    # -- what the model tells ---------------------------------------------------------------------
    @Slot(object)
    def _on_experiment(self, info: ExperimentInfo) -> None:
        self._hide_banner()
        self.diagram.set_network(info.sizes, info.activations, names=info.layer_names,
                                 image_shape=info.image_shape, input_names=info.input_names,
                                 output_names=info.output_names)
        self.output.set_data(info.data)
        self.frame.reset(info.class_names)
        self.plots.clear()
        self.plots.set_accuracy_visible(info.is_classification)
        if info.steps_per_epoch:
            self.plots.set_steps_per_epoch(info.steps_per_epoch)
        self.confusion.clear()
        self.confusion_dock.toggleViewAction().setEnabled(info.is_classification)
        self.sample_spin.blockSignals(True)
        self.sample_spin.setRange(0, max(0, info.n_train - 1))
        self.sample_spin.setValue(0)
        self.sample_spin.blockSignals(False)
        self.status.update(None)
        for act in (self.act_play, self.act_step, self.act_epoch):
            act.setEnabled(info.trainable)
        if not info.trainable:
            self._show_banner(N_("This network uses the step activation, which cannot learn by "
                                 "gradient descent: it only shows its fixed weights. Choose sigmoid "
                                 "to train it."))

    @Slot(object)
    def _on_model_settings(self, s: Settings) -> None:
        try:
            differs = self.controls.settings() != s
        except ValueError:  # (array-valued fixed weights compare element-wise)
            differs = True
        if differs:
            self.controls.set_settings(s)
        try:
            self.qs.setValue("last_settings", json.dumps(s.to_dict()))
        except (TypeError, ValueError):
            pass

    @Slot(str)
    def _on_state(self, state: str) -> None:
        self._retranslate_play()
        self.status.set_state(state)

    @Slot(str)
    def _on_diverged(self, message: str) -> None:
        self._show_banner(N_("Training paused: the loss became infinite or not a number ({reason}). "
                             "The weights are the last good ones. Lower the learning rate and press "
                             "Play."), reason=message)
        self.statusBar().showMessage(message, 15000)

    @Slot(str)
    def _on_status(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, 8000)
        else:
            self.statusBar().clearMessage()

    @Slot(str, str)
    def _error(self, title: str, message: str) -> None:
        if not self._closing:
            dialogs.show_error(self, title, message)

    @Slot(str)
    def _on_load_started(self, text: str) -> None:
        self._on_load_finished()
        self._progress = dialogs.LoadProgress(self, text, self.model.cancel_load)

    @Slot()
    def _on_load_finished(self) -> None:
        if self._progress is not None:
            self._progress.close()
            self._progress = None

    # -- what the user asks -----------------------------------------------------------------------
    def _train(self, command) -> None:
        self._hide_banner()
        command()

    @Slot(object, bool)
    def _on_controls_changed(self, s: Settings, needs_rebuild: bool) -> None:
        if not needs_rebuild:
            self.model.apply_settings(s)
            return
        current = self.model.settings()
        if current is not None and s.dataset != current.dataset:  # a network that fits the new data
            from nnviz.presets import settings_for_dataset
            s = settings_for_dataset(s.replace(dataset=current.dataset), s.dataset).replace(
                data_options=s.data_options)
        self.model.request_settings(s)

    def open_dataset(self, path: str | None = None, label: str | None = None) -> None:
        """Open a data file; for a CSV the user picks the label column (or lets nnviz guess)."""
        if not path:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Open a dataset"), self.qs.value("paths/data", str(Path.home())),
                _("Datasets (*.csv *.txt *.npz *.gz *-ubyte);;All files (*)"))
        if not path:
            return
        options = {}
        if label is None and str(path).lower().endswith((".csv", ".txt")):
            ok, options = dialogs.ask_csv_options(self, str(path))   # label column, encoding, delimiter
            if not ok:
                return
            label = options.get("label")
        self.qs.setValue("paths/data", str(Path(path).parent))
        self._add_recent(str(path), "data")
        self.model.open_dataset(str(path), label=label, options=options)

    def open_model(self, path: str | None = None) -> None:
        if not path:
            path, _filter = QFileDialog.getOpenFileName(self, _("Open a model"),
                                                        self.qs.value("paths/model", str(Path.home())),
                                                        _("nnviz models (*.nnviz *.npz);;All files (*)"))
        if not path:
            return
        if self.model.open_model(str(path)):
            self.qs.setValue("paths/model", str(Path(path).parent))
            self._add_recent(str(path), "model")

    def save_model(self, path: str | None = None) -> None:
        if not path:
            start = Path(self.qs.value("paths/model", str(Path.home()))) / "model.nnviz"
            path, _filter = QFileDialog.getSaveFileName(self, _("Save the model"), str(start),
                                                        _("nnviz models (*.nnviz)"))
        if not path:
            return
        self.qs.setValue("paths/model", str(Path(path).parent))
        self.model.save_model(str(path))

    def open_preset(self, name: str) -> None:
        self.model.open_preset(name)

    def closeEvent(self, ev) -> None:
        self._closing = True
        self.qs.setValue("window/geometry", self.saveGeometry())
        self.qs.setValue("window/state", self.saveState())
        self.model.shutdown(1000)
        self.digits.shutdown()
        self.qs.sync()
        super().closeEvent(ev)
