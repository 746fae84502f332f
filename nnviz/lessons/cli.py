"""``nnviz step`` (a training step phase by phase), ``nnviz lessons`` and ``nnviz lesson NAME``.

``build_parser`` in :mod:`nnviz.cli` registers them with :func:`add_parsers`.
"""
from __future__ import annotations

import argparse
import json
import re

from nnviz.core.errors import NNVizError
from nnviz.i18n import N_


def parse_neuron(text: str | None):
    """``"1:0"`` → ``(1, 0)``; ``"1"`` → ``(1, None)``."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*(-?\d+)\s*(?::\s*(-?\d+)\s*)?", text)
    if not m:
        raise NNVizError(N_("--neuron {text}: expected LAYER:INDEX with 0-based whole numbers, e.g. 0:1"),
                         text=repr(text))
    return int(m.group(1)), (None if m.group(2) is None else int(m.group(2)))


def use_language(args) -> None:
    """``--lang`` (after the command, or before it: ``nnviz --lang zh_CN step``) sets the language
    of the explanations and lesson texts; without it they are English, like the rest of the CLI."""
    from nnviz.i18n import check_language, set_language

    lang = getattr(args, "lang", None)
    set_language(check_language(lang) if lang else "en")


def cmd_step(args) -> int:
    from nnviz.cliargs import dumps
    from nnviz.i18n import _
    from nnviz.lessons.phases import build_phases
    from nnviz.lessons.stepping import step_preset

    use_language(args)
    select = parse_neuron(args.neuron)
    if args.digits < 1 or args.digits > 17:
        raise NNVizError(N_("--digits {digits}: choose 1 to 17 significant digits"), digits=args.digits)
    _exp, rec = step_preset(args.preset, args.sample, args.optimizer, args.lr, args.weight_decay, args.l1,
                            download=args.download)
    phases = build_phases(rec, select=select, sig=args.digits)
    if args.json:
        print(dumps([p.as_dict() for p in phases], ensure_ascii=False))
        return 0
    if not rec.trained:
        print(_("forward only: this network cannot be trained (the step activation has no gradient)"))
    for p in phases:
        print(f"[{p.index}] {p.title}")
        print(f"    {p.formula}")
        for line in p.filled.splitlines():
            print(f"    {line}")
        for note in p.notes:
            print("    " + _("({note})").format(note=note))
    return 0


def cmd_lessons(args) -> int:
    from nnviz.lessons.catalog import load_lessons

    use_language(args)
    lessons = load_lessons()
    if args.json:
        print(json.dumps([{"name": l.name, "title": l.title, "preset": l.preset} for l in lessons],
                         ensure_ascii=False, indent=1))
        return 0
    width = max(len(l.name) for l in lessons)
    for l in lessons:
        print(f"{l.name:<{width}}  {l.title}")
    return 0


def cmd_lesson(args) -> int:
    from nnviz.cliargs import dumps
    from nnviz.lessons.catalog import get_lesson
    from nnviz.lessons.demos import run_demo

    use_language(args)
    lesson = get_lesson(args.name)
    result = run_demo(lesson)
    if args.json:
        plain = {k: v for k, v in result.items() if k not in ("record", "steps", "rows")}
        if "steps" in result:  # the apple graph's steps, "rows" of the gradient check: dataclasses
            plain["steps"] = [vars(s) for s in result["steps"]]
        if "rows" in result:
            plain["rows"] = [r if isinstance(r, dict) else vars(r) for r in result["rows"]]
        if "stats" in plain:
            plain["stats"] = {" ".join(k): v for k, v in plain["stats"].items()}
        if "lines_on_square" in plain:
            plain["lines_on_square"] = {k: list(v) for k, v in plain["lines_on_square"].items()}
        print(dumps(({"name": lesson.name, "title": lesson.title, "text": result["text"],
                                      "preset": lesson.preset, "result": plain}), ensure_ascii=False))
        return 0
    print(lesson.title)
    print("=" * _width(lesson.title))
    print(result["text"])
    print()
    for line in result.get("lines", []):
        print(line)
    return 0


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal (a Chinese character takes two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def add_lang_argument(sp) -> None:
    sp.add_argument("--lang", default=argparse.SUPPRESS, metavar="LANG",
                    help="language of the explanations and lesson texts: en (default) or zh_CN")


def add_step_parser(sub) -> None:
    sp = sub.add_parser("step", help="one training step phase by phase, formulas filled in with its numbers")
    sp.add_argument("--preset", default="network-2-2-1", help="named setup (see `nnviz presets`)")
    sp.add_argument("--sample", type=int, help="which training sample (default 0; all for the gates)")
    sp.add_argument("--neuron", metavar="LAYER:INDEX", help="the neuron to explain, 0-based (default: output)")
    sp.add_argument("--optimizer", help="sgd, momentum, nesterov, adagrad, rmsprop, adam")
    sp.add_argument("--lr", type=float, help="learning rate")
    sp.add_argument("--weight-decay", type=float, help="L2 penalty (PyTorch's weight_decay)")
    sp.add_argument("--l1", type=float, help="L1 penalty")
    sp.add_argument("--digits", type=int, default=4, help="significant digits shown (default 4)")
    sp.add_argument("--download", action="store_true", help="download the dataset if it is not found")
    sp.add_argument("--json", action="store_true", help="one JSON list of phases")
    add_lang_argument(sp)
    sp.set_defaults(func=cmd_step)


def add_lesson_parsers(sub) -> None:
    sp = sub.add_parser("lessons", help="list the lessons")
    sp.add_argument("--json", action="store_true")
    add_lang_argument(sp)
    sp.set_defaults(func=cmd_lessons)
    sp = sub.add_parser("lesson", help="print what a lesson computes (see `nnviz lessons`)")
    sp.add_argument("name")
    sp.add_argument("--json", action="store_true")
    add_lang_argument(sp)
    sp.set_defaults(func=cmd_lesson)


def add_parsers(sub) -> None:
    """``step``, ``lessons`` and ``lesson``."""
    add_step_parser(sub)
    add_lesson_parsers(sub)
