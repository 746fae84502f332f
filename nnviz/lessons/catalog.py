"""The lessons: one JSON file each in ``resources/lessons/`` (texts ready to be translated).

A lesson file holds ``name``, ``order``, ``title``, ``text`` (plain English; ``{name}``
placeholders are filled with the numbers the lesson computes), ``preset`` (the setup it
opens, or null), ``demo`` (which computation of :mod:`nnviz.lessons.demos` it shows),
``params`` (that computation's arguments) and optionally ``select`` (the neuron to explain,
``[layer, index]``, 0-based).

Each language other than English has its own folder, ``resources/lessons/<lang>/NAME.json``,
with the same keys: its shown texts (:data:`TEXT_FIELDS`) replace the English ones, keeping
every ``{placeholder}``; everything else (demo, params, preset …) is the English file's.
:func:`load_lessons` reads the current language (``nnviz.i18n.language()``) every time it is
called, and falls back to English for a lesson whose translation is missing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from nnviz.core.errors import NNVizError, UnknownNameError
from nnviz.i18n import N_, SOURCE_LANGUAGE, language
from nnviz.resources import resource_path

REQUIRED = ("name", "title", "text", "demo")
#: The fields a learner reads: the ones a translation replaces.
TEXT_FIELDS = ("title", "text")


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


def _load_json(path) -> dict:
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NNVizError(N_("lesson file {file}: cannot read it ({reason})"), file=path.name,
                         reason=str(exc)) from None
    if not isinstance(d, dict):
        raise NNVizError(N_("lesson file {file}: cannot read it ({reason})"), file=path.name,
                         reason="not a JSON object")
    return d


def _read(path, lang: str | None = None) -> Lesson:
    d = _load_json(path)
    missing = [k for k in REQUIRED if k not in d]
    if missing:
        raise NNVizError(N_("lesson file {file}: missing {keys}"), file=path.name, keys=", ".join(missing))
    if lang and lang != SOURCE_LANGUAGE:
        translated = path.parent / lang / path.name
        if translated.is_file():
            t = _load_json(translated)
            d.update({k: t[k] for k in TEXT_FIELDS if isinstance(t.get(k), str) and t[k]})
    sel = d.get("select")
    return Lesson(name=d["name"], title=d["title"], text=d["text"], demo=d["demo"], preset=d.get("preset"),
                  params=dict(d.get("params", {})), select=tuple(sel) if sel else None,
                  order=int(d.get("order", 0)))


def load_lessons(lang: str | None = None) -> list[Lesson]:
    """Every lesson, in menu order, with its texts in ``lang`` (default: the current language)."""
    folder = resource_path("lessons")
    lang = language() if lang is None else lang
    lessons = [_read(p, lang) for p in sorted(folder.glob("*.json"))]
    if not lessons:
        raise NNVizError(N_("no lessons found in {folder}"), folder=str(folder))
    return sorted(lessons, key=lambda l: (l.order, l.name))


def get_lesson(name: str, lang: str | None = None) -> Lesson:
    lessons = {l.name: l for l in load_lessons(lang)}
    try:
        return lessons[name]
    except KeyError:
        raise UnknownNameError("lesson", name, lessons) from None
