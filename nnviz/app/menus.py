"""The window's actions, toolbar and menus (File with recent files and exports, Presets,
Training, View, Help)."""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolBar,
    QWidget,
)

from nnviz.app import dialogs
from nnviz.core.errors import NNVizError

MAX_RECENT = 8
#: Milliseconds waited after each batch, per position of the Speed slider (right: full speed).
SPEED_DELAYS_MS = (500, 300, 200, 120, 80, 50, 30, 15, 5, 1, 0)


class WindowMenus:
    """Mixin of :class:`~nnviz.app.mainwindow.MainWindow`: builds its actions and menus."""

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
        tr, m = self.tr, self.model
        self.act_play = self._action(tr("Play"), lambda: self._train(m.toggle_play), Qt.Key_Space, tr("Start or pause training"))
        self.act_step = self._action(tr("Step batch"), lambda: self._train(m.step_batch), Qt.Key_Right,
                                     tr("Train exactly one batch, then pause"))
        self.act_epoch = self._action(tr("Step epoch"), lambda: self._train(m.step_epoch), QKeySequence("Shift+Right"),
                                      tr("Train until the end of the current epoch, then pause"))
        self.act_reset = self._action(tr("Reset"), m.reset, QKeySequence("Ctrl+R"),
                                      tr("New random weights: start learning from scratch"))
        self.act_open_data = self._action(tr("Open dataset…"), lambda: self.open_dataset(), QKeySequence.Open,
                                          tr("Train on your own CSV, IDX or npz file"))
        self.act_open_model = self._action(tr("Open model…"), lambda: self.open_model(),
                                           QKeySequence("Ctrl+Shift+O"), tr("Load a network saved by nnviz"))
        self.act_save_model = self._action(tr("Save model…"), lambda: self.save_model(), QKeySequence.Save,
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
        self._build_toolbar()

    def _build_toolbar(self) -> None:
        tr = self.tr
        tb = QToolBar(tr("Training"))
        tb.setObjectName("toolbar-training")
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        tb.setIconSize(QSize(16, 16))
        for act in (self.act_play, self.act_step, self.act_epoch, self.act_reset):
            tb.addAction(act)
        tb.addSeparator()
        box = QWidget()
        lay = QHBoxLayout(box)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.addWidget(QLabel(tr("Speed")))
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(0, len(SPEED_DELAYS_MS) - 1)
        self.speed.setValue(len(SPEED_DELAYS_MS) - 1)
        self.speed.setFixedWidth(110)
        self.speed.setToolTip(tr("Slow training down to watch each batch (right: full speed)"))
        self.speed.valueChanged.connect(lambda v: self.model.set_speed(SPEED_DELAYS_MS[v]))
        lay.addWidget(self.speed)
        lay.addSpacing(12)
        lay.addWidget(QLabel(tr("Shown sample")))
        self.sample_spin = QSpinBox()
        self.sample_spin.setMinimumWidth(90)
        self.sample_spin.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self.sample_spin.setToolTip(tr("Which training sample the diagram's neuron colours belong to"))
        self.sample_spin.valueChanged.connect(self.model.set_sample)
        lay.addWidget(self.sample_spin)
        box.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Preferred)
        tb.addWidget(box)
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
        m.addAction(self.digits.open_model_action)
        m.addSeparator()
        exp_menu = m.addMenu(tr("Export"))
        for text, what, kind in ((tr("Diagram as PNG…"), "diagram", "png"), (tr("Diagram as SVG…"), "diagram", "svg"),
                                 (tr("Plots as PNG…"), "plots", "png"), (tr("Plots as SVG…"), "plots", "svg"),
                                 (tr("Metrics as CSV…"), "plots", "csv")):
            exp_menu.addAction(self._action(text, lambda _=False, w=what, k=kind: self._export(w, k)))
        m.addSeparator()
        m.addAction(self.act_quit)

        self.presets_menu = self.menuBar().addMenu(tr("&Presets"))
        self._fill_presets()

        t = self.training_menu = self.menuBar().addMenu(tr("&Training"))
        for act in (self.act_play, self.act_step, self.act_epoch, self.act_reset):
            t.addAction(act)

        v = self.menuBar().addMenu(tr("&View"))
        for dock in (self.controls_dock, self.plots_dock, self.output_dock, self.confusion_dock):
            v.addAction(dock.toggleViewAction())
        v.addActions([self.digits.show_action, self.digits.mistakes_action])
        v.addSeparator()
        v.addAction(self.act_heatmaps)
        v.addAction(self.act_edges)
        v.addAction(self.act_log)

        h = self.help_menu = self.menuBar().addMenu(tr("&Help"))
        h.addAction(self._action(tr("About nnviz"), self._about))
        self._refresh_recent()

    def _fill_presets(self) -> None:
        """One entry per CLI preset (``nnviz presets``): what ``nnviz train --preset P`` builds."""
        from nnviz.presets import PRESETS

        menu = self.presets_menu
        menu.setToolTipsVisible(True)
        self.preset_actions: dict[str, QAction] = {}
        for name, p in PRESETS.items():
            act = menu.addAction(name)
            tip = p.description
            if p.kind == "graph":
                act.setEnabled(False)
                tip += "  " + self.tr("(a computational graph: `nnviz trace --preset {0}`)").format(name)
            act.setToolTip(tip)
            act.setStatusTip(tip)
            act.triggered.connect(lambda _=False, n=name: self.open_preset(n))
            self.preset_actions[name] = act

    # -- recent files -----------------------------------------------------------------------------
    def recent_files(self) -> list[dict]:
        """``[{"path": ..., "kind": "model" | "data"}, ...]``, newest first."""
        try:
            items = json.loads(self.qs.value("recent", "[]"))
            return [i for i in items if isinstance(i, dict) and "path" in i][:MAX_RECENT]
        except (TypeError, ValueError):
            return []

    def _add_recent(self, path: str, kind: str) -> None:
        items = [i for i in self.recent_files() if i["path"] != path]
        items.insert(0, {"path": path, "kind": kind})
        self.qs.setValue("recent", json.dumps(items[:MAX_RECENT]))
        self._refresh_recent()

    def _refresh_recent(self) -> None:
        self.recent_menu.clear()
        items = self.recent_files()
        for item in items:
            act = self.recent_menu.addAction(f"{Path(item['path']).name}  —  {item['path']}")
            opener = self.open_model if item["kind"] == "model" else self.open_dataset
            act.triggered.connect(lambda _=False, p=item["path"], f=opener: f(p))
        self.recent_menu.setEnabled(bool(items))

    # -- what the File and View menus' dialogs do ----------------------------------------------
    def _export(self, what: str, kind: str) -> None:
        filters = {"png": self.tr("PNG images (*.png)"), "svg": self.tr("SVG drawings (*.svg)"),
                   "csv": self.tr("CSV tables (*.csv)")}
        default = Path(self.qs.value("paths/export", str(Path.home()))) / f"nnviz-{what}.{kind}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), str(default), filters[kind])
        if path:
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

    def _ask_max_edges(self) -> None:
        n = dialogs.ask_max_edges(self, self.diagram.max_edges_per_layer)
        if n is not None:
            self.set_max_edges(n)

    def set_max_edges(self, n: int) -> None:
        self.diagram.set_max_edges_per_layer(int(n))
        self.qs.setValue("view/max_edges", int(n))
        if self.model.last_snapshot is not None:
            self.diagram.update_snapshot(self.model.last_snapshot)

    def _about(self) -> None:
        dialogs.about(self)
