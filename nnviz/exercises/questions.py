"""A traced step as questions: the value of one phase for one neuron or weight, hidden.

:func:`questions_for` reads a :class:`~nnviz.lessons.record.StepRecord` (as ``nnviz step``
builds it) and asks, for the selected neuron of each layer, z and a (forward), the loss,
∂L/∂a, δ, ∂L/∂W for one weight and ∂L/∂b (backward), and the new weight and bias after the
optimizer's update. Each :class:`Question` carries its expected value, the filled-in formula
and the wrong values known mistakes would give (:mod:`nnviz.exercises.mistakes`), all from
the record: nothing is recomputed by another route.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from nnviz.core.errors import NNVizError
from nnviz.exercises import mistakes as mk
from nnviz.exercises.grading import DEFAULT_DIGITS, check_digits, shown_value
from nnviz.i18n import N_, _, fill
from nnviz.lessons import update as upd
from nnviz.lessons.phases import ACT_SYMBOL, build_phases
from nnviz.lessons.record import StepRecord

QUANTITIES = ("z", "a", "loss", "dL/da", "delta", "dL/dW", "dL/db", "W_new", "b_new")

PROMPTS = {
    "z": N_("{layer}, neuron {neuron}: compute the weighted sum z = Σᵢ wᵢ·{src}ᵢ + b."),
    "a": N_("{layer}, neuron {neuron}: compute the activation a = {f}(z)."),
    "loss": N_("Compute the loss L ({loss})."),
    "dL/da": N_("{layer}, neuron {neuron}: compute ∂L/∂a, the loss's gradient with respect to its activation."),
    "delta": N_("{layer}, neuron {neuron}: compute δ = ∂L/∂z."),
    "dL/dW": N_("{layer}: compute ∂L/∂W[{row},{col}], the gradient of the weight from input {row} to neuron {col}."),
    "dL/db": N_("{layer}, neuron {neuron}: compute ∂L/∂b, the gradient of its bias."),
    "W_new": N_("{layer}: compute the new weight W[{row},{col}]′ after the {optimizer} update."),
    "b_new": N_("{layer}, neuron {neuron}: compute the new bias b′ after the {optimizer} update."),
}
ONE_SAMPLE = N_("(sample {sample} of the batch of {n})")
BATCH_SUM = N_("(summed over the batch of {n} samples)")
PER_SAMPLE = ("z", "a", "dL/da", "delta")


@dataclass
class Question:
    """One hidden value of a traced step (see the module docstring)."""

    id: str
    phase: int                       # index into build_phases' list
    layer: int | None                # 0-based dense layer (None: the loss)
    neuron: int | None
    quantity: str                    # one of QUANTITIES
    index: list[int] | None          # [row, col] of a weight in the in_out layout
    digits: int
    expected: float
    formula: str                     # the filled-in formula shown after answering
    template: str = ""               # the prompt, untranslated (N_), and its values
    values: dict = field(default_factory=dict)
    mistakes: list = field(default_factory=list)   # (key, wrong value, hint values)
    suffix: tuple | None = None      # (template, values) added to the prompt

    @property
    def prompt(self) -> str:
        """The question in the current language."""
        text = fill(_(self.template), {k: shown_value(v) for k, v in self.values.items()})
        if self.suffix:
            more = _(self.suffix[0]).format(**self.suffix[1])
            text += more if more.startswith("（") else " " + more   # no space before a full-width parenthesis
        return text

    def as_dict(self, public: bool = True) -> dict:
        """The JSON form; ``public`` leaves the answer out (what ``nnviz exercise --json`` lists)."""
        d = {"id": self.id, "phase": self.phase, "layer": self.layer, "neuron": self.neuron,
             "quantity": self.quantity, "index": None if self.index is None else list(self.index),
             "prompt": self.prompt, "digits": self.digits}
        if not public:
            d.update(expected=self.expected, formula=self.formula)
        return d


def phase_index(rec: StepRecord, phase: str, layer: int | None = None) -> int:
    """Where ``phase`` of ``layer`` is in :func:`~nnviz.lessons.phases.build_phases`' list."""
    L = rec.n_layers
    return {"forward": lambda: layer, "loss": lambda: L, "backward": lambda: L + 1 + (L - 1 - layer),
            "update": lambda: 2 * L + 1}[phase]()


class _Asker:
    def __init__(self, rec: StepRecord, digits: int, sample: int):
        self.rec, self.digits, self.s = rec, digits, sample
        self.L = rec.n_layers
        self._phases = {}

    def lname(self, l):
        return ("layer", l, self.L)

    def phases(self, l, j, row):
        key = (l, j, row)
        if key not in self._phases:
            self._phases[key] = build_phases(self.rec, select=(l, j), sig=self.digits, sample=self.s, weight=row)
        return self._phases[key]

    def lines(self, l, j, row, phase, layer, keep) -> str:
        ph = self.phases(l, j, row)[phase_index(self.rec, phase, layer)]
        got = [ln for ln in ph.filled.splitlines() if keep(ln)]
        return "\n".join(got or ph.filled.splitlines())

    def fused_last(self, l) -> bool:
        return l == self.L - 1 and self.rec.fused

    def q(self, qid, phase, layer, neuron, quantity, index, expected, formula, values, mistakes) -> Question:
        rec = self.rec
        suffix = None
        if rec.batch > 1 and quantity in PER_SAMPLE:
            suffix = (ONE_SAMPLE, {"sample": self.s, "n": rec.batch})
        elif rec.batch > 1 and quantity in ("dL/dW", "dL/db"):
            suffix = (BATCH_SUM, {"n": rec.batch})
        return Question(qid, phase_index(rec, phase, layer), layer if quantity != "loss" else None, neuron,
                        quantity, index, self.digits, float(expected) + 0.0, formula, PROMPTS[quantity], values,
                        mistakes, suffix)

    # -- one layer ---------------------------------------------------------------------------
    def forward(self, l, j):
        rec, s = self.rec, self.s
        snap, r = rec.layers[l], rec.rec("forward", l)
        act = snap.activation
        sym = ACT_SYMBOL.get(act, act)
        base = {"layer": self.lname(l), "neuron": j}
        out = [self.q(f"z:{l}:{j}", "forward", l, j, "z", None, r["z"][s, j],
                      self.lines(l, j, None, "forward", l, lambda ln: ln.startswith(("z", "ẑ"))),
                      {**base, "src": "x" if l == 0 else "a"}, mk.for_z(rec, l, j, s)),
               self.q(f"a:{l}:{j}", "forward", l, j, "a", None, r["a"][s, j],
                      self.lines(l, j, None, "forward", l, lambda ln: ln.startswith("a")),
                      {**base, "f": sym}, mk.for_a(rec, l, j, s))]
        return out

    def loss(self, j):
        rec = self.rec
        r = rec.records("loss")[0]
        return self.q("loss", "loss", None, None, "loss", None, r["value"],
                      self.lines(self.L - 1, j, None, "loss", None, lambda ln: ln.startswith("L")),
                      {"loss": ("name", "loss", rec.loss_name)}, mk.for_loss(rec))

    def backward(self, l, j, row, col):
        rec, s = self.rec, self.s
        back = rec.rec("backward", l)
        base = {"layer": self.lname(l), "neuron": j}
        out = []
        last = l == self.L - 1
        if not self.fused_last(l):
            if last:
                e, formula = rec.records("loss")[0]["grad"][s, j], self.lines(
                    l, j, None, "loss", None, lambda ln: ln.startswith("∂L/∂y"))
            else:
                e = (mk.delta_lin(rec, l + 1) @ rec.layers[l + 1].params["W"].T)[s, j]
                formula = self.lines(l, j, None, "backward", l, lambda ln: ln.startswith(("∂L/∂a", "∂L/∂f")))
            out.append(self.q(f"dL/da:{l}:{j}", "loss" if last else "backward", l, j, "dL/da", None, e, formula,
                              base, mk.for_dA(rec, l, j, s, e)))
        if self.fused_last(l):
            formula = self.lines(l, j, None, "loss", None, lambda ln: ln.startswith("δ"))
        else:
            formula = self.lines(l, j, None, "backward", l, lambda ln: not ln.startswith("∂L/∂"))
        out.append(self.q(f"delta:{l}:{j}", "loss" if self.fused_last(l) else "backward", l, j, "delta", None,
                          back["delta"][s, j], formula, base, mk.for_delta(rec, l, j, s)))
        out.append(self.q(f"dL/dW:{l}:{row},{col}", "backward", l, col, "dL/dW", [row, col], back["dW"][row, col],
                          self.lines(l, col, row, "backward", l, lambda ln: ln.startswith(f"∂L/∂W[{row},{col}]")),
                          {"layer": self.lname(l), "row": row, "col": col}, mk.for_dW(rec, l, row, col)))
        out.append(self.q(f"dL/db:{l}:{j}", "backward", l, j, "dL/db", None, back["db"][j],
                          self.lines(l, j, None, "backward", l, lambda ln: ln.startswith("∂L/∂b")),
                          base, mk.for_db(rec, l, j)))
        return out

    def update(self, l, j, row, col):
        rec = self.rec
        r = rec.rec("update", l)
        opt = ("name", "optimizer", rec.optimizer)
        out = []
        for name, idx, qid, quantity, vals in (
                ("W", (row, col), f"W_new:{l}:{row},{col}", "W_new",
                 {"layer": self.lname(l), "row": row, "col": col, "optimizer": opt}),
                ("b", (j,), f"b_new:{l}:{j}", "b_new", {"layer": self.lname(l), "neuron": j, "optimizer": opt})):
            formula, lines, _vals = upd.explain(rec, l, [(name, idx)], self.digits)
            out.append(self.q(qid, "update", l, col if name == "W" else j, quantity,
                              [row, col] if name == "W" else None, r[name][idx], "\n".join([formula] + lines),
                              vals, mk.for_update(rec, l, name, idx)))
        return out


def _check_weight(rec: StepRecord, l: int, weight) -> tuple[int, int]:
    rows, cols = rec.layers[l].params["W"].shape
    row, col = (int(weight[0]), int(weight[1]))
    if not (0 <= row < rows and 0 <= col < cols):
        raise NNVizError(N_("weight [{row},{col}]: layer {layer} has rows 0..{rows} and columns 0..{cols}"),
                         row=row, col=col, layer=l, rows=rows - 1, cols=cols - 1)
    return row, col


def questions_for(rec: StepRecord, select=None, weight=None, digits: int = DEFAULT_DIGITS,
                  sample: int = 0) -> list[Question]:
    """The questions of one traced step, in phase order.

    ``select = (layer, neuron)`` (0-based dense layer) asks about that neuron in its layer and
    neuron 0 elsewhere; ``None``: neuron 0 of every layer. ``weight = (row, col)`` is the weight
    of the selected layer (every layer when ``select`` is None) that ∂L/∂W and W′ ask about
    (default: row 0 of the neuron's column). ``sample``: the batch row per-sample values use.
    """
    digits = check_digits(digits)
    if select is not None and (select[1] is None):
        select = (select[0], 0)
    build_phases(rec, select=select, sig=digits, sample=sample)   # checks layer, neuron and sample
    A = _Asker(rec, digits, sample)
    L = rec.n_layers
    neuron = {l: 0 for l in range(L)}
    if select is not None:
        neuron[select[0]] = select[1]
    wsel = {}
    for l in range(L):
        mine = weight is not None and (select is None or select[0] == l)
        if mine:
            wsel[l] = _check_weight(rec, l, weight) if select is not None else (
                (int(weight[0]), int(weight[1])) if _fits(rec, l, weight) else (0, neuron[l]))
        else:
            wsel[l] = (0, neuron[l])
    out = []
    for l in range(L):
        out += A.forward(l, neuron[l])
    if not rec.trained:
        return out
    out.append(A.loss(neuron[L - 1]))
    for l in range(L - 1, -1, -1):
        out += A.backward(l, neuron[l], *wsel[l])
    for l in ([select[0]] if select is not None else range(L)):
        out += A.update(l, neuron[l], *wsel[l])
    return out


def _fits(rec, l, weight) -> bool:
    rows, cols = rec.layers[l].params["W"].shape
    return 0 <= int(weight[0]) < rows and 0 <= int(weight[1]) < cols
