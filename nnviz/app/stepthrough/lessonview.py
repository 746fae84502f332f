"""A lesson opened ready to step through: its text above the view its computation needs."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.app.stepthrough.appleview import AppleGraphView
from nnviz.app.stepthrough.panel import StepThroughPanel
from nnviz.app.stepthrough.raceview import RaceView
from nnviz.app.stepthrough.session import StepSession
from nnviz.app.stepthrough.stepbar import StepBar
from nnviz.lessons.demos import run_demo

#: Lessons whose computation has a step-through view here (others are plots for the window).
STEPPABLE = ("step", "apple", "race", "mnist")


class LessonView(QWidget):
    """The lesson's explanation (with its numbers filled in) and its step-through view."""

    def __init__(self, lesson, parent=None, **overrides):
        super().__init__(parent)
        self.lesson = lesson
        self.result = run_demo(lesson, **overrides)
        self.session = StepSession(self)
        lay = QVBoxLayout(self)
        self.text = QLabel(self.result["text"])
        self.text.setWordWrap(True)
        title = QLabel(f"<b>{lesson.title}</b>")
        lay.addWidget(title)
        lay.addWidget(self.text)
        self.view = None
        if lesson.demo in ("step", "mnist") and "record" in self.result:
            self.view = StepThroughPanel(self.session)
            self.session.set_record(self.result["record"], select=lesson.select)
            lay.addWidget(self.view, 1)
        elif lesson.demo == "apple":
            self.session.set_steps(self.result["steps"])
            self.view = AppleGraphView(self.session)
        elif lesson.demo == "race":
            self.view = RaceView(self.session, self.result)
        if self.view is not None and not isinstance(self.view, StepThroughPanel):
            lay.addWidget(self.view, 1)
            self.bar = StepBar(self.session)
            lay.addWidget(self.bar)
            self.setFocusProxy(self.bar)
        elif self.view is not None:
            self.bar = self.view.bar
            self.setFocusProxy(self.bar)
        else:
            self.bar = None
            lay.addStretch(1)
