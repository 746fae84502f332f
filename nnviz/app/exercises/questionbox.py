"""One question at a time: its prompt, a number field, Check (or Enter), Show answer.

A right answer is said in green and the value is revealed; a wrong one gets the hint that names
the mistake (where :func:`nnviz.exercises.grade` can tell) and the filled-in formula. The box
grades with :mod:`nnviz.exercises`; it knows nothing of where its questions come from.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy,
                               QVBoxLayout, QWidget)

from nnviz.app.translation import retranslate
from nnviz.i18n import _, message

RIGHT, WRONG, GAVE_UP = "#1b7a2f", "#b3261e", "#505050"
MAX_FORMULA_LINES = 8    # a longer formula shows its last lines (the owner may set max_formula_lines)


class QuestionBox(QWidget):
    """Asks ``questions`` (a list of :class:`nnviz.exercises.Question`), one chosen at a time.

    ``answered(question, correct)`` after every Check; ``revealed(question)`` when the value is
    shown (right, or given up); ``questionChanged(question)`` when another one is asked.
    """

    answered = Signal(object, bool)
    revealed = Signal(object)
    questionChanged = Signal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.questions: list = []
        self.state: dict[str, str] = {}     # question id → "right" | "gave_up" (revealed ones)
        self.last = None                    # the last Grade (for tests)
        self.digits = None                  # significant digits the check uses (None: the question's)
        self.max_formula_lines = MAX_FORMULA_LINES
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.which = QComboBox()
        # short symbols (z, ∂L/∂W[0,1]) fit; a long prompt as an entry (the apple graph's) is cut
        # in the box (the popup and the prompt under it show it whole), so the row never pushes
        # the panel wider than its dock
        self.which.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.which.setMinimumContentsLength(12)
        self.which.view().setTextElideMode(Qt.ElideNone)
        self.which.currentIndexChanged.connect(self._on_which)
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        f = self.prompt.font()
        f.setBold(True)
        self.prompt.setFont(f)
        self.field = QLineEdit()
        self.field.setClearButtonEnabled(True)
        self.field.setMinimumWidth(160)
        self.field.setMaximumWidth(220)
        self.field.returnPressed.connect(self.check)
        self.check_button = QPushButton()
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(self.check)
        self.give_up_button = QPushButton()
        self.give_up_button.clicked.connect(self.give_up)
        row = self.row = QHBoxLayout()   # the owner may add its own controls at the end
        for w in (self.which, self.field, self.check_button, self.give_up_button):
            row.addWidget(w)
        row.addStretch(1)
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.feedback.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Minimum)
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setTextInteractionFlags(Qt.TextSelectableByMouse)
        lay.addLayout(row)
        lay.addWidget(self.prompt)
        lay.addWidget(self.feedback)
        lay.addWidget(self.formula)
        self._feedback = None        # (kind, grade) of the shown feedback, rewritten on a switch
        retranslate(self)

    def retranslate_ui(self) -> None:
        self.field.setPlaceholderText(_("your number, e.g. 0.7216"))
        self.field.setToolTip(_("Type the value; Enter checks it"))
        self.check_button.setText(_("Check"))
        self.check_button.setToolTip(_("Check your answer (Enter)"))
        self.give_up_button.setText(_("Show answer"))
        self.give_up_button.setToolTip(_("Give up on this question and show its value"))
        self.which.setToolTip(_("Which value of this step to work out"))
        self._write()

    # -- contents ---------------------------------------------------------------------------
    def set_questions(self, questions: list, keep: str | None = None) -> None:
        """Ask from ``questions`` (the first, or the one whose id is ``keep``)."""
        ids = [q.id for q in questions]
        self.questions = list(questions)
        self.state = {k: v for k, v in self.state.items() if k in ids}
        self.which.blockSignals(True)
        self.which.clear()
        for q in self.questions:
            self.which.addItem(_label(q), q.id)
        self.which.setVisible(len(self.questions) > 1)
        kept = keep in ids
        self.which.setCurrentIndex(ids.index(keep) if kept else 0)
        self.which.blockSignals(False)
        if kept:              # the same question (in another language, say): its feedback stays
            self._write()
        else:
            self._on_which(self.which.currentIndex())

    def current(self):
        i = self.which.currentIndex()
        return self.questions[i] if 0 <= i < len(self.questions) else None

    def select(self, qid: str) -> bool:
        for i, q in enumerate(self.questions):
            if q.id == qid:
                self.which.setCurrentIndex(i)
                return True
        return False

    def is_open(self) -> bool:
        """True while the current question's value is still hidden."""
        q = self.current()
        return q is not None and q.id not in self.state

    def _on_which(self, _i) -> None:
        self.field.clear()
        q = self.current()
        self._feedback = ("done", None) if q is not None and q.id in self.state else None
        self._write()
        self.questionChanged.emit(q)

    # -- checking ---------------------------------------------------------------------------
    def check(self) -> None:
        from nnviz.core.errors import NNVizError
        from nnviz.exercises import grade, parse_answer

        q = self.current()
        if q is None:
            return
        try:
            value = parse_answer(self.field.text())
        except NNVizError as exc:
            self._feedback = ("bad", exc)
            self._write()
            return
        g = grade(q, value, digits=self.digits)
        self.last = g
        self._feedback = ("right" if g.correct else "wrong", value)
        if g.correct:
            self.state[q.id] = "right"
        self._write()
        self.answered.emit(q, bool(g.correct))
        if g.correct:
            self.revealed.emit(q)

    def give_up(self) -> None:
        from nnviz.exercises import grade

        q = self.current()
        if q is None:
            return
        self.last = grade(q, q.expected, digits=self.digits)
        self.state.setdefault(q.id, "gave_up")
        self._feedback = ("gave_up", q.expected)
        self._write()
        self.revealed.emit(q)

    def _write(self) -> None:
        q = self.current()
        self.prompt.setText(q.prompt if q is not None else _("No question for this step."))
        for i, item in enumerate(self.questions):   # the prompts are translated when read
            self.which.setItemText(i, _label(item))
        if self.questions:                          # the popup lists the entries whole
            fm = self.which.fontMetrics()
            self.which.view().setMinimumWidth(max(fm.horizontalAdvance(_label(x)) for x in self.questions) + 32)
        has = q is not None
        self.field.setEnabled(has)
        self.check_button.setEnabled(has)
        self.give_up_button.setEnabled(has and q.id not in self.state)
        kind, value = self._feedback if self._feedback else (None, None)
        g = value
        if kind in ("right", "wrong", "gave_up") and q is not None:   # written in the current language
            from nnviz.exercises import grade

            g = grade(q, value, digits=self.digits)
        colour, text, formula = GAVE_UP, "", ""
        if kind == "bad":
            colour, text = WRONG, message(g)
        elif kind == "right":
            colour = RIGHT
            text = _("Right: {value}").format(value=g.shown_expected)
            formula = g.formula
        elif kind == "wrong":
            colour = WRONG
            text = _("Not quite. {hint}").format(hint=g.hint or "")
            formula = _hide_result(g.formula, q, self.digits or q.digits)
        elif kind == "gave_up":
            text = _("The answer: {value}").format(value=g.shown_expected)
            formula = g.formula
        elif kind == "done" and q is not None:
            text = (_("Right: {value}") if self.state[q.id] == "right" else
                    _("The answer: {value}")).format(value=_shown(q, self.digits))
            colour = RIGHT if self.state[q.id] == "right" else GAVE_UP
        self.feedback.setStyleSheet(f"color: {colour};")
        self.feedback.setText(text)
        self.feedback.setVisible(bool(text))
        lines = (formula or "").split("\n")
        if len(lines) > self.max_formula_lines:   # a long one (Adam's): its last lines, the whole on hover
            lines = ["…"] + lines[1 - self.max_formula_lines:]
        self.formula.setText("\n".join(lines))
        self.formula.setToolTip(formula if formula and len(lines) < len(formula.split("\n")) else "")
        self.formula.setVisible(bool(formula))


#: The short name of each quantity in the question list (formula symbols: the same in every language).
SYMBOLS = {"z": "z", "a": "a", "loss": "L", "dL/da": "∂L/∂a", "delta": "δ", "dL/db": "∂L/∂b", "b_new": "b′"}


def _label(q) -> str:
    """The question's entry in the list: its symbol (with the weight's index), else its prompt."""
    if q.quantity in SYMBOLS:
        return SYMBOLS[q.quantity]
    if q.quantity in ("dL/dW", "W_new", "W_change") and q.index is not None:
        i, j = q.index
        return {"dL/dW": f"∂L/∂W[{i},{j}]", "W_new": f"W[{i},{j}]′"}.get(q.quantity, f"ΔW[{i},{j}]")
    if q.quantity == "b_change":
        return "Δb"
    return q.prompt


def _hide_result(formula: str, q, digits: int) -> str:
    """The filled-in formula with its result written as "?" (the numbers plugged in stay, even one
    equal to the result: z = 0·0.9526 + 1·0.9526 + 0 = ?)."""
    from nnviz.app.exercises.masking import mask_filled

    from nnviz.app.exercises.masking import LATER

    text = mask_filled(formula, q, digits)
    return text[:-len(LATER) - 1] if text.endswith("\n" + LATER) else text


def _shown(q, digits) -> str:
    from nnviz.lessons.fmt import num

    return num(q.expected, digits or q.digits)
