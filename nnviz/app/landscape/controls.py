"""The landscape's controls: which plane (two weights, random, principal directions of the
path), span, resolution, log scale, live, Compute/Cancel and a progress bar."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QGridLayout, QHBoxLayout,
                               QLabel, QProgressBar, QPushButton, QSpinBox, QWidget)

from nnviz.app.landscape.source import LIVE_PARAMS
from nnviz.app.translation import retranslate
from nnviz.i18n import N_, _
from nnviz.i18n.names import layer_title
from nnviz.landscape import MAX_GRID, MIN_GRID

#: The axes choices: id → text.
AXES = (("axes", N_("Two weights")), ("random", N_("Random directions")),
        ("pca", N_("Principal directions of the path")))
#: Networks with more parameters list only their biases and last layer's weights.
MAX_LISTED = 2000


def parameter_items(sizes: list[int]) -> list[tuple[str, tuple]]:
    """``(spec, (kind, layer, row, col))`` of the parameters the weight boxes offer."""
    n_layers = len(sizes) - 1
    total = sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(n_layers))
    items = []
    for li in range(n_layers):
        if total <= MAX_LISTED or li == n_layers - 1:
            items += [(f"w:{li}:{r}:{c}", ("w", li, r, c)) for c in range(sizes[li + 1])
                      for r in range(sizes[li])]
        items += [(f"b:{li}:{j}", ("b", li, j, None)) for j in range(sizes[li + 1])]
    return items


def parameter_text(key: tuple, n_layers: int) -> str:
    kind, li, r, c = key
    if kind == "w":
        return _("weight {src}[{row}] → {dst}[{col}]").format(
            src=layer_title(li - 1, n_layers), row=r, dst=layer_title(li, n_layers), col=c)
    return _("bias of {dst}[{index}]").format(dst=layer_title(li, n_layers), index=r)


class LandscapeControls(QWidget):
    """Emits :attr:`changed` when the plane or the grid changes, :attr:`computeRequested`,
    :attr:`cancelRequested`; :attr:`logToggled` for the colour scale."""

    changed = Signal()
    computeRequested = Signal()
    cancelRequested = Signal()
    logToggled = Signal(bool)
    liveToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._sizes: list[int] = []
        self._items: list = []
        self.axes_label, self.span_label, self.grid_label = QLabel(), QLabel(), QLabel()
        self.axes = QComboBox()
        for key, _text in AXES:
            self.axes.addItem("", key)
        self.first, self.second = QComboBox(), QComboBox()
        for box in (self.first, self.second):
            box.setMinimumContentsLength(14)
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            box.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.span = QDoubleSpinBox()
        self.span.setRange(0.0, 1000.0)
        self.span.setDecimals(3)
        self.span.setSingleStep(0.25)
        self.span.setValue(0.0)
        self.grid = QSpinBox()
        self.grid.setRange(MIN_GRID, MAX_GRID)
        self.grid.setValue(25)
        self.log = QCheckBox()
        self.live = QCheckBox()
        self.live.setChecked(True)
        self.compute = QPushButton()
        self.cancel = QPushButton()
        self.cancel.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        lay = QGridLayout(self)
        lay.setContentsMargins(4, 4, 4, 0)
        self.first_label, self.second_label = QLabel("α"), QLabel("β")
        lay.addWidget(self.axes_label, 0, 0)
        lay.addWidget(self.axes, 0, 1, 1, 3)
        lay.addWidget(self.first_label, 1, 0)
        lay.addWidget(self.first, 1, 1, 1, 3)
        lay.addWidget(self.second_label, 2, 0)
        lay.addWidget(self.second, 2, 1, 1, 3)
        lay.addWidget(self.span_label, 3, 0)
        lay.addWidget(self.span, 3, 1)
        lay.addWidget(self.grid_label, 3, 2)
        lay.addWidget(self.grid, 3, 3)
        row = QHBoxLayout()
        for w in (self.log, self.live):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.compute)
        row.addWidget(self.cancel)
        lay.addLayout(row, 4, 0, 1, 4)
        lay.addWidget(self.progress, 5, 0, 1, 4)
        self.axes.currentIndexChanged.connect(self._axes_changed)
        self.span.valueChanged.connect(lambda _v: self.changed.emit())
        self.grid.valueChanged.connect(lambda _v: self.changed.emit())
        self.log.toggled.connect(self.logToggled)
        self.live.toggled.connect(self.liveToggled)
        self.compute.clicked.connect(self.computeRequested)
        self.cancel.clicked.connect(self.cancelRequested)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.axes_label.setText(_("Plane:"))
        for i, (_key, text) in enumerate(AXES):
            self.axes.setItemText(i, _(text))
        self.axes.setToolTip(_("Two weights: exact axes. Random: filter-normalised directions (Li et al., 2018). "
                               "Principal: the two directions along which the path moved most."))
        self.first.setToolTip(_("The weight or bias along α"))
        self.second.setToolTip(_("The weight or bias along β"))
        self.span_label.setText(_("Span ±"))
        self.span.setSpecialValueText(_("auto"))
        self.span.setToolTip(_("α and β go from −span to +span; auto fits the path"))
        self.grid_label.setText(_("Resolution"))
        self.grid.setToolTip(_("Points per side of the grid"))
        self.log.setText(_("Log scale"))
        self.live.setText(_("Live"))
        self.live.setToolTip(_("Recompute as training moves (small networks)"))
        self.compute.setText(_("Compute"))
        self.cancel.setText(_("Cancel"))
        self._fill_texts()

    # -- the network's parameters ----------------------------------------------------------
    def set_network(self, sizes: list[int]) -> None:
        self._sizes = list(sizes)
        self._items = parameter_items(self._sizes)
        for box, pick in ((self.first, 0), (self.second, 1)):
            box.blockSignals(True)
            box.clear()
            for spec, key in self._items:
                box.addItem("", spec)
            box.setCurrentIndex(min(pick, box.count() - 1))
            box.blockSignals(False)
        self._fill_texts()
        n_params = sum(sizes[i] * sizes[i + 1] + sizes[i + 1] for i in range(len(sizes) - 1))
        self.grid.blockSignals(True)
        self.grid.setValue(41 if n_params <= LIVE_PARAMS else 31 if n_params <= 100_000 else 21)
        self.grid.blockSignals(False)
        self.live.setEnabled(n_params <= LIVE_PARAMS)   # bigger networks: on demand (Compute)
        self.axes.setCurrentIndex(0 if n_params <= 50 else 1)
        self._axes_changed()

    def _fill_texts(self) -> None:
        n_layers = max(len(self._sizes) - 1, 1)
        for box in (self.first, self.second):
            for i, (spec, key) in enumerate(self._items):
                text = parameter_text(key, n_layers)
                box.setItemText(i, text)
                box.setItemData(i, f"{text}  ({spec})", 3)   # Qt.ToolTipRole, with the CLI's name

    # -- reading -------------------------------------------------------------------------------
    def axes_spec(self) -> str:
        kind = self.axes.currentData()
        if kind == "axes":
            return f"{self.first.currentData()},{self.second.currentData()}"
        return kind

    def span_value(self) -> float | None:
        v = self.span.value()
        return None if v <= 0 else float(v)

    def set_busy(self, busy: bool) -> None:
        self.cancel.setEnabled(busy)
        if not busy:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)

    def set_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _axes_changed(self, *_a) -> None:
        named = self.axes.currentData() == "axes"
        for w in (self.first, self.second, self.first_label, self.second_label):
            w.setVisible(named)
        self.changed.emit()
