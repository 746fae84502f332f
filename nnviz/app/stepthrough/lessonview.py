"""A lesson opened ready to step through: its text above the view its computation needs."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nnviz.app.stepthrough.appleview import AppleGraphView
from nnviz.app.stepthrough.panel import StepThroughPanel
from nnviz.app.stepthrough.raceview import RaceView
from nnviz.app.stepthrough.session import StepSession
from nnviz.app.stepthrough.stepbar import StepBar
from nnviz.app.translation import retranslate
from nnviz.lessons.demos import run_demo

#: Lessons whose computation has a step-through view here (others are plots for the window).
STEPPABLE = ("step", "apple", "race", "mnist")


def localized(lesson):
    """``lesson`` as the current language has it (its title and text), or as it is."""
    from nnviz.lessons.catalog import get_lesson

    try:
        return get_lesson(lesson.name)
    except Exception:  # noqa: BLE001 - a lesson built in a test, or a file gone: show it as it is
        return lesson


class LessonView(QWidget):
    """The lesson's explanation (with its numbers filled in) and its step-through view."""

    def __init__(self, lesson, parent=None, **overrides):
        super().__init__(parent)
        self.lesson = lesson
        self.result = run_demo(lesson, **overrides)
        self.session = StepSession(self)
        lay = QVBoxLayout(self)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.title = QLabel()
        self.title.setWordWrap(True)
        lay.addWidget(self.title)
        lay.addWidget(self.text)
        self.view = None
        if lesson.demo in ("step", "mnist") and "record" in self.result:
            self.view = StepThroughPanel(self.session)
            self.session.set_record(self.result["record"], select=lesson.select)
            lay.addWidget(self.view, 1)
        elif lesson.demo == "apple":
            self.session.set_source(lambda: run_demo(lesson, **overrides)["steps"])
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
        retranslate(self)

    def retranslate_ui(self) -> None:
        """The title and the text in the current language, the lesson's numbers kept."""
        lesson = localized(self.lesson)
        self.title.setText(f"<b>{lesson.title}</b>")
        try:
            self.text.setText(lesson.filled_text(self.result.get("fill", {})))
        except (KeyError, IndexError, ValueError):
            self.text.setText(self.result["text"])
