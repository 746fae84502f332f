"""Your turn: in step mode, the value of the current phase for the selected neuron or weight is
hidden and asked for (a :class:`QuestionBox` under the step dock's controls).

While a question is open the math panel writes its value as "?" and the diagram neither colours
nor names it (``maskChanged`` carries the open question, or None, to the diagram).
"""
from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget

from nnviz.app.exercises.questionbox import QuestionBox
from nnviz.app.translation import retranslate
from nnviz.i18n import _

DIGITS_KEY = "exercises/digits"
SHORTCUT = "Y"


def remembered_digits() -> int:
    from nnviz.app.remembered import Remembered

    return Remembered(QSettings()).int(DIGITS_KEY, 4, 1, 10)


class YourTurn(QFrame):
    """The Your turn toggle's panel for a :class:`~nnviz.app.stepmode.StepMode`."""

    maskChanged = Signal(object)      # the open question (its value hidden), or None
    lessonDone = Signal(str)          # the step's answers completed a lesson

    def __init__(self, step_mode, math_panel=None, parent=None):
        super().__init__(parent)
        self.step_mode = step_mode
        self.session = step_mode.session
        self.math = math_panel
        self.lesson = lambda: "step"        # which lesson's score a question counts for
        self.scores = None                  # a ScoreStore (the window's), or None
        self.weight = None                  # (layer, row, col) of a clicked edge
        self._shown_phase = self._shown_record = None
        self.setFrameShape(QFrame.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 2, 6, 2)
        lay.setSpacing(2)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.digits_label = QLabel()
        self.digits = QSpinBox()
        self.digits.setRange(1, 10)
        self.digits.setValue(remembered_digits())
        self.digits.valueChanged.connect(self._on_digits)
        self.box = QuestionBox()
        self.box.row.insertWidget(0, self.title)      # one row: Your turn, the value, the field, the digits
        self.box.row.addWidget(self.digits_label)
        self.box.row.addWidget(self.digits)
        self.box.digits = self.digits.value()
        self.box.max_formula_lines = 3   # the math panel below shows the whole phase: the dock keeps its height
        lay.addWidget(self.box)
        self.box.questionChanged.connect(lambda _q: self._mask())
        self.box.revealed.connect(lambda _q: self._mask())
        self.box.answered.connect(self._on_answered)
        self.session.phaseChanged.connect(self._on_phase)
        self.session.stepsChanged.connect(self._on_steps)
        self.hide()
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.title.setText(_("Your turn:"))
        self.digits_label.setText(_("Significant digits checked"))
        self.digits.setToolTip(_("How many significant digits your answer must match (the check "
                                 "allows half a unit in the last one)"))
        if self.isVisible():
            self.refresh(keep=True)

    # -- on and off ---------------------------------------------------------------------------
    def set_on(self, on: bool) -> None:
        self.setVisible(bool(on))
        if on:
            self.refresh()
        else:
            self._set_mask(None)

    def is_on(self) -> bool:
        return not self.isHidden()

    def _on_digits(self, n: int) -> None:
        QSettings().setValue(DIGITS_KEY, int(n))
        self.box.digits = int(n)
        self.refresh(keep=True)

    def _on_phase(self, index) -> None:
        if self.is_on():   # the same phase again (its steps rebuilt, say): the same question
            self.refresh(keep=index == self._shown_phase)

    def _on_steps(self) -> None:
        if self.is_on():
            self.refresh(keep=True)

    # -- the questions of the shown phase -------------------------------------------------------
    def questions(self) -> list:
        """The questions of the phase shown now, for its neuron (and the chosen weight)."""
        from nnviz.exercises import questions_for

        rec, p = self.session.record, self.session.current()
        if rec is None or p is None or self.step_mode.applied:
            return []
        layer = p.layer if p.layer is not None else rec.n_layers - 1
        weight = self.weight if self.weight is not None and self.weight[0] == layer else None
        try:
            qs = questions_for(rec, select=(layer, p.neuron), digits=self.digits.value(),
                               weight=None if weight is None else (weight[1], weight[2]))
        except Exception:  # noqa: BLE001 - a network the exercises do not cover: nothing is asked
            return []
        from nnviz.exercises.change import window_questions

        return window_questions(rec, [q for q in qs if q.phase == self.session.index], self.digits.value())

    def choose_weight(self, layer: int, row: int, col: int) -> None:
        """∂L/∂w and w′ ask about weight [row, col] of ``layer`` (a clicked edge)."""
        self.weight = (int(layer), int(row), int(col))
        if self.is_on():
            self.refresh(keep=True)

    def refresh(self, keep: bool = False) -> None:
        if self.session.record is not self._shown_record:   # a new step: its own values to work out
            self._shown_record, keep = self.session.record, False
            self.box.state.clear()
        self._shown_phase = self.session.index
        current = self.box.current()
        self.box.set_questions(self.questions(), keep=current.id if keep and current is not None else None)
        self._mask()

    def _mask(self) -> None:
        self._set_mask(self.box.current() if self.is_on() and self.box.is_open() else None)

    def _set_mask(self, question) -> None:
        if self.math is not None and self.math.mask is not question:
            self.math.mask = question      # its line and cells (exactly those) read "?"
            self.math.show_phase(self.session.index)
        self.maskChanged.emit(question)

    def _on_answered(self, question, correct: bool) -> None:
        if self.scores is not None:
            lesson = self.lesson()
            self.scores.record(lesson, correct, question.quantity)
            if correct and lesson != "step" and not self.scores.entry(lesson)[2] \
                    and self.scores.covers(lesson, self.kinds()):
                self.scores.mark_done(lesson)     # every kind of this step's questions answered right
                self.lessonDone.emit(lesson)

    def kinds(self) -> set:
        """The kinds of question the traced step asks (over all its phases): a lesson is done
        when each was answered right once."""
        from nnviz.exercises import questions_for

        rec = self.session.record
        if rec is None:
            return set()
        try:
            return {q.quantity for q in questions_for(rec, digits=self.digits.value())}
        except Exception:  # noqa: BLE001 - a network the exercises do not cover
            return set()


class YourTurnButton(QPushButton):
    """The checkable Your turn button (shortcut Y) that shows and hides a :class:`YourTurn`."""

    def __init__(self, panel: YourTurn, parent=None):
        super().__init__(parent)
        self.setCheckable(True)
        self.toggled.connect(panel.set_on)
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.setText(_("Your turn"))
        self.setShortcut(QKeySequence(SHORTCUT))    # after setText, which resets a button's shortcut
        self.setToolTip(_("Hide this phase's result for the selected neuron or weight and work it out "
                          "yourself ({key})").format(key=SHORTCUT))
