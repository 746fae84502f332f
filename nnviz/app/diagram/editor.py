"""What the diagram says: the hover texts with the real numbers, and the small editor that sets
a weight or a bias.

Hit keys (see :func:`nnviz.app.diagram.layout.hit_test`) use the dense-layer index; the input
units are layer -1.
"""
from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from nnviz.app.diagram.layout import weights_match
from nnviz.app.translation import retranslate
from nnviz.i18n import _, fill
from nnviz.i18n.names import layer_title


def fmt_number(v) -> str:
    """Four significant digits; ``?`` for what is not a number."""
    try:
        v = float(v)
    except (TypeError, ValueError):
        return "?"
    if not math.isfinite(v):
        return str(v)
    return f"{v:.4g}"


def _value(arrays, layer: int, n: int, j: int):
    """``arrays[layer][j]`` when the layer's array has ``n`` values, else None."""
    if arrays is None or layer >= len(arrays) or np.size(arrays[layer]) != n:
        return None
    return np.ravel(arrays[layer])[j]


class DiagramTexts:
    """Names of the diagram's units and the hover text of every hit key, for one network.

    Every text is made when asked, in the current language (nothing is kept translated); the
    layer names are :func:`nnviz.i18n.names.layer_title` unless the caller gives its own."""

    def __init__(self, sizes, activations, names, image_shape=None, input_names=None, output_names=None):
        self.sizes, self.acts = list(sizes), list(activations)
        n_dense = len(self.sizes) - 1
        default = [layer_title(layer, n_dense) for layer in range(-1, n_dense)]
        # names equal to today's default ones follow the language; other names are the caller's
        custom = names is not None and len(names) == len(self.sizes) and [str(n) for n in names] != default
        self._custom = [str(n) for n in names] if custom else None
        self.image_shape = image_shape
        self.in_names = list(input_names) if input_names is not None and len(input_names) == sizes[0] else None
        self.out_names = list(output_names) if output_names is not None and len(output_names) == sizes[-1] else None

    @property
    def names(self) -> list[str]:
        """Per column: the input, then every dense layer (``input``, ``hidden 1`` … ``output``)."""
        if self._custom is not None:
            return list(self._custom)
        n_dense = len(self.sizes) - 1
        return [layer_title(layer, n_dense) for layer in range(-1, n_dense)]

    def layer_name(self, layer: int) -> str:
        if self._custom is not None:
            return self._custom[layer + 1]
        return layer_title(layer, len(self.sizes) - 1)

    def node_name(self, layer: int, j: int) -> str:
        """``x1``, ``pixel (r, c)``, ``hidden 1 · neuron 3``, ``output “blue”``."""
        if layer == -1:
            if self.in_names is not None:
                return str(self.in_names[j])
            if self.image_shape is not None:
                r, c = divmod(j, self.image_shape[1])
                return _("pixel ({row}, {col})").format(row=r, col=c)
            return f"x{j + 1}"
        if layer == len(self.sizes) - 2 and self.out_names is not None:
            return _("{layer} “{name}”").format(layer=self.layer_name(layer), name=self.out_names[j])
        return _("{layer} · neuron {n}").format(layer=self.layer_name(layer), n=j + 1)

    def layer_tooltip(self, layer: int) -> str:
        if layer == -1:
            return _("The input layer: the features of one sample, scaled. It computes nothing.")
        return _("Each neuron computes z = Σ w·a + b over the previous layer, then a = {act}(z).").format(
            act=self.acts[layer])

    def edit_title(self, kind: str, layer: int, index) -> str:
        if kind == "W":
            return fill(_("Weight from {source} to {target}"), {"source": self.node_name(layer - 1, index[0]),
                                                                "target": self.node_name(layer, index[1])})
        return fill(_("Bias of {neuron}"), {"neuron": self.node_name(layer, index[0])})

    def incoming_caption(self, j: int, pinned: bool, n: int, wmax: float) -> tuple[str, str]:
        """Caption and tooltip of the picture of the ``n`` weights into neuron ``j`` of layer 0."""
        caption = fill(_("weights into {neuron} (pinned)") if pinned else _("weights into {neuron}"),
                       {"neuron": self.node_name(0, j)})
        return (caption,
                _("The {n} weights into this neuron, drawn where their pixels are: blue = positive (the "
                  "pixel excites the neuron), orange = negative; the strongest is ±{wmax}.\nHover another "
                  "neuron of the first hidden layer to see its weights; Ctrl+click a neuron to pin it.")
                .format(n=n, wmax=fmt_number(wmax)))

    def describe(self, key, snap, incoming=None) -> str:
        """The hover text of hit ``key`` with the numbers of ``snap``; ``incoming`` is the neuron
        of layer 0 whose incoming weights are shown (for ``("inset", i)``)."""
        if key is None:
            return ""
        kind = key[0]
        w_ok = snap is not None and weights_match(self.sizes, snap.weights)
        g_ok = w_ok and weights_match(self.sizes, snap.grads)
        if kind in ("n", "heat") and key[1] == -1:
            return self._input(key[2], snap, _("x = {x}  (this sample's input, scaled)"))
        if kind in ("n", "heat"):
            return self._neuron(kind, key[1], key[2], snap, w_ok)
        if kind == "pix":
            return self._input(key[1], snap, _("x = {x}  (this sample's pixel, scaled)"))
        if kind == "inset":
            lines = [_("Weight from {source} to {target}").format(source=self.node_name(-1, key[1]),
                                                                   target=self.node_name(0, incoming))]
            if w_ok and incoming is not None:
                lines.append(f"w = {fmt_number(snap.weights[0][0][key[1], incoming])}")
            return "\n".join(lines)
        if kind == "bias":
            return fill(_("+1 (bias node of {layer})\nA constant input of 1. Its weights to the next layer are "
                          "the biases b,\nso every neuron there computes z = Σ w·a + b·1."),
                        {"layer": self.names[key[1]]})
        if kind == "w":
            layer, i, j = key[1], key[2], key[3]
            lines = [self.edit_title("W", layer, (i, j)),
                     _("{layer} · W[{i}, {j}]").format(layer=self.layer_name(layer), i=i, j=j)]
            if w_ok:
                lines.append(f"w = {fmt_number(snap.weights[layer][0][i, j])}")
                if g_ok:
                    lines.append(_("∂L/∂w = {value}  (last batch; training moves w the other way)")
                                 .format(value=fmt_number(snap.grads[layer][0][i, j])))
            lines.append(_("Click to edit the weight."))
            return "\n".join(lines)
        if kind == "b":
            layer, j = key[1], key[2]
            lines = [fill(_("Bias of {neuron} (the weight from the +1 node)"), {"neuron": self.node_name(layer, j)}),
                     _("{layer} · b[{j}]").format(layer=self.layer_name(layer), j=j)]
            if w_ok:
                lines.append(f"b = {fmt_number(np.ravel(snap.weights[layer][1])[j])}")
                if g_ok:
                    lines.append(_("∂L/∂b = {value}  (last batch; training moves b the other way)")
                                 .format(value=fmt_number(np.ravel(snap.grads[layer][1])[j])))
            lines.append(_("Click to edit the bias."))
            return "\n".join(lines)
        return ""

    def _input(self, j: int, snap, template: str) -> str:
        lines = [self.node_name(-1, j)]
        if snap is not None and snap.x is not None and np.size(snap.x) == self.sizes[0]:
            lines.append(template.format(x=fmt_number(np.ravel(snap.x)[j])))
        return "\n".join(lines)

    def _neuron(self, kind: str, layer: int, j: int, snap, w_ok: bool) -> str:
        lines = [self.node_name(layer, j)]
        if snap is not None:
            n = self.sizes[layer + 1]
            for arrays, template in (
                    (snap.z, _("z = {value}  (weighted sum: Σ w·a + b)")),
                    (snap.a, _("a = {act}(z) = {value}  (activation, sent on)")),
                    (snap.delta, _("δ = ∂L/∂z = {value}  (how the loss changes with z)"))):
                v = _value(arrays, layer, n, j)
                if v is not None:
                    lines.append(template.format(value=fmt_number(v), act=self.acts[layer]))
            if w_ok:
                lines.append(_("bias b = {value}").format(value=fmt_number(np.ravel(snap.weights[layer][1])[j])))
            if snap.target is not None and layer == len(self.sizes) - 2 and np.size(snap.target) == n:
                lines.append(_("target = {value}").format(value=fmt_number(np.ravel(snap.target)[j])))
        if kind == "heat":
            lines.append(_("The picture: this neuron's output a over the whole input plane "
                           "(x1 → right, x2 → up)."))
        lines.append(_("Click to edit the bias."))
        return "\n".join(lines)


class _Spin(QDoubleSpinBox):
    """The number box: Enter applies, Esc cancels (the editor is not a dialog)."""

    def __init__(self, editor):
        super().__init__(editor)
        self._editor = editor

    def keyPressEvent(self, ev):  # noqa: N802
        if ev.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.interpretText()
            self._editor.accept()
            return
        if ev.key() == Qt.Key.Key_Escape:
            self._editor.cancel()
            return
        super().keyPressEvent(ev)


class ParamEditor(QFrame):
    """A small non-modal editor shown over the diagram: a label, a number box, ✓ and ✕."""

    accepted = Signal(float)

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setStyleSheet("ParamEditor { background: #ffffff; border: 1px solid #888; border-radius: 4px; }")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 6, 8, 6)
        lay.setSpacing(4)
        self.label = QLabel()
        lay.addWidget(self.label)
        row = QHBoxLayout()
        self.spin = _Spin(self)
        self.spin.setRange(-1e6, 1e6)
        self.spin.setDecimals(5)
        self.spin.setSingleStep(0.1)
        self.spin.setMinimumWidth(110)
        self.ok = QToolButton()
        self.ok.setText("✓")
        self.ok.clicked.connect(self.accept)
        self.no = QToolButton()
        self.no.setText("✕")
        self.no.clicked.connect(self.cancel)
        row.addWidget(self.spin, 1)
        row.addWidget(self.ok)
        row.addWidget(self.no)
        lay.addLayout(row)
        self.hide()
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.spin.setToolTip(_("Type the new value; Enter applies it, Esc cancels."))
        self.ok.setToolTip(_("Apply (Enter)"))
        self.no.setToolTip(_("Cancel (Esc)"))

    def open(self, text: str, value: float, pos: QPoint) -> None:
        self.label.setText(text)
        self.spin.setValue(float(value) if math.isfinite(value) else 0.0)
        self.adjustSize()
        par = self.parentWidget()
        x = min(max(0, pos.x() + 12), max(0, par.width() - self.width()))
        y = min(max(0, pos.y() + 12), max(0, par.height() - self.height()))
        self.move(x, y)
        self.show()
        self.raise_()
        self.spin.setFocus()
        self.spin.selectAll()

    def accept(self) -> None:
        if self.isVisible():
            self.hide()
            self.accepted.emit(float(self.spin.value()))

    def cancel(self) -> None:
        self.hide()
