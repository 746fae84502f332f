"""A traced step as a list of phases: forward 0 … L-1, loss, backward L-1 … 0, update.

Each :class:`Phase` explains one selected neuron: the formula in symbols (``formula``), the
same formula filled in with the recorded numbers rounded for reading (``filled``), and every
number it used at full precision (``values``, by name). ``arrays`` holds what a view lights up
(a, δ, dW, old/new W of the phase's layer). Nothing is recomputed: the numbers are the
record's own (a few display-only quantities such as σ′(z) = a(1 − a) are derived from them).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnviz.core.errors import NNVizError
from nnviz.i18n import N_, _
from nnviz.i18n.names import layer_title, title as display_name
from nnviz.lessons import update as upd
from nnviz.lessons.fmt import num, sub, term
from nnviz.lessons.record import StepRecord
from nnviz.lessons.summary import SMALL, summarize, summary_text

MAX_TERMS = 6   # a weighted sum with more inputs shows its 3 largest terms only
SHOWN_TERMS = 3

ACT_SYMBOL = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "LReLU", "identity": "id",
              "step": "step", "softmax": "softmax"}
ACT_FORMULA = {"sigmoid": "σ(z) = 1/(1 + e^(−z))", "tanh": "tanh(z)", "relu": "ReLU(z) = max(0, z)",
               "leaky_relu": N_("LReLU(z) = z if z > 0 else 0.01·z"), "identity": "id(z) = z",
               "step": N_("step(z) = 1 if z > 0 else 0"), "softmax": "softmax(z)ⱼ = e^zⱼ / Σₖ e^zₖ"}
DERIV = {"sigmoid": "σ′(z) = a(1 − a)", "tanh": "tanh′(z) = 1 − a²", "relu": N_("ReLU′(z) = 1 if z > 0 else 0"),
         "leaky_relu": N_("LReLU′(z) = 1 if z > 0 else 0.01"), "identity": "id′(z) = 1"}


@dataclass
class Phase:
    """One step of the explanation (see the module docstring)."""

    index: int
    phase: str                       # "forward", "loss", "backward" or "update"
    layer: int | None                # 0-based dense layer; None for the loss
    neuron: int | None
    title: str
    formula: str
    filled: str
    values: dict[str, float] = field(default_factory=dict)
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    summary: dict | None = None
    lit: tuple[int, ...] = ()        # the dense layers a diagram lights up in this phase

    def as_dict(self) -> dict:
        """The JSON form ``nnviz step --json`` prints."""
        return {"phase": self.phase, "layer": self.layer, "neuron": self.neuron, "title": self.title,
                "formula": self.formula, "filled": self.filled, "values": dict(self.values),
                "notes": list(self.notes)}


def passed_back_delta(rec: StepRecord, l: int) -> np.ndarray:
    """δ of layer ``l`` passed back through its batch-norm: what reaches W and b (δ without one)."""
    snap, delta = rec.layers[l], rec.rec("backward", l)["delta"]
    if snap.bn is None:
        return delta
    zhat, inv_std = snap.bn["zhat"], snap.bn["inv_std"]
    dzhat = delta * snap.params["gamma"]
    n = delta.shape[0]
    return (inv_std / n) * (n * dzhat - dzhat.sum(axis=0) - zhat * (dzhat * zhat).sum(axis=0))


def more_terms(n: int) -> str:
    return "… " + _("({n} more terms)").format(n=n)


def from_loss() -> str:
    return _("(from the loss phase)")


class _Builder:
    def __init__(self, rec: StepRecord, select, sig: int, sample: int, weight: int | None):
        self.rec, self.sig, self.s, self.weight = rec, sig, sample, weight
        L = rec.n_layers
        if not 0 <= sample < rec.batch:
            raise NNVizError(N_("sample {sample}: the traced batch has samples 0..{last}"),
                             sample=sample, last=rec.batch - 1)
        self.sel_layer, self.sel_neuron = select if select is not None else (L - 1, None)
        if not 0 <= self.sel_layer < L:
            raise NNVizError(N_("layer {layer}: the network has dense layers 0..{last}"),
                             layer=self.sel_layer, last=L - 1)
        n = self.n_out(self.sel_layer)
        if self.sel_neuron is not None and not 0 <= self.sel_neuron < n:
            raise NNVizError(N_("neuron {neuron}: layer {layer} has neurons 0..{last}"),
                             neuron=self.sel_neuron, layer=self.sel_layer, last=n - 1)

    # -- helpers ---------------------------------------------------------------------------
    def n_out(self, l):
        return self.rec.layers[l].params["W"].shape[1]

    def neuron(self, l) -> int:
        if l == self.sel_layer and self.sel_neuron is not None:
            return self.sel_neuron
        if l == self.rec.n_layers - 1 and self.rec.t is not None and self.n_out(l) > 1:
            return int(np.argmax(self.rec.t[self.s]))   # the output of the true class
        if self.n_out(l) > SMALL:   # a big layer: its most active neuron (neuron 0 may well be dead)
            return int(np.argmax(np.abs(self.rec.rec("forward", l)["a"][self.s])))
        return 0

    def n(self, v):
        return num(v, self.sig)

    def f(self, v):
        return term(v, self.sig)

    def layer_name(self, l) -> str:
        """The diagram's name of dense layer ``l``: hidden 1 … output."""
        return layer_title(l, self.rec.n_layers)

    def weights_shown(self, l, j, g=None) -> list[int]:
        """Which incoming weights of neuron j a phase writes out."""
        n_in = self.rec.layers[l].params["W"].shape[0]
        if n_in <= MAX_TERMS - 2:
            return list(range(n_in))
        if self.weight is not None and l == self.sel_layer:
            return [self.weight]
        key = np.abs(g[:, j]) if g is not None else np.abs(self.rec.layers[l].x[self.s])
        return sorted(np.argsort(-key, kind="stable")[:1].tolist())

    # -- forward ---------------------------------------------------------------------------
    def forward(self, l) -> dict:
        rec, s = self.rec, self.s
        snap, r = rec.layers[l], rec.rec("forward", l)
        j = self.neuron(l)
        W, b, x = snap.params["W"], snap.params["b"], snap.x[s]
        z, a = r["z"][s], r["a"][s]
        src = "x" if l == 0 else "a"
        act = snap.activation
        sym = ACT_SYMBOL.get(act, act)
        vals = {}
        contrib = W[:, j] * x
        idx = range(len(x)) if len(x) <= MAX_TERMS else sorted(np.argsort(-np.abs(contrib), kind="stable")[:SHOWN_TERMS])
        parts = []
        for i in idx:
            vals[f"w{i}"], vals[f"{src}{i}"] = float(W[i, j]), float(x[i])
            parts.append(f"{self.f(W[i, j])}·{self.f(x[i])}")
        if len(x) > MAX_TERMS:
            parts.append(more_terms(len(x) - SHOWN_TERMS))
        vals["b"] = float(b[j])
        zname = "z" if snap.bn is None else "z_lin"
        vals[zname] = float(snap.z_lin[s, j])
        lines = [f"z{sub(j)} = {' + '.join(parts)} + {self.f(b[j])} = {self.n(snap.z_lin[s, j])}"]
        notes = []
        if snap.bn is not None:
            zhat, gamma, beta = snap.bn["zhat"][s, j], snap.params["gamma"][j], snap.params["beta"][j]
            mu = float(snap.z_lin[:, j].mean())
            vals.update(mu=mu, inv_std=float(snap.bn["inv_std"][j]), zhat=float(zhat), gamma=float(gamma),
                        beta=float(beta), z=float(z[j]))
            lines.append(f"ẑ{sub(j)} = (z − μ)/√(σ² + ε) = ({self.n(snap.z_lin[s, j])} − {self.f(mu)})·"
                         f"{self.n(snap.bn['inv_std'][j])} = {self.n(zhat)}")
            lines.append(f"z{sub(j)} = γ·ẑ + β = {self.f(gamma)}·{self.f(zhat)} + {self.f(beta)} = {self.n(z[j])}")
            notes.append(_("batch-norm: z is centred and scaled over the batch (mean μ, variance σ²), "
                           "then γ and β (learned) set its scale and shift, before the activation"))
        a_act = snap.a_act[s, j]
        if act == "softmax":
            ez = " + ".join(f"e^{self.f(v)}" for v in z) if len(z) <= 4 else \
                _("Σ of {n} terms").format(n=len(z))
            lines.append(f"a{sub(j)} = e^z{sub(j)} / Σₖ e^zₖ = e^{self.f(z[j])} / ({ez}) = {self.n(a_act)}")
        else:
            lines.append(f"a{sub(j)} = {sym}({self.n(z[j])}) = {self.n(a_act)}")
        vals["a" if snap.mask is None else "f(z)"] = float(a_act)
        if snap.mask is not None:
            m = snap.mask[s, j]
            vals.update(mask=float(m), a=float(a[j]))
            lines.append(f"a{sub(j)} = f(z)·m = {self.f(a_act)}·{self.f(m)} = {self.n(a[j])}")
            notes.append(_("dropout p = {p}: in training each unit is dropped (m = 0) with probability p, "
                           "the rest scaled by m = 1/(1 − p); at test time a = f(z)").format(p=f"{snap.dropout:g}"))
        act_formula = ACT_FORMULA.get(act, act)
        act_formula = _(act_formula)
        formula = f"z = Σᵢ wᵢ·{src}ᵢ + b,  a = {act_formula}"
        if snap.bn is not None:
            formula = f"z = batchnorm(Σᵢ wᵢ·{src}ᵢ + b),  a = {act_formula}"
        if snap.mask is not None:
            formula += ",  " + _("then dropout: a = f(z)·m")
        arrays = {"x": snap.x, "W": W, "b": b, "z": r["z"], "a": r["a"]}
        return dict(phase="forward", layer=l, neuron=j, title=_("Forward, {layer} ({activation}), neuron {neuron}").format(
                        layer=self.layer_name(l), activation=display_name("activation", act), neuron=j),
                    formula=formula, filled="\n".join(lines), values=vals, arrays=arrays, notes=notes,
                    big=self.n_out(l) > SMALL, summary_of=("a", r["a"][s]))

    # -- loss ------------------------------------------------------------------------------
    def loss(self) -> dict:
        rec, s = self.rec, self.s
        r = rec.records("loss")[0]
        L = rec.n_layers - 1
        j = self.neuron(L)
        y, t = rec.trace.output(0)[s], rec.t[s]
        g = r["grad"][s, j]
        N = rec.divisor
        vals = {"L": float(r["value"]), "y": float(y[j]), "t": float(t[j]), "N": float(N), "grad": float(g)}
        d = f"{self.n(y[j])} − {self.f(t[j])}"
        name = rec.loss_name
        if rec.fused:
            formula = "L = −Σₖ tₖ·log yₖ,  " + _("softmax + cross-entropy fused: δ = ∂L/∂z = (y − t)/N")
            gline = f"δ{sub(j)} = ({d})/{self.n(N)} = {self.n(g)}"
        else:
            templates = {"mse": ("2(y − t)/N", f"2·({d})/{self.n(N)}"), "sse_half": ("(y − t)/N", f"({d})/{self.n(N)}"),
                         "mae": ("sign(y − t)/N", f"sign({d})/{self.n(N)}"),
                         "bce": ("(y − t)/(y(1 − y))/N", f"({d})/({self.n(y[j])}·(1 − {self.n(y[j])}))/{self.n(N)}"),
                         "cross_entropy": ("−t/y/N", f"−{self.f(t[j])}/{self.n(y[j])}/{self.n(N)}")}
            sym, fill = templates.get(name, ("∂ℓ/∂y / N", "…"))
            formula = f"{rec.loss_formula},  ∂L/∂y = {sym}"
            gline = f"∂L/∂y{sub(j)} = {fill} = {self.n(g)}"
        if y.size == 1 and rec.batch == 1 and name in ("mse", "sse_half"):
            half = "½·" if name == "sse_half" else ""
            lline = f"L = {half}({d})² = {self.n(r['value'])}"
        else:
            over = (_("({loss}, mean over N = {n})") if rec.reduction == "mean" else
                    _("({loss}, sum over N = {n})") if rec.reduction == "sum" else
                    "({loss}, " + rec.reduction + " N = {n})")
            lline = f"L = {self.n(r['value'])}  " + over.format(loss=name, n=self.n(N))
        notes = [_("softmax followed by cross-entropy: their derivatives cancel to y − t, so δ of the "
                   "output layer comes straight from the loss")] if rec.fused else []
        return dict(phase="loss", layer=None, neuron=j, title=_("Loss ({loss})").format(loss=display_name("loss", name)),
                    formula=formula,
                    filled=f"{lline}\n{gline}", values=vals, notes=notes,
                    arrays={"y": rec.trace.output(0), "t": rec.t, "grad": r["grad"]}, big=False, summary_of=None)

    # -- backward --------------------------------------------------------------------------
    def delta_lin(self, l) -> np.ndarray:
        return passed_back_delta(self.rec, l)

    def backward(self, l) -> dict:
        rec, s = self.rec, self.s
        snap, r = rec.layers[l], rec.rec("backward", l)
        j, act, last = self.neuron(l), snap.activation, l == rec.n_layers - 1
        delta = r["delta"]
        vals, lines, notes = {}, [], []
        src = "x" if l == 0 else "a"
        fsym = ACT_SYMBOL.get(act, "f") + "′(z)"
        if last and rec.fused:
            formula = _("δ = y − t (from the loss),  ∂L/∂w = δ·a_prev,  ∂L/∂b = δ")
            lines.append(f"δ{sub(j)} = {self.n(delta[s, j])}  " + from_loss())
        else:
            if last:
                dA = rec.records("loss")[0]["grad"]
                lines.append(f"∂L/∂a{sub(j)} = {self.n(dA[s, j])}  " + from_loss())
                formula = f"δ = ∂L/∂a · {fsym},  ∂L/∂w = δ·a_prev,  ∂L/∂b = δ"
            else:
                dnext, Wn = self.delta_lin(l + 1), rec.layers[l + 1].params["W"]
                dA = dnext @ Wn.T
                ks = range(Wn.shape[1]) if Wn.shape[1] <= MAX_TERMS else \
                    sorted(np.argsort(-np.abs(Wn[j] * dnext[s]), kind="stable")[:SHOWN_TERMS])
                parts = [f"{self.f(Wn[j, k])}·{self.f(dnext[s, k])}" for k in ks]
                if Wn.shape[1] > MAX_TERMS:
                    parts.append(more_terms(Wn.shape[1] - SHOWN_TERMS))
                for k in ks:
                    vals[f"w_next{k}"], vals[f"delta_next{k}"] = float(Wn[j, k]), float(dnext[s, k])
                lines.append(f"∂L/∂a{sub(j)} = Σₖ wⱼₖ·δₖ = {' + '.join(parts)} = {self.n(dA[s, j])}")
                formula = _("∂L/∂a = Σₖ wₖ·δₖ (layer above),  δ = ∂L/∂a · {fprime},  ∂L/∂w = δ·a_prev,  "
                            "∂L/∂b = δ").format(fprime=fsym)
            vals["dA"] = float(dA[s, j])
            dF = dA[s, j]
            if snap.mask is not None:
                dF = dA[s, j] * snap.mask[s, j]
                vals.update(mask=float(snap.mask[s, j]), dF=float(dF))
                lines.append(f"∂L/∂f = ∂L/∂a·m = {self.f(dA[s, j])}·{self.f(snap.mask[s, j])} = {self.n(dF)}")
                notes.append(_("dropout: a dropped unit (m = 0) passes no gradient back"))
            a, z = snap.a_act[s, j], rec.rec("forward", l)["z"][s, j]
            fp = {"sigmoid": a * (1 - a), "tanh": 1 - a * a, "relu": float(z > 0),
                  "leaky_relu": 1.0 if z > 0 else 0.01, "identity": 1.0}.get(act)
            if fp is None:  # softmax without its fused loss: not element-wise
                lines.append(f"δ{sub(j)} = aⱼ·(∂L/∂aⱼ − Σₖ ∂L/∂aₖ·aₖ) = {self.n(delta[s, j])}")
            else:
                vals["fprime"] = float(fp)
                how = {"sigmoid": f" = {self.n(a)}·(1 − {self.n(a)})", "tanh": f" = 1 − {self.f(a)}²"}.get(act, "")
                at = f"  (z = {self.n(z)})" if act in ("relu", "leaky_relu") else ""
                lines.append(f"{_(DERIV[act])}{how} = {self.n(fp)}{at}")
                lines.append(f"δ{sub(j)} = ∂L/∂a·{ACT_SYMBOL[act]}′(z) = {self.f(dF)}·{self.f(fp)} = {self.n(delta[s, j])}")
        vals["delta"] = float(delta[s, j])
        dl = self.delta_lin(l)
        if snap.bn is not None:
            vals["delta_bn"] = float(dl[s, j])
            lines.append(f"δ′{sub(j)} = " + _("δ through batch-norm") + f" = {self.n(dl[s, j])}")
            notes.append(_("batch-norm: δ is passed back through γ and the batch statistics before "
                           "it reaches W and b (every sample of the batch affects every other)"))
        dW, db = r["dW"], r["db"]
        xs = snap.x
        many = rec.batch > 1
        d_sym = "δ′" if snap.bn is not None else "δ"
        for i in self.weights_shown(l, j, dW):
            vals[f"dW[{i},{j}]"] = float(dW[i, j])
            if not many:
                vals[f"{src}{i}"] = float(xs[s, i])
            if many:
                lines.append(f"∂L/∂W[{i},{j}] = Σₙ {d_sym}·{src}{sub(i)} = {self.n(dW[i, j])}  "
                             + _("(over {n} samples)").format(n=rec.batch))
            else:
                lines.append(f"∂L/∂W[{i},{j}] = {d_sym}·{src}{sub(i)} = {self.f(dl[s, j])}·{self.f(xs[s, i])} = {self.n(dW[i, j])}")
        vals[f"db[{j}]"] = float(db[j])
        lines.append(f"∂L/∂b{sub(j)} = {'Σₙ ' if many else ''}{d_sym} = {self.n(db[j])}")
        if snap.bn is not None:
            vals.update(dgamma=float(r["dgamma"][j]), dbeta=float(r["dbeta"][j]))
            lines.append(f"∂L/∂γ{sub(j)} = Σₙ δ·ẑ = {self.n(r['dgamma'][j])},  ∂L/∂β{sub(j)} = Σₙ δ = {self.n(r['dbeta'][j])}")
        arrays = {"delta": delta, "dW": dW, "db": db, "x": xs, "W": snap.params["W"]}
        return dict(phase="backward", layer=l, neuron=j, title=_("Backward, {layer} ({activation}), neuron {neuron}").format(
                        layer=self.layer_name(l), activation=display_name("activation", act), neuron=j),
                    formula=formula, filled="\n".join(lines), values=vals, arrays=arrays, notes=notes,
                    big=self.n_out(l) > SMALL, summary_of=("δ", delta[s]))

    # -- update ----------------------------------------------------------------------------
    def update(self) -> dict:
        l = self.sel_layer
        j = self.neuron(l)
        rec, snap = self.rec, self.rec.layers[l]
        r, back = rec.rec("update", l), rec.rec("backward", l)
        formula, lines, vals = upd.explain(rec, l, [("W", (i, j)) for i in self.weights_shown(l, j, back["dW"])]
                                           + [("b", (j,))], self.sig)
        arrays = {"W_old": snap.params["W"], "W_new": r["W"], "b_old": snap.params["b"], "b_new": r["b"],
                  "dW": back["dW"]}
        return dict(phase="update", layer=l, neuron=j, title=_("Update ({optimizer}), {layer}, neuron {neuron}").format(
                        optimizer=display_name("optimizer", rec.optimizer), layer=self.layer_name(l), neuron=j),
                    formula=formula, filled="\n".join(lines), values=vals, arrays=arrays,
                    notes=[_("every weight of every layer changes in this phase; shown: the selected neuron's")],
                    big=self.n_out(l) > SMALL, summary_of=("ΔW", (r["W"] - snap.params["W"])[:, j]))


def build_phases(rec: StepRecord, select: tuple[int, int | None] | None = None, sig: int = 4,
                 sample: int = 0, weight: int | None = None) -> list[Phase]:
    """The phases of ``rec`` explaining neuron ``select = (layer, index)`` (default: the output).

    ``sig`` is the number of significant digits shown; ``sample`` which row of the batch the
    filled-in formulas use; ``weight`` which incoming weight a big layer writes out.
    Other layers explain their neuron 0 (the output layer: the true class's neuron; a layer of
    more than ``SMALL`` neurons: its most active one).
    """
    b = _Builder(rec, select, sig, sample, weight)
    items = [b.forward(l) for l in range(rec.n_layers)]
    if rec.trained:
        items.append(b.loss())
        items += [b.backward(l) for l in range(rec.n_layers - 1, -1, -1)]
        items.append(b.update())
    phases = []
    for k, d in enumerate(items):
        big, what = d.pop("big"), d.pop("summary_of")
        p = Phase(index=k, **d)
        p.lit = (tuple(range(rec.n_layers)) if p.phase == "update" else
                 (rec.n_layers - 1,) if p.phase == "loss" else (p.layer,))
        if big and what is not None:
            p.summary = summarize(what[1], by_magnitude=what[0] != "a")
            p.notes.append(summary_text(what[0], p.summary, sig))
        phases.append(p)
    return phases


def display_state(rec: StepRecord, phases: list[Phase], k: int) -> dict:
    """What the diagram shows at phase ``k``: weights, and a / δ of the layers reached so far.

    Built from the record only, so going back to phase 0 gives exactly the initial display.
    """
    if not 0 <= k < len(phases):
        raise NNVizError(N_("phase {phase}: there are phases 0..{last}"), phase=k, last=len(phases) - 1)
    L, ph = rec.n_layers, phases[k]
    updated = ph.phase == "update"
    W = [(rec.rec("update", l)["W"] if updated else s.params["W"]) for l, s in enumerate(rec.layers)]
    b = [(rec.rec("update", l)["b"] if updated else s.params["b"]) for l, s in enumerate(rec.layers)]
    a, delta, dW = [None] * L, [None] * L, [None] * L
    for p in phases[:k + 1]:
        if p.phase == "forward":
            a[p.layer] = p.arrays["a"]
        elif p.phase == "backward":
            delta[p.layer], dW[p.layer] = p.arrays["delta"], p.arrays["dW"]
    return {"phase": ph.phase, "layer": ph.layer, "x": rec.x, "W": W, "b": b, "a": a, "delta": delta, "dW": dW}
