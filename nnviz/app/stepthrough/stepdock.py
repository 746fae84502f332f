"""The step dock's contents: the step's controls above the math panel and its step bar."""
from __future__ import annotations

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from nnviz.app.stepthrough.panel import StepThroughPanel
from nnviz.app.remembered import Remembered
from nnviz.app.translation import retranslate
from nnviz.i18n import _


class StepDock(QWidget):
    """Samples in the step, New step, Apply update, Continue training; then the phases."""

    def __init__(self, step_mode, parent=None):
        super().__init__(parent)
        self.step_mode = step_mode
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        # one row (the vertical room goes to the phases): about 590 pixels in either language, so
        # the step dock and the lesson dock fit side by side at 1280 pixels
        self.batch_label = QLabel()
        self.batch = QSpinBox()
        self.batch.setRange(1, 16)
        self.batch.setValue(step_mode.batch)
        self.batch.valueChanged.connect(self._on_batch)
        self.digits_label = QLabel()
        self.digits = QSpinBox()
        self.digits.setRange(2, 17)
        remembered = Remembered(QSettings())   # a bad remembered value: the default, and said so
        self.digits.setValue(remembered.int("step/digits", step_mode.session.sig, 2, 17))
        if remembered.problems:
            QTimer.singleShot(0, self, lambda: step_mode.model.status.emit(remembered.message()))
        self.digits.valueChanged.connect(self._on_digits)
        step_mode.session.sig = self.digits.value()
        self.new_button = QPushButton()
        self.new_button.clicked.connect(lambda: step_mode.enter())
        self.apply_button = QPushButton()
        self.apply_button.clicked.connect(step_mode.apply)
        self.continue_button = QPushButton()
        self.continue_button.clicked.connect(step_mode.continue_training)
        row = QHBoxLayout()
        for w in (self.batch_label, self.batch, self.new_button, self.apply_button, self.continue_button):
            row.addWidget(w)
        row.addSpacing(12)
        for w in (self.digits_label, self.digits):
            row.addWidget(w)
        row.addStretch(1)
        lay.addLayout(row)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #505050;")
        self.panel = StepThroughPanel(step_mode.session)
        from nnviz.app.exercises.stepexercises import add_step_exercises

        add_step_exercises(self, lay)   # Your turn and the predictions (issue 21), under the hint
        lay.addWidget(self.panel, 1)
        self.setFocusProxy(self.panel)
        step_mode.session.phaseChanged.connect(self._refresh)
        step_mode.session.stepsChanged.connect(self._refresh)
        step_mode.appliedChanged.connect(self._refresh)
        step_mode.activeChanged.connect(self._refresh)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.batch_label.setText(_("Samples in the step"))
        self.batch.setToolTip(_("How many training samples (from the shown one on) the traced step uses"))
        self.digits_label.setText(_("Digits"))
        self.digits.setToolTip(_("Significant digits of the numbers shown (hover a number for its full value)"))
        self.new_button.setText(_("New step"))
        self.new_button.setToolTip(_("Trace a new training step of the network as it is now"))
        self.apply_button.setText(_("Apply update"))
        self.apply_button.setToolTip(_("Give the real network the new weights of this step"))
        self.continue_button.setText(_("Continue training"))
        self.continue_button.setToolTip(_("Apply the update if not yet, leave step mode and train on"))
        self._refresh()

    def _on_digits(self, n: int) -> None:
        QSettings().setValue("step/digits", int(n))
        self.step_mode.session.set_digits(n)

    def _on_batch(self, n: int) -> None:
        self.step_mode.batch = int(n)
        if self.step_mode.active:
            self.step_mode.enter()

    def _refresh(self, *_args):
        sm = self.step_mode
        self.apply_button.setEnabled(sm.can_apply() and sm.at_update())
        self.new_button.setEnabled(sm.active)
        self.continue_button.setEnabled(sm.active)
        if not sm.active:
            self.hint.setText(_("Step mode is off: press T (or the toolbar's Step mode) to trace one "
                                "training step of this network and walk through it."))
        elif sm.applied:
            self.hint.setText(_("The update is applied: the network has the new weights. New step traces "
                                "the next one; Continue trains on."))
        elif sm.record is None:
            self.hint.setText(_("Tracing the step…"))
        else:
            from nnviz.app.diagram.stepdisplay import diagram_caption

            p = sm.session.current()
            self.hint.setText(_("← → move through the phases; click a neuron or an edge to explain it; "
                                "Shift+click edits a weight (the step is traced again).") + "\n"
                              + diagram_caption(p.phase if p is not None else None))
