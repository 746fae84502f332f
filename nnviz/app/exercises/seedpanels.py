"""The seeds' exercises beyond the gates: the apple graph's values and the 2-2-1 network's forward
values typed by the learner (a :class:`QuestionBox` over :mod:`nnviz.exercises.seeds`' questions),
and ten MNIST test digits read by the learner, scored against the network's reading."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.app.exercises.questionbox import QuestionBox
from nnviz.app.translation import retranslate
from nnviz.i18n import _
from nnviz.lessons.fmt import num


def _net_221():
    """The 2-2-1 lesson's traced step and its forward questions."""
    from nnviz.exercises import questions_for
    from nnviz.lessons.catalog import get_lesson
    from nnviz.lessons.stepping import step_preset

    lesson = get_lesson("network-2-2-1")
    _exp, rec = step_preset(lesson.preset)
    qs = [q for q in questions_for(rec, select=lesson.select) if q.quantity in ("z", "a")]
    return rec, qs


def _vec(v) -> str:
    return "(" + ", ".join(num(x) for x in v) + ")"


class SeedQuestions(QWidget):
    """A lesson's worked numbers to compute: ``kind`` "apple" or "network-2-2-1" (its forward
    values). ``answered(lesson, correct)`` after each check; ``finished(lesson)`` once every
    question was answered right."""

    answered = Signal(str, bool)
    finished = Signal(str)

    def __init__(self, kind: str, parent=None):
        super().__init__(parent)
        self.kind = kind
        self.lesson = "apple" if kind == "apple" else "network-2-2-1"
        if kind == "apple":
            from nnviz.exercises.seeds import apple_questions

            self.record, questions = None, apple_questions()
        else:
            self.record, questions = _net_221()
        lay = QVBoxLayout(self)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.15)
        self.title.setFont(f)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.progress = QLabel()
        self.box = QuestionBox()
        self.box.set_questions(questions)
        self.box.answered.connect(self._on_answered)
        self.box.revealed.connect(lambda _q: self._write_progress())
        for w in (self.title, self.intro, self.box, self.progress):
            lay.addWidget(w)
        lay.addStretch(1)
        self._finished = False
        retranslate(self)

    def retranslate_ui(self) -> None:
        if self.kind == "apple":
            self.title.setText(_("Your turn: the apple graph"))
            self.intro.setText(_("Apples cost {apple} each, you buy {count}, the tax is {tax}: apple price = "
                                 "apple × count, price = apple price × tax. Work out each value forward, then "
                                 "each gradient ∂price/∂· backward (the chain rule: upstream · local).").format(
                                     apple=num(100.0), count=num(2.0), tax=num(1.1)))
        else:
            rec = self.record
            l0, l1 = rec.layers[0].params, rec.layers[1].params
            self.title.setText(_("Your turn: the 2-2-1 network's forward pass"))
            self.intro.setText(_("Input x = {x}. Hidden layer: W = {w0}, b = {b0}. Output layer: W = {w1}, "
                                 "b = {b1}. Every activation is σ(z) = 1/(1 + e^(−z)). Compute z and a of "
                                 "each layer, up to the network's output.").format(
                                     x=_vec(rec.x[0]), w0=" ".join(_vec(r) for r in l0["W"]), b0=_vec(l0["b"]),
                                     w1=" ".join(_vec(r) for r in l1["W"]), b1=_vec(l1["b"])))
        self.box.set_questions(self.box.questions, keep=getattr(self.box.current(), "id", None))
        self._write_progress()

    def _on_answered(self, _q, correct: bool) -> None:
        self.answered.emit(self.lesson, bool(correct))
        self._write_progress()

    def right(self) -> int:
        return sum(1 for v in self.box.state.values() if v == "right")

    def _write_progress(self) -> None:
        n = len(self.box.questions)
        self.progress.setText(_("{right} of {n} worked out right").format(right=self.right(), n=n))
        if n and self.right() == n and not self._finished:
            self._finished = True
            self.finished.emit(self.lesson)
