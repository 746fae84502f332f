"""The controls panel: every choice of a run (data, network, training) as editable widgets.

:class:`ControlsPanel` edits a :class:`~nnviz.experiment.Settings`. Each edit emits
``settingsChanged(settings, needs_rebuild)``: ``needs_rebuild`` is False for the fields in
:data:`nnviz.experiment.LIVE_SETTINGS` (what the worker can change between two batches) and
True when the data or the network must be built again.
"""
from __future__ import annotations

import copy

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from nnviz.app.translation import retranslate
from nnviz.experiment import Settings
from nnviz.i18n import N_, _

from .data_group import DataGroup
from .group import Draft
from .network_group import NetworkGroup
from .training_group import TrainingGroup


class ControlsPanel(QWidget):
    """Edits a :class:`Settings`; emits ``settingsChanged(settings, needs_rebuild)``."""

    settingsChanged = Signal(object, bool)
    openDatasetRequested = Signal()

    MAX_LAYERS = NetworkGroup.MAX_LAYERS

    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        s = copy.deepcopy(settings) if settings is not None else Settings()
        self._draft = Draft(s, self._emit, self._update_tab_order)
        self.data_group = DataGroup(N_("Data"), self._draft)
        self.network_group = NetworkGroup(N_("Network"), self._draft)
        self.training_group = TrainingGroup(N_("Training"), self._draft)
        self.data_group.openDatasetRequested.connect(self.openDatasetRequested)
        self.data_group.replaced.connect(self._show_replaced)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.setSpacing(6)
        for g in self._groups():
            lay.addWidget(g)
        lay.addStretch(1)
        self.setMinimumWidth(300)
        self.set_settings(s)
        retranslate(self)

    def retranslate_ui(self) -> None:
        """The groups retranslate themselves (registered before the panel); the label column
        is then fitted to the new texts."""
        self._align_labels()

    def _groups(self):
        return (self.data_group, self.network_group, self.training_group)

    # ------------------------------------------------------------------ public API
    def settings(self) -> Settings:
        """A copy of the settings as shown."""
        return copy.deepcopy(self._draft.s)

    def set_settings(self, s: Settings) -> None:
        """Show ``s`` (no signal is emitted while loading)."""
        self._draft.s = copy.deepcopy(s)
        self._load(self._groups())

    def set_dataset(self, name_or_path: str) -> None:
        """Select a dataset (a catalog name or a file path, added to the list) as the user would."""
        self.data_group.set_dataset(str(name_or_path))

    def invalid_fields(self) -> dict[str, str]:
        """Fields holding text that is not a valid value: key → reason."""
        return {k: c.error for g in self._groups() for k, c in g.checks.items() if c.error}

    def is_valid(self) -> bool:
        data = self.data_group
        return not self.invalid_fields() and bool(data.checked_features() or not data.features_apply())

    def widget(self, key: str) -> QWidget:
        """The widget of a simple row of the field table, by its Settings name (e.g. ``"lr"``)."""
        for g in self._groups():
            if key in g.fields:
                return g.fields[key].widget
        raise KeyError(key)

    def hidden_sizes(self) -> list[int]:
        return self.network_group.hidden_sizes()

    def add_layer(self) -> None:
        """Add a hidden layer like the last one (4 tanh neurons when there is none)."""
        self.network_group.add_layer()

    def remove_layer(self) -> None:
        """Remove the last hidden layer."""
        self.network_group.remove_layer()

    # ------------------------------------------------------------------ plumbing
    def _load(self, groups) -> None:
        self._draft.loading = True
        try:
            for g in groups:
                g.load(self._draft.s)
        finally:
            self._draft.loading = False
        self._update_tab_order()

    def _show_replaced(self) -> None:
        """A new dataset brought a new network: show it (the data group shows itself)."""
        self._load((self.network_group, self.training_group))

    def _emit(self, needs_rebuild: bool) -> None:
        self.settingsChanged.emit(self.settings(), bool(needs_rebuild))

    def _align_labels(self) -> None:
        """One label column width for the three groups, so their fields line up."""
        labels = [lab for g in self._groups() for lab in g.labels()]
        fm = self.fontMetrics()
        width = max([fm.horizontalAdvance(_("Layer {k}").format(k=8))]
                    + [fm.horizontalAdvance(lab.text()) for lab in labels]) + 4
        self.network_group.label_width = width
        for lab in labels:
            lab.setMinimumWidth(width)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _update_tab_order(self) -> None:
        """Tab goes down the panel in reading order, also through added layer rows."""
        chain = [w for g in self._groups() for w in g.tab_chain()]
        for a, b in zip(chain, chain[1:]):
            QWidget.setTabOrder(a, b)
