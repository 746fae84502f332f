"""Reading a typed answer and grading it against the trace's value, with a hint on a wrong one.

An answer is right when it matches the expected value to the shown number of significant
digits: ``|answer − expected| ≤ ½·10^(e − digits + 1)`` where ``e`` is the exponent of the
expected value (half a unit in its last shown digit), so the expected value rounded to the
shown digits is always accepted. A wrong answer is compared, with the same tolerance, with
every wrong value a known mistake gives (the question carries them, computed from the trace):
the first that matches names the mistake.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from nnviz.core.errors import NNVizError, shown
from nnviz.i18n import N_, _, fill
from nnviz.lessons.fmt import num

DEFAULT_DIGITS = 4
ZERO = 1e-12        # an expected value this small counts as zero (the answer must be as small)
SLACK = 1 + 1e-9    # floating-point room at the tolerance's edge

#: The hint of each mistake (``{name}`` fields filled from the mistake's own values).
HINTS = {
    "sign": N_("Check the sign: the size is right but the sign is wrong."),
    "sigma_for_prime": N_("You used {f}(z) where its derivative {f}′(z) belongs: δ = ∂L/∂a · {f}′(z)."),
    "forgot_prime": N_("You left out the activation's derivative: δ = ∂L/∂a · {f}′(z)."),
    "a_for_x": N_("You used the activations a of {used} where the input x belongs: the input of {layer} is x."),
    "x_for_a": N_("You used the input x where the previous layer's activations belong: the input of {layer} "
                  "is a of {prev}."),
    "wrong_a": N_("You used the activations a of {used} where the input of {layer}, a of {prev}, belongs."),
    "forgot_mean": N_("You forgot the 1/N of the mean: the loss averages over N = {n}, so its gradients are "
                      "divided by {n} too."),
    "mse_factor": N_("You forgot the 2 of the square's derivative: ∂L/∂y = 2(y − t)/N."),
    "forgot_bias": N_("You left out the bias b = {b}."),
    "z_for_a": N_("That is z: the activation a = {f}(z) still has to be applied."),
    "forgot_lr": N_("You forgot the learning rate: w′ = w − η·g with η = {lr}."),
    "wrong_direction": N_("The update went the wrong way: w′ = w − η·g moves against the gradient."),
    "gave_gradient": N_("That is the gradient ∂L/∂w; the question asks for the new value w′ = w − η·g."),
    "gave_change": N_("That is the change Δw; the new value is w′ = w + Δw."),
    "gave_new": N_("That is the new value w′; the question asks for the change Δw = w′ − w."),
    "gradient_for_change": N_("That is the gradient ∂L/∂w; the change is the step the optimizer takes "
                              "against it: Δw = w′ − w."),
    "ignored_momentum": N_("That is plain SGD's step: {optimizer} moves along its buffer b = μ·b + g."),
    "ignored_scaling": N_("That is plain SGD's step: {optimizer} divides by the root of its average of g²."),
    "no_bias_correction": N_("You left out Adam's bias correction: mᶜ = m/(1 − β₁ᵗ), vᶜ = v/(1 − β₂ᵗ)."),
    "forgot_upstream": N_("Multiply by the upstream gradient too (the chain rule): upstream gradient × local gradient."),
    "same_input": N_("A multiply node passes back the upstream gradient times the other input, not its own."),
    "rounding": N_("Close, but not to {digits} significant digits: keep more digits and round only at the end."),
    "unknown": N_("Not the value of this step; compare your steps with the filled-in formula."),
}


@dataclass(frozen=True)
class Grade:
    """The verdict on one answer."""

    correct: bool
    expected: float
    shown_expected: str          # the expected value to the question's digits
    hint: str | None             # translated; None when right
    mistake: str | None          # a key of HINTS, or None
    formula: str                 # the filled-in formula
    hint_values: dict = field(default_factory=dict, repr=False, compare=False)

    def current_hint(self) -> str | None:
        """The hint in the current language (after a language switch: no need to grade again)."""
        return None if self.mistake is None else hint_text(self.mistake, self.hint_values)

    def as_dict(self, qid: str | None = None) -> dict:
        d = {"correct": self.correct, "expected": self.expected, "hint": self.hint}
        return d if qid is None else {"id": qid, **d}


def parse_answer(text) -> float:
    """A typed number: ``0.7216``, ``7.216e-1``, ``−0.5567`` (the true minus), ``-0,5`` (a decimal
    comma when there is no point), full-width digits; anything else raises NNVizError."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        v = float(text)
    else:
        s = unicodedata.normalize("NFKC", str(text)).strip()
        s = s.replace("\u2212", "-").replace("\u2013", "-").replace(" ", "").replace("E", "e")
        if s.count(",") == 1 and "." not in s:
            if re.fullmatch(r"[+-]?[1-9]\d{0,2},\d{3}", s):   # 1,000: a thousands separator or 1.000?
                raise NNVizError(N_("{text}: is the comma a decimal point? Write 1.5 or 1500, without a comma"),
                                 text=shown(str(text)))
            s = s.replace(",", ".")
        if not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?", s):
            raise NNVizError(N_("{text} is not a number: write it like 0.7216, -0.5567 or 7.216e-5"),
                             text=shown(str(text)))
        v = float(s)
    if not math.isfinite(v):
        raise NNVizError(N_("{text} is not a number: write it like 0.7216, -0.5567 or 7.216e-5"),
                         text=shown(str(text)))
    return v


def check_digits(digits) -> int:
    if not isinstance(digits, int) or not 1 <= digits <= 15:
        raise NNVizError(N_("{digits} significant digits: choose 1 to 15"), digits=shown(digits))
    return digits


def tolerance(expected: float, digits: int) -> float:
    """Half a unit in the last of ``digits`` significant digits of ``expected``."""
    if abs(expected) < ZERO:
        return ZERO
    e = math.floor(math.log10(abs(expected)))
    return 0.5 * 10.0 ** (e - digits + 1) * SLACK


def matches(answer: float, expected: float, digits: int) -> bool:
    return abs(answer - expected) <= tolerance(expected, digits)


def shown_value(v):
    """A prompt's or hint's value in the current language: ``("layer", index, n_layers)`` names a
    layer, ``("name", kind, id)`` a registry id, ``("text", msgid)`` a marked text (an optimizer, a loss), a float is rounded."""
    if isinstance(v, tuple) and len(v) == 3 and v[0] == "layer":
        from nnviz.i18n.names import layer_title

        return layer_title(v[1], v[2])
    if isinstance(v, tuple) and len(v) == 3 and v[0] == "name":
        from nnviz.i18n.names import title

        return title(v[1], v[2])
    if isinstance(v, tuple) and len(v) == 2 and v[0] == "text":
        return _(v[1])
    if isinstance(v, float):
        return num(v)
    return v


def hint_text(mistake: str, values: dict | None = None) -> str:
    """The translated hint of ``mistake`` filled with ``values``."""
    return fill(_(HINTS[mistake]), {k: shown_value(v) for k, v in (values or {}).items()})


def diagnose(answer: float, expected: float, mistakes, digits: int) -> tuple[str, dict]:
    """The mistake a wrong ``answer`` shows: ``(key, values)``; ``"unknown"`` when none matches."""
    for key, value, values in mistakes:
        if not matches(value, expected, digits) and matches(answer, value, digits):
            return key, values
    if digits > 1 and matches(answer, expected, digits - 1):
        return "rounding", {"digits": digits}
    if digits > 2:   # a mistake's value cut off rather than rounded (−0.4017 for −0.40176) is still that mistake
        for key, value, values in mistakes:
            if not matches(value, expected, digits - 1) and matches(answer, value, digits - 1):
                return key, values
    return "unknown", {}


def grade(question, answer, digits: int | None = None) -> Grade:
    """Grade ``answer`` (a typed text or a number) to ``question`` (digits: the question's)."""
    digits = question.digits if digits is None else check_digits(digits)
    v = parse_answer(answer)
    e = question.expected
    if matches(v, e, digits):
        return Grade(True, e, num(e, digits), None, None, question.formula)
    key, values = diagnose(v, e, question.mistakes, digits)
    values = {**values, "digits": digits} if key == "rounding" else values
    return Grade(False, e, num(e, digits), hint_text(key, values), key, question.formula, values)
