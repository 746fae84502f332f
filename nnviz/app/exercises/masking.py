"""What Your turn hides while a question is open: the asked line of the math panel's filled-in
formula, the asked cells of its tables (and those computed from them), and the numbers of the
lesson's text that equal the asked value.

The math panel masks by position, not by the value's text: a result that shows as "0" or "1"
is hidden as well as any other, and an input that happens to equal the result (``x = 3`` when
``z = 3``) stays readable. No Qt here (the window's widgets call these functions).
"""
from __future__ import annotations

import math
import re

from nnviz.lessons.fmt import sub

#: The line the learner has to work out is replaced by this one (later lines of the phase
#: use its result, so they wait until the question is answered).
LATER = "…"

_NUMBER = re.compile(r"(?<![\w.])[-−]?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][-−+]?\d+)?(?!\w)(?!\.\d)")


def _index(q):
    return tuple(q.index) if q.index is not None else None


def is_asked_line(question, line: str) -> bool:
    """Whether ``line`` of a phase's filled-in formula computes what ``question`` asks."""
    q, s = question.quantity, line.strip()
    idx = _index(question)
    if q == "z":
        return s.startswith(("z", "ẑ"))
    if q == "a":
        return s.startswith("a")
    if q == "loss":
        return s.startswith("L ") or s.startswith("L=")
    if q == "dL/da":
        return s.startswith(("∂L/∂y", "∂L/∂a", "∂L/∂f"))
    if q == "delta":
        return s.startswith("δ")
    if q == "dL/dW" and idx is not None:
        return s.startswith(f"∂L/∂W[{idx[0]},{idx[1]}]")
    if q == "dL/db":
        return s.startswith("∂L/∂b")
    if q in ("W_new", "W_change") and idx is not None:
        return s.startswith(f"W[{idx[0]},{idx[1]}]′")
    if q in ("b_new", "b_change"):
        head = s.split("=")[0]
        return s.startswith("b") and "′" in head and (question.neuron is None or sub(question.neuron) in head)
    return False


def hide_result(line: str) -> str:
    """``"δ₀ = ∂L/∂a·σ′(z) = (−0.5567)·0.2009 = −0.1118  (note)"`` → ``"δ₀ = ∂L/∂a·σ′(z) =
    (−0.5567)·0.2009 = ?  (note)"``: the value after the last "=" before a note."""
    main, sep, note = line.partition("  (")
    head, eq, _value = main.rpartition(" = ")
    if not eq:
        head, eq, _value = main.rpartition("=")
    if not eq:
        return line
    return head + eq + "?" + (sep + note if sep else "")


def value_masker(value, sig: int):
    """Every appearance of ``value`` rounded to ``sig`` digits written as "?"; a value that
    shows as "0" or "1" is left alone (too common to hide by its text)."""
    from nnviz.lessons.fmt import num

    if value is None:
        return lambda text: text
    shown = num(value, sig)
    if shown in ("0", "1", "−0", "-0"):
        return lambda text: text
    pattern = re.compile(r"(?<![\d.−])" + re.escape(shown) + r"(?![\d.e])")
    return lambda text: pattern.sub("?", text)


def mask_filled(text: str, question, sig: int) -> str:
    """The phase's filled-in formula with the asked line's result as "?" and the lines after it
    (they use that result) left out until answered; without such a line, the value's text."""
    lines = text.split("\n")
    for k, line in enumerate(lines):
        if is_asked_line(question, line):
            rest = [ln for ln in lines[k + 1:] if ln.strip()]
            return "\n".join(lines[:k] + [hide_result(line)] + ([LATER] if rest else []))
    return value_masker(question.expected, sig)(text)


#: For each quantity: the math panel's tables (their ``Phase.arrays`` keys) whose cells show it
#: or a value computed from it in the same phase ("col": the neuron's column of a matrix).
CELLS = {
    "z": {"z": "j", "a": "j"},
    "a": {"a": "j"},
    "dL/da": {"grad": "j", "delta": "j", "db": "j", "dW": "col"},
    "delta": {"grad": "j", "delta": "j", "db": "j", "dW": "col"},
    "dL/dW": {"dW": "rc"},
    "dL/db": {"db": "j"},
    "W_new": {"W_new": "rc"},
    "W_change": {"W_new": "rc"},
    "b_new": {"b_new": "j"},
    "b_change": {"b_new": "j"},
}


def hides_cell(question, key: str, i: int, k: int, matrix: bool) -> bool:
    """Whether cell ``[i, k]`` of table ``key`` is hidden for ``question`` (``matrix``: a
    weight matrix shown whole; else one row, ``k`` the neuron)."""
    how = CELLS.get(question.quantity, {}).get(key)
    if how is None:
        return False
    if how == "rc":
        idx = _index(question)
        return matrix and idx is not None and (i, k) == idx
    if how == "col":
        return matrix and k == question.neuron
    return not matrix and k == question.neuron


class PhaseMask:
    """What the math panel hides for ``mask``: None (nothing), a number (its text wherever it
    shows: the old way, kept for callers that only have the value) or a question."""

    def __init__(self, mask, sig: int):
        self.mask, self.sig = mask, sig
        self.question = mask if hasattr(mask, "quantity") else None
        value = self.question.expected if self.question is not None else mask
        self._by_value = value_masker(value, sig)

    def __bool__(self) -> bool:
        return self.mask is not None

    def filled(self, text: str) -> str:
        if self.question is None:
            return self._by_value(text)
        return mask_filled(text, self.question, self.sig)

    def notes(self, text: str) -> str:
        return self._by_value(text)

    def cell(self, key: str, i: int, k: int, matrix: bool, shown: str) -> str:
        if self.question is None:
            return self._by_value(shown)
        return "?" if hides_cell(self.question, key, i, k, matrix) else shown


# -- the lesson's text ---------------------------------------------------------------------------
def _sig_digits(token: str) -> tuple[int, int]:
    """(significant digits, exponent of the last one) of a number as written."""
    t = token.replace("−", "-").lstrip("+-")
    mant, _e, exp = t.lower().partition("e")
    exp = int(exp.replace("−", "-")) if exp else 0
    whole, _dot, frac = mant.partition(".")
    digits = (whole + frac).lstrip("0")
    return len(digits), exp - len(frac)


def mask_numbers(text: str, value: float) -> str:
    """``text`` with each number of two or more significant digits that equals ``value`` to
    its own last digit written as "?" (the lesson's "the output is 0.7216325609518421")."""
    if value is None or not math.isfinite(value):
        return text

    def repl(m):
        token = m.group(0)
        n, last = _sig_digits(token)
        if n < 2:
            return token
        try:
            v = float(token.replace("−", "-"))
        except ValueError:
            return token
        tol = 0.5 * 10.0 ** last * (1 + 1e-9) + 1e-15 * abs(value)
        return "?" if abs(v - value) <= tol else token

    return _NUMBER.sub(repl, text)
