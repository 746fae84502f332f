"""The learner's score per lesson, remembered in the window's QSettings (a ScoreBook as JSON).

A value left in the settings file that is not a ScoreBook is dropped (with the window's usual
"reset" message), never an error at start.
"""
from __future__ import annotations

import json

from PySide6.QtCore import QObject, Signal

from nnviz.app.remembered import MAX_RAW_CHARS
from nnviz.i18n import _

KEY = "exercises/scores"


class ScoreStore(QObject):
    """The window's :class:`nnviz.exercises.ScoreBook`, saved after every change."""

    changed = Signal(str)    # the lesson whose score changed

    def __init__(self, qs, parent=None):
        super().__init__(parent)
        from nnviz.exercises import ScoreBook

        self.qs = qs
        self.problems: list[str] = []
        raw = qs.value(KEY)
        book = None
        if raw is not None:
            try:
                data = json.loads(raw) if isinstance(raw, str) and len(raw) <= MAX_RAW_CHARS else None
                book = ScoreBook.from_dict(data) if isinstance(data, dict) else None
            except Exception:  # noqa: BLE001 - anything in the file: the scores start afresh
                book = None
            if book is None:
                self.problems.append(KEY)
                qs.remove(KEY)
        self.book = book if book is not None else ScoreBook()

    def _save(self, lesson: str) -> None:
        self.qs.setValue(KEY, json.dumps(self.book.to_dict()))
        self.qs.sync()
        self.changed.emit(lesson)

    # -- what the exercises report --------------------------------------------------------------
    def record(self, lesson: str, correct: bool, kind: str | None = None) -> None:
        """One more answer in ``lesson`` (``kind``: the question's quantity)."""
        self.book.record(lesson, bool(correct), kind)
        self._save(lesson)

    def covers(self, lesson: str, kinds) -> bool:
        return self.book.covers(lesson, kinds)

    def mark_done(self, lesson: str) -> None:
        self.book.mark_done(lesson)
        self._save(lesson)

    def entry(self, lesson: str) -> tuple[int, int, bool]:
        """(asked, right, done) of ``lesson`` (zeros when the learner has not tried it)."""
        e = self.book.get(lesson)
        return int(e.asked), int(e.right), bool(e.done)

    def mark(self, lesson: str) -> str:
        """What the Lessons menu adds to a lesson's title: "" (not tried), a score, or ✓ and it."""
        asked, right, done = self.entry(lesson)
        if not asked and not done:
            return ""
        score = _("{right}/{asked} right").format(right=right, asked=asked) if asked else ""
        return ("✓ " if done else "") + score
