"""The main window: diagram in the centre, controls, plots and output in docks.

The window only draws: a :class:`~nnviz.app.worker.TrainingController` trains on its own
thread and sends :class:`~nnviz.app.state.Snapshot` copies, which every view draws. Building
a new experiment (data + network) happens here only for small data; MNIST loads on a
:class:`~nnviz.app.dataloader.DatasetLoader` thread with a progress dialog.
"""
from __future__ import annotations

import json
import math
import os
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QMessageBox,
                               QProgressDialog, QScrollArea, QSizePolicy, QSlider, QSpinBox, QToolBar, QVBoxLayout,
                               QWidget)

from nnviz import __version__
from nnviz.app.controls import ControlsPanel
from nnviz.app.dataloader import DatasetLoader
from nnviz.app.diagram import DEFAULT_MAX_EDGES, NetworkDiagram
from nnviz.app.outputview import OutputView
from nnviz.app.plots import ConfusionMatrixView, MetricsPlots
from nnviz.app.worker import TrainingController
from nnviz.core.errors import NNVizError
from nnviz.experiment import Settings, build

#: The first view: a small toy problem, ready to Play, no download needed.
DEFAULT_SETTINGS = Settings(dataset="circle", data_options={"noise": 10, "train_ratio": 0.5},
                            hidden=[4, 4], activation="tanh", output_activation="sigmoid", loss="bce",
                            optimizer="sgd", lr=0.03, batch_size=10, epochs=1000)
BIG_DATASETS = ("mnist", "fashion-mnist")


def _slow_to_load(s: Settings) -> bool:
    """Data loaded on a thread behind a progress dialog: MNIST-sized sets and files."""
    return (s.dataset in BIG_DATASETS or Path(s.dataset).suffix.lower() in (".csv", ".gz", ".npz", ".txt")
            or Path(s.dataset).is_dir())
MAX_RECENT = 8


def _same_data(a: Settings, b: Settings) -> bool:
    return (a.dataset, a.data_options, a.scaling, a.seed) == (b.dataset, b.data_options, b.scaling, b.seed)


class MainWindow(QMainWindow):
    """nnviz's window. ``qsettings`` (tests pass their own) remembers geometry and settings."""

    experimentChanged = Signal(object)   # the new Experiment (before the worker owns it)

    def __init__(self, settings: Settings | None = None, qsettings: QSettings | None = None,
                 restore: bool = True):
        super().__init__()
        self.setWindowTitle(self.tr("nnviz — watch a neural network learn"))
        self.qs = qsettings if qsettings is not None else QSettings()
        self.controller: TrainingController | None = None
        self.exp = None
        self._data = None
        self._loader: DatasetLoader | None = None
        self._pending_net = None  # a model waiting for its dataset to load
        self._progress: QProgressDialog | None = None
        self._state = "paused"
        self._last_snapshot = None
        self._closing = False
        self._output_t = 0.0
        self._pending_points: list = []
        self._pending_epochs: list = []
        self._pending_confusion = None
        self._plots_t = 0.0
        self._build_views()
        self._build_actions()
        self._build_menus()
        self._build_statusbar()
        if restore:
            self._restore_window()
            try:
                self.diagram.set_max_edges_per_layer(int(self.qs.value("view/max_edges", DEFAULT_MAX_EDGES)))
            except (TypeError, ValueError):
                pass
        start = settings or (self._remembered_settings() if restore else None) or DEFAULT_SETTINGS
        self.request_settings(start, confirm=False)

    # ------------------------------------------------------------------------------------------
    # construction
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
        self.controls_dock = self._dock(self.tr("Settings"), "controls", scroll, Qt.LeftDockWidgetArea)

        self.plots = MetricsPlots()
        self.plots_dock = self._dock(self.tr("Loss and accuracy"), "plots", self.plots, Qt.RightDockWidgetArea)
        self.output = OutputView()
        self.output_dock = self._dock(self.tr("Data and output"), "output", self.output, Qt.RightDockWidgetArea)
        self.confusion = ConfusionMatrixView()
        self.confusion_dock = self._dock(self.tr("Confusion matrix"), "confusion", self.confusion,
                                         Qt.RightDockWidgetArea)
        self.tabifyDockWidget(self.output_dock, self.confusion_dock)
        self.confusion_dock.visibilityChanged.connect(self._flush_confusion)
        self.output_dock.raise_()
        self.resizeDocks([self.controls_dock, self.plots_dock], [360, 420], Qt.Horizontal)

        self.controls.settingsChanged.connect(self._on_controls_changed)
        self.controls.openDatasetRequested.connect(self.open_dataset)
        self.diagram.paramEditRequested.connect(self._on_param_edit)

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock-{name}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if tip:
            act.setToolTip(tip + (f"  ({act.shortcut().toString(QKeySequence.NativeText)})"
                                  if shortcut is not None else ""))
            act.setStatusTip(tip)
        act.setCheckable(checkable)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        tr = self.tr
        self.act_play = self._action(tr("Play"), self.toggle_play, Qt.Key_Space,
                                     tr("Start or pause training"))
        self.act_step = self._action(tr("Step batch"), self.step_batch, Qt.Key_Right,
                                     tr("Train exactly one batch, then pause"))
        self.act_epoch = self._action(tr("Step epoch"), self.step_epoch, QKeySequence("Shift+Right"),
                                      tr("Train until the end of the current epoch, then pause"))
        self.act_reset = self._action(tr("Reset"), self.reset, QKeySequence("Ctrl+R"),
                                      tr("New random weights: start learning from scratch"))
        self.act_open_data = self._action(tr("Open dataset…"), self.open_dataset, QKeySequence.Open,
                                          tr("Train on your own CSV, IDX or npz file"))
        self.act_open_model = self._action(tr("Open model…"), self.open_model, QKeySequence("Ctrl+Shift+O"),
                                           tr("Load a network saved by nnviz"))
        self.act_save_model = self._action(tr("Save model…"), self.save_model, QKeySequence.Save,
                                           tr("Save the network's weights and settings"))
        self.act_quit = self._action(tr("Quit"), self.close, QKeySequence.Quit, tr("Close nnviz"))
        self.act_heatmaps = self._action(tr("Neuron heatmaps"), self.diagram.set_show_heatmaps, None,
                                         tr("Show what each neuron computes over the input plane (2-D data)"),
                                         checkable=True)
        self.act_heatmaps.setChecked(True)
        self.act_edges = self._action(tr("Edges drawn per layer…"), self._ask_max_edges, None,
                                      tr("Big layers draw only their strongest connections; choose how many"))
        self.act_log = self._action(tr("Logarithmic loss axis"), self.plots.set_log_loss, QKeySequence("Ctrl+L"),
                                    tr("Show the loss on a log scale, to see small improvements"), checkable=True)

        tb = QToolBar(tr("Training"))
        tb.setObjectName("toolbar-training")
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        tb.setIconSize(QSize(16, 16))
        for act in (self.act_play, self.act_step, self.act_epoch, self.act_reset):
            tb.addAction(act)
        tb.addSeparator()
        speed_box = QWidget()
        sl = QHBoxLayout(speed_box)
        sl.setContentsMargins(6, 0, 6, 0)
        sl.addWidget(QLabel(tr("Speed")))
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(0, 10)
        self.speed.setValue(10)
        self.speed.setFixedWidth(110)
        self.speed.setToolTip(tr("Slow training down to watch each batch (right: full speed)"))
        self.speed.valueChanged.connect(self._on_speed)
        sl.addWidget(self.speed)
        sl.addSpacing(12)
        sl.addWidget(QLabel(tr("Shown sample")))
        self.sample_spin = QSpinBox()
        self.sample_spin.setMinimumWidth(90)
        self.sample_spin.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self.sample_spin.setToolTip(tr("Which training sample the diagram's neuron colours belong to"))
        self.sample_spin.valueChanged.connect(self._on_sample)
        sl.addWidget(self.sample_spin)
        speed_box.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Preferred)
        tb.addWidget(speed_box)
        self.addToolBar(tb)
        self.toolbar = tb

    def _build_menus(self) -> None:
        tr = self.tr
        m = self.menuBar().addMenu(tr("&File"))
        m.addAction(self.act_open_data)
        self.recent_menu = m.addMenu(tr("Open recent"))
        m.addSeparator()
        m.addAction(self.act_open_model)
        m.addAction(self.act_save_model)
        m.addSeparator()
        exp_menu = m.addMenu(tr("Export"))
        exp_menu.addAction(self._action(tr("Diagram as PNG…"), lambda: self._export("diagram", "png"), None))
        exp_menu.addAction(self._action(tr("Diagram as SVG…"), lambda: self._export("diagram", "svg"), None))
        exp_menu.addAction(self._action(tr("Plots as PNG…"), lambda: self._export("plots", "png"), None))
        exp_menu.addAction(self._action(tr("Plots as SVG…"), lambda: self._export("plots", "svg"), None))
        exp_menu.addAction(self._action(tr("Metrics as CSV…"), lambda: self._export("plots", "csv"), None))
        m.addSeparator()
        m.addAction(self.act_quit)

        t = self.menuBar().addMenu(tr("&Training"))
        for act in (self.act_play, self.act_step, self.act_epoch, self.act_reset):
            t.addAction(act)

        v = self.menuBar().addMenu(tr("&View"))
        for dock in (self.controls_dock, self.plots_dock, self.output_dock, self.confusion_dock):
            v.addAction(dock.toggleViewAction())
        v.addSeparator()
        v.addAction(self.act_heatmaps)
        v.addAction(self.act_edges)
        v.addAction(self.act_log)

        h = self.menuBar().addMenu(tr("&Help"))
        h.addAction(self._action(tr("About nnviz"), self._about, None))
        self._refresh_recent()

    def _build_statusbar(self) -> None:
        sb = self.statusBar()
        self.lbl_state = QLabel()
        self.lbl_epoch = QLabel()
        self.lbl_speed = QLabel()
        self.lbl_lr = QLabel()
        # Fixed widths: a label whose text changes size would re-lay out the status bar and
        # repaint the whole window on every frame.
        fm = self.fontMetrics()
        for w, sample in ((self.lbl_state, self.tr("Finished") + "  "),
                          (self.lbl_epoch, self.tr("Epoch {0} · step {1}").format(88888, 888888)),
                          (self.lbl_speed, self.tr("{0:,.0f} samples/s").format(8888888)),
                          (self.lbl_lr, self.tr("lr {0:.4g}").format(0.00012345))):
            w.setFixedWidth(fm.horizontalAdvance(sample) + 16)
            sb.addPermanentWidget(w)
        self.lbl_state.setToolTip(self.tr("What training is doing now"))
        self.lbl_epoch.setToolTip(self.tr("Epoch: one pass over all training samples; step: one batch"))
        self.lbl_speed.setToolTip(self.tr("Training samples processed per second"))
        self.lbl_lr.setToolTip(self.tr("Learning rate now (a schedule may lower it over the epochs)"))
        self._update_status(None)

    # ------------------------------------------------------------------------------------------
    # settings → experiment
    def current_settings(self) -> Settings:
        return self.exp.settings if self.exp is not None else self.controls.settings()

    def is_trained(self) -> bool:
        return self.controller is not None and self.controller.global_step > 0

    def request_settings(self, s: Settings, confirm: bool = True) -> None:
        """Build a new network (and data if needed) for ``s``; asks first if one was trained."""
        if confirm and self.is_trained() and not self._confirm_discard():
            if self.exp is not None:
                self.controls.set_settings(self.exp.settings)
            return
        if self._data is not None and self.exp is not None and _same_data(s, self.exp.settings):
            self._install(s, self._data)
            return
        if _slow_to_load(s):
            self._load_in_background(s)
            return
        try:
            from nnviz.experiment import load_data
            data = load_data(s)
        except NNVizError as exc:
            self._error(self.tr("The dataset could not be loaded"), str(exc))
            self._fallback()
            return
        self._install(s, data)

    def _confirm_discard(self) -> bool:
        box = QMessageBox(QMessageBox.Question, self.tr("Start a new network?"),
                          self.tr("This change needs a new network. The trained weights will be lost "
                                  "(save them first with File → Save model)."),
                          QMessageBox.Discard | QMessageBox.Cancel, self)
        box.setDefaultButton(QMessageBox.Cancel)
        return box.exec() == QMessageBox.Discard

    def _install(self, s: Settings, data) -> None:
        try:
            exp = build(s, data=data)
        except NNVizError as exc:
            self._error(self.tr("These settings do not make a network"), str(exc))
            if self.exp is not None:
                self.controls.set_settings(self.exp.settings)
            return
        self._set_experiment(exp)

    def _set_experiment(self, exp) -> None:
        self.exp, self._data = exp, exp.data
        self.banner.hide()
        net, data = exp.net, exp.data
        layers = net.dense_layers()
        n_hidden = len(layers) - 1
        names = ([self.tr("input")] + [self.tr("hidden {0}").format(i + 1) for i in range(n_hidden)]
                 + [self.tr("output")])
        output_names = None
        if data.is_classification and len(data.class_names) == net.n_outputs:
            output_names = list(data.class_names)
        elif data.is_classification and net.n_outputs == 1 and len(data.class_names) == 2:
            output_names = [self.tr("P({0})").format(data.class_names[1])]
        self.diagram.set_network(net.sizes, [l.activation.name for l in layers], names=names,
                                 image_shape=data.image_shape,
                                 input_names=list(data.feature_names) or None,
                                 output_names=output_names)
        self.output.set_data(data)
        self._pending_points, self._pending_epochs, self._pending_confusion = [], [], None
        self.plots.clear()
        self.plots.set_accuracy_visible(data.is_classification)
        if exp.trainer is not None:
            self.plots.set_steps_per_epoch(exp.trainer.steps_per_epoch)
        self.confusion.clear()
        self.confusion_dock.toggleViewAction().setEnabled(data.is_classification)
        self.sample_spin.blockSignals(True)
        self.sample_spin.setRange(0, max(0, len(data.x_train) - 1))
        self.sample_spin.setValue(0)
        self.sample_spin.blockSignals(False)
        self.controls.set_settings(exp.settings)
        for act in (self.act_play, self.act_step, self.act_epoch):
            act.setEnabled(exp.trainer is not None)
        if exp.trainer is None:
            self._show_banner(self.tr("This network uses the step activation, which cannot learn by "
                                      "gradient descent: it only shows its fixed weights. Choose sigmoid "
                                      "to train it."))
        self.experimentChanged.emit(exp)
        if self.controller is None:
            self.controller = TrainingController(exp, parent=self)
            c = self.controller
            c.snapshot.connect(self._on_snapshot)
            c.signals.stateChanged.connect(self._on_state)
            c.signals.diverged.connect(self._on_diverged)
            c.signals.errored.connect(lambda msg: self._error(self.tr("Training stopped"), msg))
            c.signals.saved.connect(self._on_saved)
            c.signals.saveFailed.connect(lambda msg: self._error(self.tr("The model could not be saved"), msg))
        else:
            self.controller.replace_experiment(exp)
        self.controller.set_speed(self._delay_ms())
        self._remember_settings(exp.settings)

    def _fallback(self) -> None:
        """No experiment yet (e.g. the remembered dataset is gone): the default toy problem."""
        if self.exp is None:
            self.request_settings(DEFAULT_SETTINGS, confirm=False)

    # ------------------------------------------------------------------------------------------
    # background loading (MNIST, files)
    def _load_in_background(self, s: Settings, download: bool = False, net=None) -> None:
        """Load ``s``'s data on a thread; then build its network (or wrap ``net``, a loaded model)."""
        self._pending_net = None
        if s.dataset in BIG_DATASETS and not download:
            from nnviz.data import dataset_info
            try:
                info = dataset_info(s.dataset)
            except NNVizError as exc:
                self._error(self.tr("The dataset could not be loaded"), str(exc))
                self._fallback()
                return
            if not info.get("available"):
                if self._ask_download(s.dataset, info):
                    self._load_in_background(s, download=True, net=net)
                else:
                    if self.exp is not None:
                        self.controls.set_settings(self.exp.settings)
                    self._fallback()
                return
        if self._loader is not None:
            self._loader.wait(2000)
        self._pending, self._pending_net = s, net
        self._loader = DatasetLoader(s, download=download, parent=self)
        dlg = QProgressDialog(self.tr("Downloading {0}…").format(s.dataset) if download
                              else self.tr("Loading {0}…").format(Path(s.dataset).name),
                              self.tr("Cancel"), 0, 0, self)
        dlg.setWindowTitle(self.tr("Dataset"))
        dlg.setWindowModality(Qt.WindowModal)
        dlg.setMinimumDuration(300)
        dlg.setMinimumWidth(380)
        dlg.canceled.connect(self._loader.cancel)
        self._progress = dlg
        self._loader.progress.connect(self._on_load_progress)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_load_failed)

    def _ask_download(self, name: str, info: dict) -> bool:
        box = QMessageBox(QMessageBox.Question, self.tr("Download {0}?").format(name),
                          self.tr("{0} is not on this computer yet. nnviz can download it (checked with "
                                  "SHA-256) into\n{1}\n\nOr put the files there yourself, or set "
                                  "NNVIZ_DATA_DIR to a folder that holds them.").format(
                              name, info.get("download_to", "")),
                          QMessageBox.Yes | QMessageBox.Cancel, self)
        box.button(QMessageBox.Yes).setText(self.tr("Download"))
        return box.exec() == QMessageBox.Yes

    @Slot(object, object, str)
    def _on_load_progress(self, done, total, name) -> None:
        if self._progress is None:
            return
        if total:
            self._progress.setMaximum(1000)
            self._progress.setValue(int(1000 * min(1.0, done / total)))
            self._progress.setLabelText(self.tr("Downloading {0}: {1:.1f} of {2:.1f} MB").format(
                name, done / 1e6, total / 1e6))

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.canceled.disconnect()
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None

    @Slot(object)
    def _on_loaded(self, data) -> None:
        self._close_progress()
        net, self._pending_net = self._pending_net, None
        if self._closing:
            return
        if net is not None:
            self._install_model(self._pending, data, net)
        else:
            self._install(self._pending, data)

    @Slot(str, bool)
    def _on_load_failed(self, message: str, _missing: bool) -> None:
        self._close_progress()
        self._pending_net = None
        if self._closing:
            return
        if self._loader is not None and self._loader.cancel_event.is_set():
            self.statusBar().showMessage(self.tr("Loading cancelled; the network is unchanged."), 6000)
        else:
            self._error(self.tr("The dataset could not be loaded"), message)
        if self.exp is not None:
            self.controls.set_settings(self.exp.settings)
        self._fallback()

    # ------------------------------------------------------------------------------------------
    # training commands
    @Slot()
    def toggle_play(self) -> None:
        if self.controller is None or self.exp is None or self.exp.trainer is None:
            return
        if self._state == "running":
            self.controller.pause()
        else:
            self.banner.hide()
            self.controller.play()

    @Slot()
    def step_batch(self) -> None:
        if self.controller is not None and self.exp is not None and self.exp.trainer is not None:
            self.banner.hide()
            self.controller.step_batch()

    @Slot()
    def step_epoch(self) -> None:
        if self.controller is not None and self.exp is not None and self.exp.trainer is not None:
            self.banner.hide()
            self.controller.step_epoch()

    @Slot()
    def reset(self) -> None:
        """A fresh network with the same settings (new random weights from the seed)."""
        if self.exp is None:
            return
        if self.is_trained() and not self._confirm_discard():
            return
        self._install(self.exp.settings, self._data)

    def _delay_ms(self) -> int:
        return [500, 300, 200, 120, 80, 50, 30, 15, 5, 1, 0][self.speed.value()]

    @Slot(int)
    def _on_speed(self, _v: int) -> None:
        if self.controller is not None:
            self.controller.set_speed(self._delay_ms())

    @Slot(int)
    def _on_sample(self, i: int) -> None:
        if self.controller is not None:
            self.controller.set_sample(i)

    @Slot(object, bool)
    def _on_controls_changed(self, s: Settings, needs_rebuild: bool) -> None:
        if needs_rebuild:
            self.request_settings(s)
        elif self.controller is not None and self.exp is not None:
            self.controller.apply_settings(s)
            self._remember_settings(s)

    @Slot(int, str, object, float)
    def _on_param_edit(self, layer: int, name: str, index, value: float) -> None:
        if not math.isfinite(value):
            self._error(self.tr("Not a number"), self.tr("A weight must be a finite number."))
            return
        if self.controller is not None:
            self.controller.set_param(layer, name, index, value)

    # ------------------------------------------------------------------------------------------
    # worker signals
    PLOT_INTERVAL_S = 1.0     # plots and the confusion matrix redraw at most once a second
    OUTPUT_INTERVAL_S = 0.5   # the output view at most twice a second (its Python paint costs ~4 ms)

    @Slot(object)
    def _on_snapshot(self, snap) -> None:
        """Draw a snapshot: the diagram every time, slower views at their own pace."""
        # A diverging network sends huge or non-finite numbers: the views clip them to their
        # colour ranges, so NumPy's overflow notices are noise here.
        with np.errstate(all="ignore"):
            self._draw_snapshot(snap)

    def _draw_snapshot(self, snap) -> None:
        """Two phases, so that painting costs training as little as possible:

        1. the pyqtgraph views (output, plots, confusion matrix) paint through Python, so they are
           updated *and painted now*, while the worker waits for this frame (it holds Python's
           GIL otherwise, and a Python paint competing for it would take many times longer);
        2. the diagram is only *updated* here; Qt paints it afterwards from the event loop in
           C++, without the GIL, on the other core while training goes on.
        """
        self._last_snapshot = snap
        # Phase 1 must not paint the diagram (a paint still pending from the last frame would be
        # done here, holding the GIL): it waits, with its updates off, for the event loop.
        view = self.diagram.view  # (the view only: re-enabling updates repaints what they cover)
        view.setUpdatesEnabled(False)
        try:
            self._draw_pyqtgraph_views(snap)
        finally:
            view.setUpdatesEnabled(True)
        self.diagram.update_snapshot(snap)  # phase 2

    def _draw_pyqtgraph_views(self, snap) -> None:
        now = time.monotonic()
        drawn = False
        if self.output_dock.isVisible() and (snap.final or now - self._output_t >= self.OUTPUT_INTERVAL_S):
            self._output_t = now
            self.output.update_snapshot(snap)
            drawn = True
        if len(snap.loss_points):
            self._pending_points.append(snap.loss_points)
        self._pending_epochs.extend(snap.epochs)
        if snap.confusion is not None:
            self._pending_confusion = snap.confusion
        # Inside this slot, so the worker's adaptive throttle counts the plots' cost too.
        if snap.final or now - self._plots_t >= self.PLOT_INTERVAL_S:
            self._plots_t = now
            self._flush_plots()
            drawn = True
        self._update_status(snap)
        if not drawn:  # (the status labels are Qt's own widgets: painted later, without the GIL)
            return
        # phase 1 ends: settle the pyqtgraph views' auto-ranges first (a paint that moves an
        # axis asks for a second paint), then paint what changed so far
        for view in (self.plots.glw, self.output.plane_widget, self.output.sample_widget):
            if view.isVisible():
                view.scene().prepareForPaint()
        QCoreApplication.sendPostedEvents()  # (a scene's update arrives as a posted call first)
        QCoreApplication.sendPostedEvents()

    def _flush_plots(self) -> None:
        if self._pending_points:
            self.plots.add_loss_points(np.concatenate(self._pending_points))
            self._pending_points = []
        if self._pending_epochs:
            self.plots.add_epochs(self._pending_epochs)
            self._pending_epochs = []
        self._flush_confusion()

    def _flush_confusion(self, *args) -> None:
        # ~100 text items to set for 10 classes: only when the matrix can be seen (it waits,
        # the latest one only, while its tab is behind another)
        seen = self.confusion.isVisible() and not self.confusion.visibleRegion().isEmpty()
        if self._pending_confusion is not None and self.exp is not None and seen:
            self.confusion.set_matrix(self._pending_confusion, self.exp.data.class_names)
            self._pending_confusion = None

    @Slot(str)
    def _on_state(self, state: str) -> None:
        self._state = state
        self.act_play.setText(self.tr("Pause") if state == "running" else self.tr("Play"))
        if state == "finished":
            self.statusBar().showMessage(self.tr("Finished the planned epochs. Press Play to train on."), 8000)
        self._update_status(self._last_snapshot)

    @Slot(str)
    def _on_diverged(self, message: str) -> None:
        self._show_banner(self.tr("Training paused: the loss became infinite or not a number ({0}). "
                                  "The weights are the last good ones. Lower the learning rate and press "
                                  "Play.").format(message))
        self.statusBar().showMessage(message, 15000)

    @Slot(str)
    def _on_saved(self, path: str) -> None:
        self.statusBar().showMessage(self.tr("Saved the model to {0}").format(path), 8000)
        self._add_recent(path, "model")

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def _update_status(self, snap) -> None:
        states = {"running": self.tr("Training"), "paused": self.tr("Paused"),
                  "finished": self.tr("Finished"), "stopped": self.tr("Stopped")}
        self.lbl_state.setText(states.get(self._state, self._state))
        if snap is None:
            self.lbl_epoch.setText(self.tr("Epoch 0 · step 0"))
            self.lbl_speed.setText(self.tr("— samples/s"))
            self.lbl_lr.setText(self.tr("lr —"))
            return
        self.lbl_epoch.setText(self.tr("Epoch {0} · step {1}").format(snap.epoch, snap.step))
        self.lbl_speed.setText(self.tr("{0:,.0f} samples/s").format(snap.samples_per_s)
                               if snap.samples_per_s else self.tr("— samples/s"))
        self.lbl_lr.setText(self.tr("lr {0:.4g}").format(snap.lr))

    # ------------------------------------------------------------------------------------------
    # files
    @Slot()
    def open_dataset(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self, self.tr("Open a dataset"), self.qs.value("paths/data", str(Path.home())),
                self.tr("Datasets (*.csv *.txt *.npz *.gz *-ubyte);;All files (*)"))
        if not path:
            return
        self.qs.setValue("paths/data", str(Path(path).parent))
        s = self.current_settings().replace(dataset=str(path), data_options={}, scaling=None, weights=None)
        self._add_recent(str(path), "data")
        self.request_settings(s)

    @Slot()
    def open_model(self, path: str | None = None) -> None:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a model"),
                                                  self.qs.value("paths/model", str(Path.home())),
                                                  self.tr("nnviz models (*.nnviz *.npz);;All files (*)"))
        if not path:
            return
        from nnviz.core.model_io import load_model
        try:
            net, extra = load_model(path)
        except NNVizError as exc:
            self._error(self.tr("The model could not be opened"), str(exc))
            return
        self.qs.setValue("paths/model", str(Path(path).parent))
        self._add_recent(str(path), "model")
        s = self.current_settings()
        if isinstance(extra.get("settings"), dict):
            try:
                s = Settings.from_dict(extra["settings"])
            except (NNVizError, TypeError):
                pass
        if self.is_trained() and not self._confirm_discard():
            return
        data = self._data if (self.exp is not None and _same_data(s, self.exp.settings)) else None
        if data is None and _slow_to_load(s):  # on the loader thread, like the Dataset menu
            self._load_in_background(s, net=net)
            return
        if data is None:
            try:
                from nnviz.experiment import load_data
                data = load_data(s)
            except NNVizError as exc:
                self._error(self.tr("The model's dataset could not be loaded"), str(exc))
                return
        self._install_model(s, data, net)

    def _install_model(self, s: Settings, data, net) -> None:
        try:
            from nnviz.experiment import with_network
            self._set_experiment(with_network(s, data, net))
        except NNVizError as exc:
            self._error(self.tr("The model does not fit"), str(exc))

    @Slot()
    def save_model(self, path: str | None = None) -> None:
        if self.controller is None or self.exp is None:
            return
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the model"),
                                                  str(Path(self.qs.value("paths/model", str(Path.home())))
                                                      / "model.nnviz"),
                                                  self.tr("nnviz models (*.nnviz)"))
        if not path:
            return
        self.qs.setValue("paths/model", str(Path(path).parent))
        self.controller.save_model(path, {"settings": self.exp.settings.to_dict(), "app": f"nnviz {__version__}"})

    def _export(self, what: str, kind: str) -> None:
        filters = {"png": self.tr("PNG images (*.png)"), "svg": self.tr("SVG drawings (*.svg)"),
                   "csv": self.tr("CSV tables (*.csv)")}
        default = Path(self.qs.value("paths/export", str(Path.home()))) / f"nnviz-{what}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), str(default), filters[kind])
        if not path:
            return
        self.export(what, kind, path)

    def export(self, what: str, kind: str, path: str) -> bool:
        """Write the diagram or the plots as PNG/SVG, or the metrics as CSV."""
        self.qs.setValue("paths/export", str(Path(path).parent))
        target = self.diagram if what == "diagram" else self.plots
        try:
            getattr(target, f"export_{kind}")(path)
        except (OSError, NNVizError, ValueError) as exc:
            self._error(self.tr("Export failed"), str(exc))
            return False
        self.statusBar().showMessage(self.tr("Exported {0}").format(path), 6000)
        return True

    # recent files
    def _recent(self) -> list[dict]:
        try:
            items = json.loads(self.qs.value("recent", "[]"))
            return [i for i in items if isinstance(i, dict) and "path" in i][:MAX_RECENT]
        except (TypeError, ValueError):
            return []

    def _add_recent(self, path: str, kind: str) -> None:
        items = [i for i in self._recent() if i["path"] != path]
        items.insert(0, {"path": path, "kind": kind})
        self.qs.setValue("recent", json.dumps(items[:MAX_RECENT]))
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        items = self._recent()
        for item in items:
            label = f"{Path(item['path']).name}  —  {item['path']}"
            act = self.recent_menu.addAction(label)
            if item["kind"] == "model":
                act.triggered.connect(lambda _=False, p=item["path"]: self.open_model(p))
            else:
                act.triggered.connect(lambda _=False, p=item["path"]: self.open_dataset(p))
        self.recent_menu.setEnabled(bool(items))

    # ------------------------------------------------------------------------------------------
    # remembered state
    def _remember_settings(self, s: Settings) -> None:
        try:
            self.qs.setValue("last_settings", json.dumps(s.to_dict()))
        except (TypeError, ValueError):
            pass

    def _remembered_settings(self) -> Settings | None:
        raw = self.qs.value("last_settings")
        if not raw:
            return None
        try:
            s = Settings.from_dict(json.loads(raw))
        except (TypeError, ValueError, NNVizError):
            return None
        if s.dataset in BIG_DATASETS:  # never start with a download or a long load
            from nnviz.data import dataset_info
            try:
                if not dataset_info(s.dataset).get("available"):
                    return None
            except NNVizError:
                return None
        elif s.dataset not in self._dataset_names() and not Path(s.dataset).exists():
            return None
        return s

    @staticmethod
    def _dataset_names() -> set:
        from nnviz.data import list_datasets
        return set(list_datasets())

    def _restore_window(self) -> None:
        geo = self.qs.value("window/geometry")
        if isinstance(geo, QByteArray) and not geo.isEmpty():
            self.restoreGeometry(geo)
        else:
            self.resize(1400, 860)
        st = self.qs.value("window/state")
        if isinstance(st, QByteArray) and not st.isEmpty():
            self.restoreState(st)

    def closeEvent(self, ev) -> None:
        self._closing = True
        self.qs.setValue("window/geometry", self.saveGeometry())
        self.qs.setValue("window/state", self.saveState())
        if self._loader is not None:
            self._loader.wait(1000)
        if self.controller is not None:
            self.controller.shutdown(1000)
        self.qs.sync()
        super().closeEvent(ev)

    # ------------------------------------------------------------------------------------------
    def _error(self, title: str, message: str) -> None:
        if self._closing:
            return
        if os.environ.get("NNVIZ_NO_DIALOGS"):  # self-test and benchmarks: no modal dialogs
            self.statusBar().showMessage(f"{title}: {message}", 15000)
            self.last_error = (title, message)
            return
        QMessageBox.warning(self, title, message)

    def _ask_max_edges(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        n, ok = QInputDialog.getInt(self, self.tr("Edges drawn per layer"),
                                    self.tr("Draw at most this many of the strongest connections per layer\n"
                                            "(more is slower to draw):"),
                                    self.diagram.max_edges_per_layer, 10, 100000, 100)
        if ok:
            self.set_max_edges(n)

    def set_max_edges(self, n: int) -> None:
        self.diagram.set_max_edges_per_layer(int(n))
        self.qs.setValue("view/max_edges", int(n))
        if self._last_snapshot is not None:
            self.diagram.update_snapshot(self._last_snapshot)

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About nnviz"),
                          self.tr("<b>nnviz {0}</b><br>Watch a neural network learn: every weight, "
                                  "activation and gradient on screen, computed by a small exact NumPy "
                                  "engine.").format(__version__))
