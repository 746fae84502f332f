"""Predict before Play: will the decision boundary of the network in the window end up a line
or a curve? Revealed when training starts (:func:`nnviz.exercises.boundary_shape` knows:
a line without a hidden non-linear layer, a curve with one)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from nnviz.app.exercises.questionbox import RIGHT, WRONG
from nnviz.app.translation import retranslate
from nnviz.i18n import _


class BoundaryPrediction(QWidget):
    """Two buttons before Play; what happened once the model runs. ``predicted(right)``."""

    predicted = Signal(bool)

    def __init__(self, model, parent=None):
        super().__init__(parent)
        self.model = model
        self.guess = None
        self.answer = None      # the Prediction, once revealed
        lay = QVBoxLayout(self)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.title.setFont(f)
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.line_button, self.curve_button = QPushButton(), QPushButton()
        group = QButtonGroup(self)
        row = QHBoxLayout()
        for b, guess in ((self.line_button, "line"), (self.curve_button, "curve")):
            b.setCheckable(True)
            group.addButton(b)
            b.clicked.connect(lambda _c=False, g=guess: self.set_guess(g))
            row.addWidget(b)
        row.addStretch(1)
        self.result = QLabel()
        self.result.setWordWrap(True)
        for w in (self.title, self.question):
            lay.addWidget(w)
        lay.addLayout(row)
        lay.addWidget(self.result)
        lay.addStretch(1)
        model.stateChanged.connect(self._on_state)
        model.experimentReplaced.connect(self._on_experiment)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.title.setText(_("Predict: a line or a curve?"))
        self.question.setText(_("Before you press Play: when this network has learned, will its decision "
                                "boundary be a straight line or a curve? Look at its layers, choose, then Play."))
        self.line_button.setText(_("A line"))
        self.curve_button.setText(_("A curve"))
        self._write()

    def set_guess(self, guess: str) -> None:
        if self.answer is None:
            self.guess = guess
            self._write()

    def _on_experiment(self, _info=None) -> None:   # another network: a new prediction
        self.guess = self.answer = None
        for b in (self.line_button, self.curve_button):
            b.setChecked(False)
        self._write()

    def _on_state(self, state: str) -> None:
        if state == "running" and self.guess is not None and self.answer is None:
            self.reveal()

    def reveal(self) -> None:
        from nnviz.exercises import boundary_shape

        info = self.model.info
        if info is None or self.guess is None:
            return
        self.answer = boundary_shape(list(info.activations))
        self.predicted.emit(self.answer.check(self.guess))
        self._write()

    def _write(self) -> None:
        for b in (self.line_button, self.curve_button):
            b.setEnabled(self.answer is None)
        if self.answer is None:
            self.result.setStyleSheet("color: #505050;")
            self.result.setText(_("Your prediction is kept until you press Play.") if self.guess else "")
            return
        right = self.answer.check(self.guess)
        self.result.setStyleSheet(f"color: {RIGHT if right else WRONG};")
        self.result.setText((_("Right. {what}") if right else _("Not this time. {what}")).format(
            what=self.answer.explanation()))
