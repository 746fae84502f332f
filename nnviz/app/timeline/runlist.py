"""The run list: every run of the session with its colour, name and what it changed.

:class:`RunListView` shows :class:`~nnviz.app.runs.RunList` (``AppModel.runs``), one row per
run: a checkbox (shown in the plots or not), the run's colour swatch and name, and the
settings that differ from its parent (its tooltip lists them all). The learner picks the run
the diagram shows (the current row), hides runs, renames them (double-click or F2) and deletes
them (Delete, or the context menu; the run that is training asks first).
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QMenu, QMessageBox, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from nnviz.app.translation import retranslate
from nnviz.i18n import N_, _
from nnviz.i18n.names import title

#: Display names of the settings a run may change (others show their field name).
SETTING_LABELS = {
    "lr": N_("learning rate"), "optimizer": N_("optimizer"), "optimizer_options": N_("optimizer options"),
    "activation": N_("activation"), "activations": N_("activations"),
    "output_activation": N_("output activation"), "hidden": N_("hidden layers"), "loss": N_("loss"),
    "init": N_("initialiser"), "bias_init": N_("bias initialiser"), "batch_size": N_("batch size"),
    "epochs": N_("epochs"), "seed": N_("seed"), "weight_decay": "L2", "l1": "L1",
    "schedule": N_("schedule"), "schedule_options": N_("schedule options"), "dropout": N_("dropout"),
    "batchnorm": N_("batch normalisation"), "dataset": N_("dataset"), "shuffle": N_("shuffle"),
    "augment": N_("augmentation"), "dtype": N_("precision")}
#: Settings whose values are registry ids, and their kind in nnviz.i18n.names.
ID_KINDS = {"optimizer": "optimizer", "activation": "activation", "output_activation": "activation",
            "loss": "loss", "init": "init", "bias_init": "init", "schedule": "schedule",
            "dataset": "dataset"}
#: Settings left out of a run's tooltip (too long to read there).
_SKIP = {"weights", "inits", "bias_inits", "data_options", "init_options", "augment_options"}


def setting_label(key: str) -> str:
    label = SETTING_LABELS.get(key)
    return _(label) if label else key


def setting_value(key: str, value) -> str:
    """A setting's value as the learner reads it (ids by their display name)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("on") if value else _("off")
    if key in ID_KINDS:
        return title(ID_KINDS[key], str(value))
    if key in ("activations",) and isinstance(value, (list, tuple)):
        return ", ".join(title("activation", str(v)) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "-".join(str(v) for v in value) if key == "hidden" else ", ".join(map(str, value))
    if isinstance(value, dict):
        return ", ".join(f"{k}={setting_value(k, v)}" for k, v in value.items()) or "—"
    return str(value)


def describe_changes(changes: dict) -> str:
    """``{"lr": 0.01, "optimizer": "adam"}`` → ``"learning rate 0.01 · optimizer Adam"``."""
    return " · ".join(_("{setting} {value}").format(setting=setting_label(k), value=setting_value(k, v))
                      for k, v in changes.items())


def settings_tooltip(settings) -> str:
    """Every setting of a run, one ``label: value`` line each."""
    if settings is None:
        return ""
    lines = []
    for key, value in settings.to_dict().items():
        if key in _SKIP or (key == "activations" and value is None):
            continue
        lines.append(_("{setting}: {value}").format(setting=setting_label(key), value=setting_value(key, value)))
    return "\n".join(lines)


def swatch(colour: str, size: int = 12) -> QIcon:
    pm = QPixmap(size, size)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setPen(QColor(0, 0, 0, 90))
    p.setBrush(QColor(colour))
    p.drawRoundedRect(0, 0, size - 1, size - 1, 2, 2)
    p.end()
    return QIcon(pm)


class _Tree(QTreeWidget):
    """F2 renames the current run, Delete deletes it."""

    renameRequested = Signal(object)
    deleteRequested = Signal(object)

    def keyPressEvent(self, ev) -> None:
        item = self.currentItem()
        if item is not None and ev.key() == Qt.Key.Key_F2:
            self.renameRequested.emit(item)
            return
        if item is not None and ev.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.deleteRequested.emit(item)
            return
        super().keyPressEvent(ev)


class RunListView(QWidget):
    """The session's runs (see the module docs). ``is_live(run)`` says which run the worker is
    training (the window sets it); deleting that one asks ``confirm_delete(run)`` first."""

    ID = int(Qt.ItemDataRole.UserRole)
    COLOUR = ID + 1

    def __init__(self, runs, parent: QWidget | None = None):
        super().__init__(parent)
        self.runs = runs
        self.is_live = lambda run: False
        self.confirm_delete = self._ask_delete
        self._items: dict[int, QTreeWidgetItem] = {}
        self._updating = False
        t = self.tree = _Tree()
        t.setColumnCount(2)
        t.setRootIsDecorated(False)
        t.setUniformRowHeights(True)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)  # only the name: see _rename
        t.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        t.header().setStretchLastSection(True)
        t.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        t.setColumnWidth(0, 130)
        t.setTextElideMode(Qt.TextElideMode.ElideRight)
        t.itemChanged.connect(self._on_item_changed)
        t.currentItemChanged.connect(self._on_current)
        t.itemDoubleClicked.connect(lambda item, col: self._rename(item))
        t.renameRequested.connect(self._rename)
        t.deleteRequested.connect(self._delete_item)
        t.customContextMenuRequested.connect(self._context_menu)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(t)
        runs.added.connect(self._on_added)
        runs.changed.connect(self._update_row)
        runs.removed.connect(self._on_removed)
        runs.selectedChanged.connect(self._on_selected)
        for run in runs.runs():
            self._on_added(run)
        self._on_selected(runs.selected)
        self.setMinimumSize(180, 90)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.tree.setHeaderLabels([_("Run"), _("Changes")])
        self.tree.setToolTip(_("Every run of this session. Click one to show it in the diagram; the "
                               "box shows or hides its curves; double-click or F2 renames it; "
                               "Delete removes it."))
        self.refresh()

    # -- rows -------------------------------------------------------------------------------
    def item(self, run_id: int) -> QTreeWidgetItem | None:
        return self._items.get(run_id)

    def refresh(self) -> None:
        """Every row again (after a language switch, or when the live run changed)."""
        for run in self.runs.runs():
            self._update_row(run)

    def _on_added(self, run) -> None:
        item = QTreeWidgetItem()
        item.setData(0, self.ID, run.id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEditable)
        self._items[run.id] = item
        self._updating = True
        try:
            self.tree.addTopLevelItem(item)
        finally:
            self._updating = False
        self._update_row(run)

    def _update_row(self, run) -> None:
        item = self._items.get(run.id)
        if item is None:
            return
        changes = describe_changes(run.changes) if run.changes else ""
        tip = self._tooltip(run)
        live = bool(self.is_live(run))
        self._updating = True
        try:
            if item.text(0) != run.name:
                item.setText(0, run.name)
            if item.data(0, Qt.ItemDataRole.DecorationRole) is None or item.data(0, self.COLOUR) != run.colour:
                item.setIcon(0, swatch(run.colour))
                item.setData(0, self.COLOUR, run.colour)
            state = Qt.CheckState.Checked if run.visible else Qt.CheckState.Unchecked
            if item.checkState(0) != state:
                item.setCheckState(0, state)
            if item.text(1) != changes:
                item.setText(1, changes)
            if item.toolTip(0) != tip:
                item.setToolTip(0, tip)
                item.setToolTip(1, tip)
            font = QFont(item.font(0))
            if font.bold() != live:
                font.setBold(live)
                item.setFont(0, font)
            item.setForeground(1, QBrush(QColor(self.palette().placeholderText().color())))
        finally:
            self._updating = False

    def _tooltip(self, run) -> str:
        head = [run.name]
        if self.is_live(run):
            head.append(_("Training now."))
        parent = self.runs.get(run.parent)
        if parent is not None and run.branch_step is not None:
            head.append(_("Branched from {run} at step {step}.").format(run=parent.name, step=run.branch_step))
        elif run.race is not None:
            head.append(_("Raced in race {n}: the same first weights and samples as the others.").format(n=run.race))
        if run.changes:
            head.append(_("Changed: {changes}").format(changes=describe_changes(run.changes)))
        return "\n".join(head) + "\n\n" + settings_tooltip(run.settings)

    def _on_removed(self, run_id: int) -> None:
        item = self._items.pop(run_id, None)
        if item is not None:
            self._updating = True
            try:
                self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(item))
            finally:
                self._updating = False

    def _on_selected(self, run) -> None:
        item = None if run is None else self._items.get(run.id)
        if item is not self.tree.currentItem():
            self._updating = True
            try:
                self.tree.setCurrentItem(item)
            finally:
                self._updating = False

    # -- what the learner does -----------------------------------------------------------
    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._updating or column != 0:
            return
        run_id = item.data(0, self.ID)
        self.runs.set_visible(run_id, item.checkState(0) == Qt.CheckState.Checked)
        run = self.runs.get(run_id)
        if run is not None:
            name = item.text(0).strip()
            if name and name != run.name:
                self.runs.rename(run_id, name)
            else:
                self._update_row(run)  # an empty name: the old one back

    def _on_current(self, current, previous) -> None:
        if not self._updating and current is not None:
            self.runs.select(current.data(0, self.ID))

    def _rename(self, item) -> None:
        if item is not None:
            self.tree.editItem(item, 0)

    def _delete_item(self, item) -> None:
        if item is not None:
            self.delete_run(item.data(0, self.ID))

    def delete_run(self, run_id: int) -> bool:
        """Delete a run (the live one only after ``confirm_delete``); True if it went."""
        run = self.runs.get(run_id)
        if run is None or (self.is_live(run) and not self.confirm_delete(run)):
            return False
        self.runs.remove(run_id)
        return True

    def _ask_delete(self, run) -> bool:
        from nnviz.app.window.dialogs import no_dialogs

        if no_dialogs():
            return False
        box = QMessageBox(QMessageBox.Icon.Question, _("Delete the run in training?"),
                          _("{run} is training now. Delete it and its timeline anyway?").format(run=run.name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _context_menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        if item is None:
            return
        run_id = item.data(0, self.ID)
        menu = QMenu(self)
        menu.addAction(_("Show in the diagram"), lambda: self.runs.select(run_id))
        menu.addAction(_("Rename"), lambda: self._rename(item))
        menu.addAction(_("Show only this run"), lambda: self.show_only(run_id))
        menu.addAction(_("Show all runs"), self.show_all)
        menu.addSeparator()
        menu.addAction(_("Delete"), lambda: self.delete_run(run_id))
        menu.exec(self.tree.viewport().mapToGlobal(pos))

    def show_only(self, run_id: int) -> None:
        for run in self.runs.runs():
            self.runs.set_visible(run.id, run.id == run_id)

    def show_all(self) -> None:
        for run in self.runs.runs():
            self.runs.set_visible(run.id, True)
