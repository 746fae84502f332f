"""A score per lesson: questions asked, answered right, and whether the lesson is done.

Plain data (``to_dict``/``from_dict``), so the window can keep it in its settings; reading
ignores what it cannot use instead of failing (a settings file may be old or hand-edited).
"""
from __future__ import annotations

from dataclasses import dataclass, field


#: A window-only question counts as the quantity it stands for (ΔW for W′).
SAME_KIND = {"W_change": "W_new", "b_change": "b_new"}


@dataclass
class Score:
    asked: int = 0
    right: int = 0
    done: bool = False
    solved: set = field(default_factory=set)    # the kinds of question answered right (z, a, δ, …)

    def as_dict(self) -> dict:
        d = {"asked": self.asked, "right": self.right, "done": self.done}
        if self.solved:
            d["solved"] = sorted(self.solved)
        return d


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

    def record(self, lesson: str, correct: bool, kind: str | None = None) -> Score:
        """One more answer to a question of ``lesson`` (``kind``: its quantity, remembered when right)."""
        s = self._of(lesson)
        s.asked += 1
        s.right += bool(correct)
        if correct and kind:
            s.solved.add(SAME_KIND.get(kind, kind))
        return s

    def covers(self, lesson: str, kinds) -> bool:
        """Whether every kind of question in ``kinds`` was answered right in ``lesson``."""
        need = {SAME_KIND.get(k, k) for k in kinds}
        return bool(need) and need <= self.get(lesson).solved

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
            solved = v.get("solved")
            solved = {x for x in solved if isinstance(x, str)} if isinstance(solved, list) else set()
            book.scores[k] = Score(asked, min(right, asked), v.get("done") is True, solved)
        return book
