"""Each optimizer's update of one weight, in symbols and filled in with that weight's values.

The formulas are ``nnviz.core.optim``'s (PyTorch's); the state before the step comes from the
record, the state and the weight after it from the trace.
"""
from __future__ import annotations

import math

from nnviz.i18n import _
from nnviz.lessons.fmt import num, sub, sup, term
from nnviz.lessons.record import StepRecord

FORMULAS = {
    "sgd": "w′ = w − η·g",
    "momentum": "b = μ·b + g,  w′ = w − η·b",
    "nesterov": "b = μ·b + g,  w′ = w − η·(g + μ·b)",
    "adagrad": "s = s + g²,  w′ = w − η·g/(√s + ε)",
    "rmsprop": "v = α·v + (1 − α)·g²,  w′ = w − η·g/(√v + ε)",
    "adam": "m = β₁·m + (1 − β₁)·g,  v = β₂·v + (1 − β₂)·g²,  mᶜ = m/(1 − β₁ᵗ),  vᶜ = v/(1 − β₂ᵗ),  "
            "w′ = w − η·mᶜ/(√vᶜ + ε)",
}
STATE_KEYS = {"momentum": {"b": "buf"}, "nesterov": {"b": "buf"}, "adagrad": {"s": "sum"},
              "rmsprop": {"v": "square_avg"}, "adam": {"m": "exp_avg", "v": "exp_avg_sq"}}


def _label(name, idx):
    return f"W[{idx[0]},{idx[1]}]" if name == "W" else f"{name}{sub(idx[0])}"


def explain(rec: StepRecord, layer: int, params: list[tuple[str, tuple]], sig: int = 4):
    """``(formula, lines, values)`` for the update of ``params`` (``[("W", (i, j)), ("b", (j,))]``)."""
    n, f = (lambda v: num(v, sig)), (lambda v: term(v, sig))
    hp, opt = rec.hyper, rec.optimizer
    wd, l1 = hp.get("weight_decay", 0.0), hp.get("l1", 0.0)
    formula = "g = ∂L/∂w" + (" + λ₂·w" if wd else "") + (" + λ₁·sign(w)" if l1 else "") + ",  " + FORMULAS[opt]
    if opt == "adam":
        formula += "  " + _("(ᶜ: bias-corrected)")
    snap, back, upd = rec.layers[layer], rec.rec("backward", layer), rec.rec("update", layer)
    before, after = rec.state_before[layer], upd["state"]
    t = rec.t_before + 1
    lr = upd["lr"]
    lines, vals = [], {"lr": lr}
    if opt == "adam":
        vals["t"] = t
    for name, idx in params:
        start = len(lines)
        lab = _label(name, idx)
        w, grad, new = snap.params[name][idx], back[f"d{name}"][idx], upd[name][idx]
        g = grad + wd * w + l1 * math.copysign(1.0, w) * (w != 0)
        v = {"w": float(w), "dL": float(grad), "g": float(g), "new": float(new)}
        if wd or l1:
            pen = (f" + {n(wd)}·{f(w)}" if wd else "") + (f" + {n(l1)}·sign({n(w)})" if l1 else "")
            lines.append(f"g = {f(grad)}{pen} = {n(g)}")
        st = {k: (float(before[f'{key}.{name}'][idx]) if f"{key}.{name}" in before else None,
                  float(after[f'{key}.{name}'][idx])) for k, key in STATE_KEYS.get(opt, {}).items()}
        for k, (old, cur) in st.items():
            v[f"{k}_old"], v[k] = (0.0 if old is None else old), cur
        if opt == "sgd":
            lines.append(f"{lab}′ = {f(w)} − {n(lr)}·{f(g)} = {n(new)}")
        elif opt in ("momentum", "nesterov"):
            mu = hp["momentum"]
            old, b = st["b"]
            if old is None:
                lines.append(f"b = g = {n(b)}  " + _("(first step)"))
            else:
                lines.append(f"b = {n(mu)}·{f(old)} + {f(g)} = {n(b)}")
            if opt == "momentum":
                lines.append(f"{lab}′ = {f(w)} − {n(lr)}·{f(b)} = {n(new)}")
            else:
                lines.append(f"{lab}′ = {f(w)} − {n(lr)}·({f(g)} + {n(mu)}·{f(b)}) = {n(new)}")
        elif opt == "adagrad":
            old, s = st["s"]
            lines.append(f"s = {f(old or 0.0)} + {f(g)}² = {n(s)}")
            lines.append(f"{lab}′ = {f(w)} − {n(lr)}·{f(g)}/(√{n(s)} + {n(hp['eps'])}) = {n(new)}")
        elif opt == "rmsprop":
            al = hp["alpha"]
            old, s = st["v"]
            lines.append(f"v = {n(al)}·{f(old or 0.0)} + {n(1 - al)}·{f(g)}² = {n(s)}")
            lines.append(f"{lab}′ = {f(w)} − {n(lr)}·{f(g)}/(√{n(s)} + {n(hp['eps'])}) = {n(new)}")
        elif opt == "adam":
            b1, b2 = hp["beta1"], hp["beta2"]
            (mo, m), (vo, vv) = st["m"], st["v"]
            mh, vh = m / (1 - b1 ** t), vv / (1 - b2 ** t)
            v.update(m_hat=mh, v_hat=vh)
            lines.append(f"m = {n(b1)}·{f(mo or 0.0)} + {n(1 - b1)}·{f(g)} = {n(m)}")
            lines.append(f"v = {n(b2)}·{f(vo or 0.0)} + {n(1 - b2)}·{f(g)}² = {n(vv)}")
            lines.append(f"mᶜ = {f(m)}/(1 − {n(b1)}{sup(t)}) = {n(mh)}")
            lines.append(f"vᶜ = {n(vv)}/(1 − {n(b2)}{sup(t)}) = {n(vh)}")
            lines.append(f"{lab}′ = {f(w)} − {n(lr)}·{f(mh)}/(√{n(vh)} + {n(hp['eps'])}) = {n(new)}")
        if len(lines) - start > 1:  # a block per weight, so g, m, v are not mixed up
            lines[start:] = [f"{lab}:"] + ["  " + ln for ln in lines[start:]]
        vals.update({f"{lab}.{k}": val for k, val in v.items()})
    return formula, lines, vals
