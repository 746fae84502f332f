"""The change Δw = w′ − w, asked in place of w′ when the step is too small to see in w′.

With a small learning rate (Momentum's or Adam's default 0.001) the new weight often rounds to
the old one at the shown digits: typing w itself would be accepted as w′. The window then asks
for the change instead (:func:`window_questions`); ``nnviz exercise`` keeps asking ``W_new``
and ``b_new`` as specified.
"""
from __future__ import annotations

import math

from nnviz.exercises.grading import tolerance
from nnviz.exercises.questions import Question
from nnviz.i18n import N_
from nnviz.lessons.fmt import num, sub

#: A step smaller than this many units of w′'s last shown digit is asked as Δw (so at least
#: two significant digits of the step are checked).
UNITS = 10

PROMPTS = {
    "W_change": N_("{layer}: compute the change ΔW[{row},{col}] = W′ − W after the {optimizer} update "
                   "(the step is too small to show in W′ at {digits} digits)."),
    "b_change": N_("{layer}, neuron {neuron}: compute the change Δb = b′ − b of its bias after the "
                   "{optimizer} update (the step is too small to show in b′ at {digits} digits)."),
}
CHANGE = {"W_new": "W_change", "b_new": "b_change"}


def old_value(rec, q: Question) -> float:
    """The weight or bias before the step that question ``q`` (W′ or b′) asks about."""
    name = "W" if q.quantity == "W_new" else "b"
    idx = tuple(q.index) if name == "W" else (q.neuron,)
    return float(rec.layers[q.layer].params[name][idx])


def too_small(q: Question, old: float, digits: int) -> bool:
    """Whether w′ − w is under :data:`UNITS` units of w′'s last shown digit."""
    unit = 2 * tolerance(q.expected, digits) if abs(q.expected) > 0 else 10.0 ** (-digits)
    return abs(q.expected - old) < UNITS * unit


def change_question(rec, q: Question, digits: int | None = None) -> Question:
    """The Δ question of a W′ or b′ question (same phase, neuron and weight)."""
    digits = q.digits if digits is None else digits
    old = old_value(rec, q)
    delta = q.expected - old
    quantity = CHANGE[q.quantity]
    if quantity == "W_change":
        r, c = q.index
        qid, sym, before = f"W_change:{q.layer}:{r},{c}", f"ΔW[{r},{c}]", f"W[{r},{c}]"
    else:
        qid, sym, before = f"b_change:{q.layer}:{q.neuron}", f"Δb{sub(q.neuron)}", f"b{sub(q.neuron)}"
    line = (f"{sym} = {before}′ − {before} = {num(q.expected, digits + 4)} − {num(old, digits + 4)} "
            f"= {num(delta, digits)}")
    mistakes = []
    for key, value, values in q.mistakes:
        if key == "gave_change":
            continue
        if key == "gave_gradient":
            mistakes.append(("gradient_for_change", value, values))
        else:
            mistakes.append((key, value - old, values))
    mistakes.append(("gave_new", q.expected, {}))
    return Question(qid, q.phase, q.layer, q.neuron, quantity, q.index, q.digits, float(delta) + 0.0,
                    q.formula + "\n" + line, PROMPTS[quantity], {**q.values, "digits": digits}, mistakes, q.suffix)


def window_questions(rec, questions: list[Question], digits: int) -> list[Question]:
    """``questions`` with each W′ or b′ whose step is too small to see asked as its change."""
    out = []
    for q in questions:
        if q.quantity in CHANGE and q.layer is not None:
            old = old_value(rec, q)
            if math.isfinite(old) and too_small(q, old, digits):
                q = change_question(rec, q, digits)
        out.append(q)
    return out
