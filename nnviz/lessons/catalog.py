"""The lessons: one JSON file each in ``resources/lessons/`` (texts ready to be translated).

A lesson file holds ``name``, ``order``, ``title``, ``text`` (plain English; ``{name}``
placeholders are filled with the numbers the lesson computes), ``preset`` (the setup it
opens, or null), ``demo`` (which computation of :mod:`nnviz.lessons.demos` it shows),
``params`` (that computation's arguments) and optionally ``select`` (the neuron to explain,
``[layer, index]``, 0-based).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from nnviz.core.errors import NNVizError, UnknownNameError
from nnviz.resources import resource_path

REQUIRED = ("name", "title", "text", "demo")


@dataclass(frozen=True)
class Lesson:
    name: str
    title: str
    text: str
    demo: str
    preset: str | None = None
    params: dict = field(default_factory=dict)
    select: tuple[int, int] | None = None
    order: int = 0

    def filled_text(self, fill: dict) -> str:
        """The text with its ``{name}`` placeholders filled from a demo's ``fill``."""
        return self.text.format(**fill)


def _read(path) -> Lesson:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NNVizError(f"lesson file {path.name}: cannot read it ({exc})") from None
    missing = [k for k in REQUIRED if k not in d]
    if missing:
        raise NNVizError(f"lesson file {path.name}: missing {', '.join(missing)}")
    sel = d.get("select")
    return Lesson(name=d["name"], title=d["title"], text=d["text"], demo=d["demo"], preset=d.get("preset"),
                  params=dict(d.get("params", {})), select=tuple(sel) if sel else None,
                  order=int(d.get("order", 0)))


def load_lessons() -> list[Lesson]:
    """Every lesson, in menu order."""
    folder = resource_path("lessons")
    lessons = [_read(p) for p in sorted(folder.glob("*.json"))]
    if not lessons:
        raise NNVizError(f"no lessons found in {folder}")
    return sorted(lessons, key=lambda l: (l.order, l.name))


def get_lesson(name: str) -> Lesson:
    lessons = {l.name: l for l in load_lessons()}
    try:
        return lessons[name]
    except KeyError:
        raise UnknownNameError("lesson", name, lessons) from None
