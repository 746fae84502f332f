"""The Network group: hidden-layer rows, output, loss, initialiser, batch norm and dropout."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from nnviz.core import ACTIVATIONS
from nnviz.experiment import Settings
from nnviz.i18n import N_, _, n_

from .fields import fill_registry, make_combo, make_spin, retitle_combo, set_combo
from .group import FormGroup

HIDDEN_TIP = N_("Hidden layers sit between the inputs and the output. Each neuron computes a weighted "
                "sum of the layer before and passes it through its activation. With no hidden layer "
                "the network can only draw a straight boundary.")
OUTPUT_TIP = N_("Activation of the output layer: sigmoid gives a probability for two classes, softmax "
                "probabilities over many classes, identity any number (regression).")


class LayerRow:
    """One hidden layer: its size and activation."""

    def __init__(self, group: "NetworkGroup", index: int, size: int, activation: str):
        self.label = QLabel()
        self.spin = make_spin(1, 4096, width=72)
        self.spin.setValue(int(size))
        self.combo = make_combo()
        fill_registry(self.combo, "activation", ACTIVATIONS, exclude=("softmax",))
        set_combo(self.combo, activation)
        self.field = QWidget()
        h = QHBoxLayout(self.field)
        h.setContentsMargins(0, 0, 0, 0)
        h.setSpacing(6)
        h.addWidget(self.spin)
        h.addWidget(self.combo, 1)
        self.index = index
        self.retranslate()
        group.guard_wheel(self.spin, self.combo)
        self.spin.valueChanged.connect(group._on_arch_changed)
        self.combo.currentIndexChanged.connect(group._on_arch_changed)

    def retranslate(self) -> None:
        """The row's texts in the current language (called by its group after a switch)."""
        self.label.setText(_("Layer {k}").format(k=self.index + 1))
        self.spin.setToolTip(_("Neurons in this hidden layer. More neurons can draw more complicated "
                               "boundaries, but learn slower and can over-fit."))
        self.combo.setToolTip(_("Activation of this layer's neurons: the function applied to each "
                                "neuron's weighted sum z."))
        self.label.setToolTip(self.spin.toolTip())
        retitle_combo(self.combo, "activation", ACTIVATIONS)


class NetworkGroup(FormGroup):
    """The network rows; the hidden layers and the output activation are read together."""

    GROUP = "network"
    MAX_LAYERS = 8

    def _prepare(self) -> None:
        self.layers: list[LayerRow] = []
        self.label_width = 0  # set by the panel so added layer rows line up

    # ------------------------------------------------------------------ rows
    def _build_hidden(self) -> None:
        self.remove_layer_button = QToolButton()
        self.remove_layer_button.setText("−")
        self.add_layer_button = QToolButton()
        self.add_layer_button.setText("+")
        for b in (self.remove_layer_button, self.add_layer_button):
            b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            b.setMinimumWidth(28)
        self.remove_layer_button.clicked.connect(self.remove_layer)
        self.add_layer_button.clicked.connect(self.add_layer)
        self.layers_count = QLabel()
        row = QHBoxLayout()
        row.setSpacing(4)
        row.addWidget(self.remove_layer_button)
        row.addWidget(self.add_layer_button)
        row.addSpacing(6)
        row.addWidget(self.layers_count, 1)
        self.add_row(N_("Hidden"), HIDDEN_TIP, self.layers_count, row)
        self._first_layer_row = self.form.rowCount()

    def _build_output_activation(self) -> None:
        self.output_combo = make_combo()
        fill_registry(self.output_combo, "activation", ACTIVATIONS)
        self.output_combo.currentIndexChanged.connect(self._on_arch_changed)
        self.add_row(N_("Output"), OUTPUT_TIP, self.output_combo)

    def _build_pairing_hint(self) -> None:
        self.pairing_hint = QLabel()
        self.pairing_hint.setWordWrap(True)
        self.pairing_hint.setStyleSheet("color: #b35c00;")
        self.form.addRow(self.pairing_hint)

    def _retranslate_rows(self) -> None:
        self.remove_layer_button.setToolTip(_("Remove the last hidden layer"))
        self.add_layer_button.setToolTip(_("Add a hidden layer (a copy of the last one)"))
        self.layers_count.setToolTip(_(HIDDEN_TIP))
        self.output_combo.setToolTip(_(OUTPUT_TIP))
        retitle_combo(self.output_combo, "activation", ACTIVATIONS)
        for r in self.layers:
            r.retranslate()
        self._update_layer_buttons()
        self._update_pairing_hint()

    def _tab_hidden(self) -> list[QWidget]:
        chain: list[QWidget] = [self.remove_layer_button, self.add_layer_button]
        for r in self.layers:
            chain += [r.spin, r.combo]
        return chain

    def _tab_output_activation(self) -> list[QWidget]:
        return [self.output_combo]

    # ------------------------------------------------------------------ hidden layers
    def hidden_sizes(self) -> list[int]:
        return [r.spin.value() for r in self.layers]

    def _set_layer_rows(self, sizes: list[int], acts: list[str]) -> None:
        while self.layers:
            self._pop_layer_row()
        for size, act in zip(sizes, acts):
            self._push_layer_row(size, act)
        self._update_layer_buttons()

    def _push_layer_row(self, size: int, act: str) -> None:
        row = LayerRow(self, len(self.layers), size, act)
        row.label.setMinimumWidth(self.label_width)
        row.label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.insertRow(self._first_layer_row + len(self.layers), row.label, row.field)
        self.layers.append(row)

    def _pop_layer_row(self) -> None:
        row = self.layers.pop()
        self.form.removeRow(row.field)  # deletes the label and the widgets

    def add_layer(self) -> None:
        """Add a hidden layer like the last one (4 tanh neurons when there is none)."""
        if len(self.layers) >= self.MAX_LAYERS:
            return
        if self.layers:
            last = self.layers[-1]
            self._push_layer_row(last.spin.value(), last.combo.currentData())
        else:
            act = self.s.activation if self.s.activation != "softmax" else "tanh"
            self._push_layer_row(4, act)
        self._update_layer_buttons()
        self.draft.relink()
        self._on_arch_changed()

    def remove_layer(self) -> None:
        """Remove the last hidden layer."""
        if not self.layers:
            return
        self._pop_layer_row()
        self._update_layer_buttons()
        self.draft.relink()
        self._on_arch_changed()

    def _update_layer_buttons(self) -> None:
        n = len(self.layers)
        self.remove_layer_button.setEnabled(n > 0)
        self.add_layer_button.setEnabled(n < self.MAX_LAYERS)
        if n == 0:
            self.layers_count.setText(_("none: a single layer"))
        else:
            self.layers_count.setText(n_("{n} hidden layer", "{n} hidden layers", n).format(n=n))

    # ------------------------------------------------------------------ load / read
    def load(self, s: Settings) -> None:
        hidden = [int(h) for h in s.hidden]
        if s.activations and len(s.activations) == len(hidden) + 1:
            acts, out = list(s.activations[:-1]), s.activations[-1]
        else:
            acts, out = [s.activation] * len(hidden), s.output_activation
        self._set_layer_rows(hidden, acts)
        set_combo(self.output_combo, out)
        self.load_fields(s)
        self._update_pairing_hint()

    def _read_architecture(self) -> None:
        """hidden, activation(s) and output activation from the widgets into the settings."""
        s = self.s
        hidden = self.hidden_sizes()
        acts = [r.combo.currentData() for r in self.layers]
        out = self.output_combo.currentData()
        if hidden != list(s.hidden):
            s.weights = None  # fixed weights fit one shape only
        s.hidden = hidden
        if len(set(acts)) <= 1:
            if acts:
                s.activation = acts[0]
            s.activations = None
        else:
            s.activations = acts + [out]
        s.output_activation = out
        self._update_pairing_hint()

    def _on_arch_changed(self, *_args) -> None:
        if self.draft.loading:
            return
        self._read_architecture()
        self.draft.changed(True)

    def _after_loss(self) -> None:
        self._update_pairing_hint()

    def _update_pairing_hint(self) -> None:
        out, loss = self.output_combo.currentData(), self.s.loss
        hint = ""
        if loss == "cross_entropy" and out != "softmax":
            hint = _("Cross-entropy expects a softmax output.")
        elif out == "softmax" and loss != "cross_entropy":
            hint = _("A softmax output is usually trained with cross-entropy.")
        elif loss == "bce" and out not in ("sigmoid",):
            hint = _("Binary cross-entropy expects outputs in (0, 1): use sigmoid.")
        if out == "step" or any(r.combo.currentData() == "step" for r in self.layers):
            hint = _("Step has no slope, so this network cannot be trained "
                     "(it can still be evaluated with fixed weights).")
        self.pairing_hint.setText(hint)
        self.form.setRowVisible(self.pairing_hint, bool(hint))
