"""``nnviz exercise``: the questions of one traced step, and grading of answers to them.

Without ``--answer`` it lists the questions (``--json``: one list of ``{"id", "phase", "layer",
"neuron", "quantity", "index", "prompt", "digits"}``, no answers); with ``--answer ID=VALUE``
(repeatable) it grades each: ``{"id", "correct", "expected", "hint"}``. ``build_parser`` in
:mod:`nnviz.cli` registers it with :func:`add_parsers`.
"""
from __future__ import annotations

import re

from nnviz.core.errors import NNVizError, Text, shown
from nnviz.i18n import N_


def parse_weight(text: str | None):
    """``"1,0"`` → ``(1, 0)`` (row, column of the in_out layout)."""
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*[,:]\s*(\d+)\s*", text)
    if not m:
        raise NNVizError(N_("--weight {text}: expected ROW,COL with 0-based whole numbers, e.g. 1,0"),
                         text=shown(text))
    return int(m.group(1)), int(m.group(2))


def parse_answers(items) -> list[tuple[str, str]]:
    """``["z:1:0=0.95"]`` → ``[("z:1:0", "0.95")]`` (the value is read when graded)."""
    out = []
    for item in items or []:
        qid, sep, value = item.rpartition("=")
        if not sep or not qid.strip():
            raise NNVizError(N_("--answer {text}: expected ID=VALUE, e.g. a:1:0=0.7216"), text=shown(item))
        out.append((qid.strip(), value))
    return out


def build_questions(args):
    from nnviz.exercises.questions import questions_for
    from nnviz.exercises.seeds import apple_questions
    from nnviz.lessons.cli import parse_neuron
    from nnviz.lessons.stepping import step_preset
    from nnviz.presets import get_preset

    if get_preset(args.preset).kind == "graph":
        return apple_questions(args.digits)
    select = parse_neuron(args.neuron)
    _exp, rec = step_preset(args.preset, args.sample, args.optimizer, args.lr, download=args.download)
    return questions_for(rec, select=select, weight=parse_weight(args.weight), digits=args.digits)


def grade_all(questions, answers, digits=None):
    """``[(question, grade)]`` for ``[(id, text)]``; an unknown id or a malformed value raises."""
    from nnviz.exercises.grading import grade, parse_answer

    by_id = {q.id: q for q in questions}
    out = []
    for qid, value in answers:
        if qid not in by_id:
            raise NNVizError(N_("--answer {id}: no such question; the ids are {ids}"), id=shown(qid),
                             ids=", ".join(by_id))
        try:
            v = parse_answer(value)
        except NNVizError as exc:
            raise NNVizError(N_("--answer {id}: {reason}"), id=qid, reason=Text(exc.template, **exc.values)) from None
        out.append((by_id[qid], grade(by_id[qid], v, digits)))
    return out


def cmd_exercise(args) -> int:
    from nnviz.cliargs import dumps
    from nnviz.exercises.grading import check_digits
    from nnviz.i18n import _
    from nnviz.lessons.cli import use_language

    use_language(args)
    check_digits(args.digits)
    answers = parse_answers(args.answer)
    questions = build_questions(args)
    if answers:
        graded = grade_all(questions, answers)
        if args.json:
            print(dumps([g.as_dict(q.id) for q, g in graded], ensure_ascii=False))
            return 0
        for q, g in graded:
            if g.correct:
                print(_("{id}: right ({expected})").format(id=q.id, expected=g.shown_expected))
                continue
            print(_("{id}: not right; expected {expected}").format(id=q.id, expected=g.shown_expected))
            print("    " + g.hint)
            for line in g.formula.splitlines():
                print("    " + line)
        return 0
    if args.json:
        print(dumps([q.as_dict() for q in questions], ensure_ascii=False))
        return 0
    for q in questions:
        print(f"[{q.id}] {q.prompt}")
    print(_("Answer with --answer ID=VALUE ({digits} significant digits).").format(digits=args.digits))
    return 0


def add_parsers(sub) -> None:
    """``exercise``."""
    from nnviz.lessons.cli import add_lang_argument

    sp = sub.add_parser("exercise", help="your turn: the values of one training step as questions, and grading")
    sp.add_argument("--preset", default="network-2-2-1", help="named setup (see `nnviz presets`)")
    sp.add_argument("--sample", type=int, help="which training sample (default 0; all for the gates)")
    sp.add_argument("--neuron", metavar="LAYER:INDEX", help="the neuron asked about, 0-based (default: neuron 0 "
                    "of every layer)")
    sp.add_argument("--weight", metavar="ROW,COL", help="the weight ∂L/∂W and W′ ask about (in_out layout)")
    sp.add_argument("--optimizer", help="sgd, momentum, nesterov, adagrad, rmsprop, adam")
    sp.add_argument("--lr", type=float, help="learning rate")
    sp.add_argument("--digits", type=int, default=4, help="significant digits an answer must match (default 4)")
    sp.add_argument("--answer", action="append", metavar="ID=VALUE", help="grade this answer (repeatable)")
    sp.add_argument("--download", action="store_true", help="download the dataset if it is not found")
    sp.add_argument("--json", action="store_true", help="JSON: the questions, or one object per answer")
    add_lang_argument(sp)
    sp.set_defaults(func=cmd_exercise)
