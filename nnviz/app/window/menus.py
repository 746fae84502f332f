"""The window's actions, toolbar and menus (File with recent files and exports, Presets,
Training, View with the Language menu, Help with the welcome)."""
from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
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

from nnviz import i18n
from nnviz.app.window import dialogs
from nnviz.i18n import LANGUAGE_NAMES, _, available_languages, message
from nnviz.core.errors import NNVizError

MAX_RECENT = 8
#: Milliseconds waited after each batch, per position of the Speed slider (right: full speed).
SPEED_DELAYS_MS = (500, 300, 200, 120, 80, 50, 30, 15, 5, 1, 0)
#: Where the slider starts: 1 ms a batch, so the default circle's decision regions form over
#: several seconds (~30 s for its 1000 epochs, against ~3 s at full speed) instead of in a blink.
DEFAULT_SPEED_INDEX = SPEED_DELAYS_MS.index(1)


class WindowMenus:
    """Mixin of :class:`~nnviz.app.window.mainwindow.MainWindow`: builds its actions and menus; every
    text is (re)written by :meth:`_retranslate_menus` (called from the window's ``retranslate_ui``)."""

    def _action(self, text: str, slot, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        self._set_action_text(act, text, tip)
        act.setCheckable(checkable)
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    @staticmethod
    def _set_action_text(act: QAction, text: str, tip: str = "") -> None:
        """``act``'s text and tooltip (with its shortcut) in the current language: call it from a
        ``retranslate_ui`` with ``_()``-translated texts."""
        act.setText(text)
        if tip:
            keys = act.shortcut().toString(QKeySequence.NativeText)
            act.setToolTip(tip + (f"  ({keys})" if keys else ""))
            act.setStatusTip(tip)

    def _build_actions(self) -> None:
        m = self.model
        self.act_play = self._action("", lambda: self._train(m.toggle_play), Qt.Key_Space)
        self.act_step = self._action("", lambda: self._train(m.step_batch), Qt.Key_Right)
        self.act_epoch = self._action("", lambda: self._train(m.step_epoch), QKeySequence("Shift+Right"))
        self.act_reset = self._action("", m.reset, QKeySequence("Ctrl+R"))
        self.act_open_data = self._action("", lambda: self.open_dataset(), QKeySequence.Open)
        self.act_open_model = self._action("", lambda: self.open_model(), QKeySequence("Ctrl+Shift+O"))
        self.act_save_model = self._action("", lambda: self.save_model(), QKeySequence.Save)
        self.act_quit = self._action("", self.close, QKeySequence.Quit)
        self.act_heatmaps = self._action("", self.diagram.set_show_heatmaps, None, checkable=True)
        self.act_heatmaps.setChecked(True)
        self.act_edges = self._action("", self._ask_max_edges, None)
        self.act_log = self._action("", self.plots.set_log_loss, QKeySequence("Ctrl+L"), checkable=True)
        self.act_welcome = self._action("", self.show_welcome)
        self.act_about = self._action("", self._about)
        self.export_actions = {}
        for what, kind in (("diagram", "png"), ("diagram", "svg"), ("plots", "png"), ("plots", "svg"),
                           ("plots", "csv")):
            self.export_actions[what, kind] = self._action(
                "", lambda _=False, w=what, k=kind: self._export(w, k))
        self.language_actions = QActionGroup(self)
        self.language_actions.setExclusive(True)
        for code in available_languages():
            act = QAction(LANGUAGE_NAMES.get(code, code), self)  # each in its own language
            act.setCheckable(True)
            act.setData(code)
            act.triggered.connect(lambda _=False, c=code: self.set_language(c))
            self.language_actions.addAction(act)
        self._build_toolbar()

    def _build_toolbar(self) -> None:
        tb = QToolBar()
        tb.setObjectName("toolbar-training")
        tb.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        tb.setIconSize(QSize(16, 16))
        for act in (self.act_play, self.act_step, self.act_epoch, self.act_reset):
            tb.addAction(act)
        tb.addSeparator()
        box = QWidget()
        lay = QHBoxLayout(box)
        lay.setContentsMargins(6, 0, 6, 0)
        self.speed_label = QLabel()
        lay.addWidget(self.speed_label)
        self.speed = QSlider(Qt.Horizontal)
        self.speed.setRange(0, len(SPEED_DELAYS_MS) - 1)
        self.speed.setFixedWidth(110)
        self.speed.valueChanged.connect(lambda v: self.model.set_speed(SPEED_DELAYS_MS[v]))
        self.speed.setValue(DEFAULT_SPEED_INDEX)
        lay.addWidget(self.speed)
        lay.addSpacing(12)
        self.sample_label = QLabel()
        lay.addWidget(self.sample_label)
        self.sample_spin = QSpinBox()
        self.sample_spin.setMinimumWidth(90)
        self.sample_spin.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self.sample_spin.valueChanged.connect(self.model.set_sample)
        lay.addWidget(self.sample_spin)
        box.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Preferred)
        tb.addWidget(box)
        self.addToolBar(tb)
        self.toolbar = tb

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = self.file_menu = bar.addMenu("")
        m.addAction(self.act_open_data)
        self.recent_menu = m.addMenu("")
        m.addSeparator()
        m.addAction(self.act_open_model)
        m.addAction(self.act_save_model)
        m.addAction(self.digits.open_model_action)
        m.addSeparator()
        self.export_menu = m.addMenu("")
        self.export_menu.addActions(list(self.export_actions.values()))
        m.addSeparator()
        m.addAction(self.act_quit)

        self.presets_menu = bar.addMenu("")
        self._fill_presets()

        t = self.training_menu = bar.addMenu("")
        for act in (self.act_play, self.act_step, self.act_epoch, self.act_reset):
            t.addAction(act)

        v = self.view_menu = bar.addMenu("")
        for dock in (self.controls_dock, self.plots_dock, self.output_dock, self.confusion_dock):
            v.addAction(dock.toggleViewAction())
        v.addActions([self.digits.show_action, self.digits.mistakes_action])
        v.addAction(self.landscape_dock.toggleViewAction())
        v.addSeparator()
        v.addAction(self.act_heatmaps)
        v.addAction(self.act_edges)
        v.addAction(self.act_log)
        v.addSeparator()
        self.language_menu = v.addMenu("")
        self.language_menu.addActions(self.language_actions.actions())

        h = self.help_menu = bar.addMenu("")
        h.addAction(self.act_welcome)
        h.addAction(self.act_about)
        self._refresh_recent()

    def _fill_presets(self) -> None:
        """One entry per CLI preset (``nnviz presets``): what ``nnviz train --preset P`` builds."""
        from nnviz.presets import PRESETS

        menu = self.presets_menu
        menu.setToolTipsVisible(True)
        self.preset_actions: dict[str, QAction] = {}
        for name, p in PRESETS.items():
            act = menu.addAction(name)
            act.setEnabled(p.kind != "graph")
            act.triggered.connect(lambda _=False, n=name: self.open_preset(n))
            self.preset_actions[name] = act

    def _retranslate_presets(self) -> None:
        from nnviz.i18n.names import tip as name_tip, title as name_title
        from nnviz.presets import PRESETS

        for name, act in self.preset_actions.items():
            p = PRESETS[name]
            act.setText(name_title("preset", name))
            tip = name_tip("preset", name) or p.description
            if p.kind == "graph":
                tip += "  " + _("(a computational graph: `nnviz trace --preset {name}`)").format(name=name)
            act.setToolTip(tip)
            act.setStatusTip(tip)

    def _retranslate_menus(self) -> None:
        """Every text of the actions, the toolbar and the menus, in the current language."""
        sa = self._set_action_text
        self._retranslate_play()
        sa(self.act_step, _("Step batch"), _("Train exactly one batch, then pause"))
        sa(self.act_epoch, _("Step epoch"), _("Train until the end of the current epoch, then pause"))
        sa(self.act_reset, _("Reset"), _("New random weights: start learning from scratch"))
        sa(self.act_open_data, _("Open dataset…"), _("Train on your own CSV, IDX or npz file"))
        sa(self.act_open_model, _("Open model…"), _("Load a network saved by nnviz"))
        sa(self.act_save_model, _("Save model…"), _("Save the network's weights and settings"))
        sa(self.act_quit, _("Quit"), _("Close nnviz"))
        sa(self.act_heatmaps, _("Neuron heatmaps"),
           _("Show what each neuron computes over the input plane (2-D data)"))
        sa(self.act_edges, _("Edges drawn per layer…"),
           _("Big layers draw only their strongest connections; choose how many"))
        sa(self.act_log, _("Logarithmic loss axis"), _("Show the loss on a log scale, to see small improvements"))
        sa(self.act_welcome, _("Welcome"), _("What nnviz is and three ways to begin"))
        sa(self.act_about, _("About nnviz"))
        export_texts = {("diagram", "png"): _("Diagram as PNG…"), ("diagram", "svg"): _("Diagram as SVG…"),
                        ("plots", "png"): _("Plots as PNG…"), ("plots", "svg"): _("Plots as SVG…"),
                        ("plots", "csv"): _("Metrics as CSV…")}
        for key, act in self.export_actions.items():
            act.setText(export_texts[key])
        self.toolbar.setWindowTitle(_("Training controls"))
        self.speed_label.setText(_("Speed"))
        self.speed.setToolTip(_("Slow training down to watch each batch (right: full speed)"))
        self.sample_label.setText(_("Shown sample"))
        self.sample_spin.setToolTip(_("Which training sample the diagram's neuron colours belong to"))
        self.file_menu.setTitle(_("&File"))
        self.recent_menu.setTitle(_("Open recent"))
        self.export_menu.setTitle(_("Export"))
        self.presets_menu.setTitle(_("&Presets"))
        self.training_menu.setTitle(_("&Training"))
        self.view_menu.setTitle(_("&View"))
        self.language_menu.setTitle(_("Language"))
        self.help_menu.setTitle(_("&Help"))
        lessons = getattr(getattr(self, "step_ui", None), "lessons_menu", None)
        if lessons is not None:
            lessons.setTitle(_("&Lessons"))
        current = i18n.language()
        for act in self.language_actions.actions():
            act.setChecked(act.data() == current)
        self._retranslate_presets()

    def _retranslate_play(self) -> None:
        running = self.model.state == "running"
        self._set_action_text(self.act_play, _("Pause") if running else _("Play"),
                              _("Start or pause training"))

    # -- recent files -----------------------------------------------------------------------------
    def recent_files(self) -> list[dict]:
        """``[{"path": ..., "kind": "model" | "data"}, ...]``, newest first."""
        from nnviz.app.remembered import Remembered, recent_item_ok

        remembered = getattr(self, "remembered", None) or Remembered(self.qs)
        return remembered.json_list("recent", recent_item_ok)[:MAX_RECENT]

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
        filters = {"png": _("PNG images (*.png)"), "svg": _("SVG drawings (*.svg)"),
                   "csv": _("CSV tables (*.csv)")}
        default = Path(self.qs.value("paths/export", str(Path.home()))) / f"nnviz-{what}.{kind}"
        path, _filter = QFileDialog.getSaveFileName(self, _("Export"), str(default), filters[kind])
        if path:
            self.export(what, kind, path)

    def export(self, what: str, kind: str, path: str) -> bool:
        """Write the diagram or the plots as PNG/SVG, or the metrics as CSV."""
        self.qs.setValue("paths/export", str(Path(path).parent))
        target = self.diagram if what == "diagram" else self.plots
        try:
            getattr(target, f"export_{kind}")(path)
        except (OSError, NNVizError, ValueError) as exc:
            self._error(_("Export failed"), message(exc))
            return False
        self.statusBar().showMessage(_("Exported {path}").format(path=path), 6000)
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
