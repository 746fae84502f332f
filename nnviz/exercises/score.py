"""A score per lesson: questions asked, answered right, and whether the lesson is done.

Plain data (``to_dict``/``from_dict``), so the window can keep it in its settings; reading
ignores what it cannot use instead of failing (a settings file may be old or hand-edited).
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Score:
    asked: int = 0
    right: int = 0
    done: bool = False

    def as_dict(self) -> dict:
        return {"asked": self.asked, "right": self.right, "done": self.done}


def _count(v) -> int:
    try:
        n = int(v)
    except (TypeError, ValueError, OverflowError):
        return 0
    return max(0, n)


@dataclass
class ScoreBook:
    """``{lesson name: Score}``."""

    scores: dict[str, Score] = field(default_factory=dict)

    def get(self, lesson: str) -> Score:
        return self.scores.get(lesson, Score())

    def _of(self, lesson: str) -> Score:
        return self.scores.setdefault(str(lesson), Score())

    def record(self, lesson: str, correct: bool) -> Score:
        """One more answer to a question of ``lesson``."""
        s = self._of(lesson)
        s.asked += 1
        s.right += bool(correct)
        return s

    def mark_done(self, lesson: str, done: bool = True) -> Score:
        s = self._of(lesson)
        s.done = bool(done)
        return s

    def done(self) -> list[str]:
        """The lessons marked done (for the Lessons menu's marks)."""
        return sorted(k for k, s in self.scores.items() if s.done)

    def reset(self, lesson: str | None = None) -> None:
        if lesson is None:
            self.scores.clear()
        else:
            self.scores.pop(lesson, None)

    def to_dict(self) -> dict:
        return {k: s.as_dict() for k, s in sorted(self.scores.items())}

    @classmethod
    def from_dict(cls, data) -> "ScoreBook":
        book = cls()
        if not isinstance(data, dict):
            return book
        for k, v in data.items():
            if not isinstance(k, str) or not isinstance(v, dict):
                continue
            asked, right = _count(v.get("asked")), _count(v.get("right"))
            book.scores[k] = Score(asked, min(right, asked), v.get("done") is True)
        return book
