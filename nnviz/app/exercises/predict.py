"""Predict it: before Apply update, which weight of a layer will change most (click an edge in the
diagram, or pick it from the list) and whether the loss on this sample will go down; before
Play, whether the decision boundary will end up a line or a curve. nnviz then shows what
happened (:mod:`nnviz.exercises.predict` knows the answers)."""
from __future__ import annotations

import copy

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QComboBox, QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout

from nnviz.app.exercises.questionbox import RIGHT, WRONG
from nnviz.app.translation import retranslate
from nnviz.i18n import _
from nnviz.i18n.names import layer_title

MAX_LISTED = 64     # a layer with more weights is picked by clicking an edge only


def updated_network(rec):
    """The network the step was traced on, with the step's new weights (None without one)."""
    net = getattr(rec, "network", None)
    if net is None:
        return None
    net = copy.deepcopy(net)
    for l, layer in enumerate(net.dense_layers()):
        upd = rec.rec("update", l)
        for key in ("W", "b"):
            if key in upd and key in layer.params:
                layer.params[key][...] = np.asarray(upd[key]).reshape(layer.params[key].shape)
    return net


def _verdict(label: QLabel, right: bool, text: str) -> None:
    label.setStyleSheet(f"color: {RIGHT if right else WRONG};")
    label.setText((_("Right. {what}") if right else _("Not this time. {what}")).format(what=text))


def _yes_no(parent_layout, buttons: dict) -> QButtonGroup:
    group = QButtonGroup(parent_layout)
    group.setExclusive(True)
    for key, b in buttons.items():
        b.setCheckable(True)
        group.addButton(b)
    return group


class UpdatePrediction(QFrame):
    """Shown at the update phase until the update is applied; says what happened after."""

    predicted = Signal(str, bool)     # ("largest_change" | "loss_down", right)

    def __init__(self, step_mode, parent=None):
        super().__init__(parent)
        self.step_mode = step_mode
        self.session = step_mode.session
        self.guess_weight = None       # (row, col) of the layer shown
        self.guess_down = None         # True / False
        self.results = None            # (largest Prediction, loss Prediction) once shown
        self.setFrameShape(QFrame.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        lay.setSpacing(2)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self.weight_label = QLabel()
        self.weights = QComboBox()
        self.weights.activated.connect(lambda i: self.pick_weight(*(self.weights.itemData(i) or (None, None))))
        self.loss_label = QLabel()
        self.down_button, self.up_button = QPushButton(), QPushButton()
        self._group = _yes_no(self, {"down": self.down_button, "up": self.up_button})
        self.down_button.clicked.connect(lambda: self._set_down(True))
        self.up_button.clicked.connect(lambda: self._set_down(False))
        self.show_button = QPushButton()
        self.show_button.clicked.connect(self.reveal)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.weight_label, 0, 1)
        grid.addWidget(self.weights, 0, 2, 1, 2)
        grid.addWidget(self.loss_label, 1, 1)
        grid.addWidget(self.down_button, 1, 2)
        grid.addWidget(self.up_button, 1, 3)
        grid.addWidget(self.show_button, 1, 4)
        grid.setColumnStretch(1, 1)
        self.weight_result, self.loss_result = QLabel(), QLabel()
        for w in (self.weight_result, self.loss_result):
            w.setWordWrap(True)
        lay.addLayout(grid)
        lay.addWidget(self.weight_result)
        lay.addWidget(self.loss_result)
        self._key = None
        self.session.phaseChanged.connect(self._refresh)
        self.session.stepsChanged.connect(self._refresh)
        step_mode.appliedChanged.connect(self._on_applied)
        step_mode.activeChanged.connect(self._refresh)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.title.setText(_("Predict:"))
        self.title.setToolTip(_("Predict before you apply the update"))
        self.down_button.setText(_("It goes down"))
        self.up_button.setText(_("It does not"))
        self.down_button.setToolTip(_("Predict that one step lowers the loss on this sample"))
        self.up_button.setToolTip(_("Predict that the loss on this sample stays or rises"))
        self.weights.setToolTip(_("Pick a weight here, or click its edge in the diagram"))
        self.show_button.setText(_("Show what happened"))
        self.show_button.setToolTip(_("Compare your predictions with the step (Apply update shows it too)"))
        self.loss_label.setText(_("Will the loss on this sample go down?"))
        self._refresh()

    def layer(self) -> int | None:
        p = self.session.current()
        return None if p is None else p.layer

    def _refresh(self, *_args) -> None:
        sm, rec, p = self.step_mode, self.session.record, self.session.current()
        show = (sm.active and rec is not None and rec.trained and p is not None and p.phase == "update")
        key = (id(rec), None if p is None else p.layer)
        if key != self._key:     # another step or layer: a fresh prediction
            self._key = key
            self.guess_weight = self.guess_down = self.results = None
            self._group.setExclusive(False)
            for b in (self.down_button, self.up_button):
                b.setChecked(False)
            self._group.setExclusive(True)
            self._fill_weights()
        self.setVisible(bool(show))
        if rec is None or p is None or p.layer is None:
            return
        self.weight_label.setText(_("Which weight of {layer} will change most?").format(
            layer=layer_title(p.layer, rec.n_layers)))
        self.weights.setItemText(0, _("click an edge, or pick one"))
        self._write_results()

    def _fill_weights(self) -> None:
        self.weights.clear()
        self.weights.addItem("", None)
        rec, layer = self.session.record, self.layer()
        if rec is None or layer is None:
            return
        rows, cols = rec.layers[layer].params["W"].shape
        if rows * cols <= MAX_LISTED:
            for i in range(rows):
                for j in range(cols):
                    self.weights.addItem(f"W[{i},{j}]", (i, j))

    def pick_weight(self, row, col=None, layer=None) -> None:
        """The learner's guess: weight [row, col] of the shown layer (``layer``: an edge's)."""
        if row is None or (layer is not None and layer != self.layer()) or self.results is not None:
            return
        self.guess_weight = (int(row), int(col))
        i = self.weights.findData(self.guess_weight)
        if i < 0:
            self.weights.addItem(f"W[{row},{col}]", self.guess_weight)
            i = self.weights.count() - 1
        self.weights.setCurrentIndex(i)

    def _set_down(self, down: bool) -> None:
        if self.results is None:
            self.guess_down = bool(down)

    def _on_applied(self, applied: bool) -> None:
        if applied and (self.guess_weight is not None or self.guess_down is not None):
            self.reveal()
        self._refresh()

    # -- what happened -------------------------------------------------------------------------
    def reveal(self) -> None:
        from nnviz.exercises.predict import largest_change, loss_went_down

        rec, layer = self.session.record, self.layer()
        if rec is None or layer is None or not rec.trained or self.results is not None:
            return
        big = largest_change(rec, layer)
        net = updated_network(rec)
        loss = loss_went_down(rec, net) if net is not None else None
        self.results = (big, loss)
        if self.guess_weight is not None:
            self.predicted.emit("largest_change", big.check(self.guess_weight))
        if loss is not None and self.guess_down is not None:
            self.predicted.emit("loss_down", loss.check(self.guess_down))
        self._write_results()

    def _write_results(self) -> None:
        big, loss = self.results if self.results is not None else (None, None)
        for label, pred, guess in ((self.weight_result, big, self.guess_weight),
                                   (self.loss_result, loss, self.guess_down)):
            label.setVisible(pred is not None)
            if pred is None:
                continue
            if guess is None:
                label.setStyleSheet("color: #505050;")
                label.setText(pred.explanation())
            else:
                _verdict(label, pred.check(guess), pred.explanation())
        self.show_button.setEnabled(self.results is None)
