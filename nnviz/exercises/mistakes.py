"""The wrong values known mistakes give, computed from the record (see :mod:`.grading`).

Each ``for_*`` returns ``[(key, wrong value, hint values), ...]`` for one question: a key of
:data:`nnviz.exercises.grading.HINTS`, the value a learner who made that mistake (and nothing
else wrong) would type, and what the hint names. Order matters: the first matching one is
reported. Values equal to the right answer are skipped when grading.
"""
from __future__ import annotations

import math

import numpy as np

from nnviz.lessons.phases import ACT_SYMBOL, passed_back_delta
from nnviz.lessons.record import StepRecord

ELEMENTWISE = ("sigmoid", "tanh", "relu", "leaky_relu", "identity")


def delta_lin(rec: StepRecord, l: int) -> np.ndarray:
    """δ of layer ``l`` as it reaches W and b (through batch-norm when there is one)."""
    return passed_back_delta(rec, l)


def _lay(rec, l):
    return ("layer", l, rec.n_layers)


def _sign(e):
    return [("sign", -float(e), {})]


def _mean(rec):
    """``forgot_mean`` scales every gradient by N (none when N is 1)."""
    return rec.divisor if rec.divisor != 1 else None


def wrong_inputs(rec: StepRecord, l: int) -> list[tuple[str, np.ndarray, dict]]:
    """``(key, the batch of wrong inputs, hint values)`` a learner may use instead of layer ``l``'s input."""
    n_in, L = rec.layers[l].x.shape[1], rec.n_layers
    out = []
    if l > 0 and rec.x.shape[1] == n_in:
        out.append(("x_for_a", rec.x, {"layer": _lay(rec, l), "prev": _lay(rec, l - 1)}))
    for k in [l] + [k for k in range(L) if k not in (l, l - 1)]:
        a = rec.rec("forward", k)["a"]
        if a.shape[1] != n_in:
            continue
        if l == 0:
            out.append(("a_for_x", a, {"used": _lay(rec, k), "layer": _lay(rec, l)}))
        else:
            out.append(("wrong_a", a, {"used": _lay(rec, k), "layer": _lay(rec, l), "prev": _lay(rec, l - 1)}))
    return out


def dA(rec: StepRecord, l: int) -> np.ndarray:
    """∂L/∂a of layer ``l`` (the batch)."""
    if l == rec.n_layers - 1:
        return rec.records("loss")[0]["grad"]
    return delta_lin(rec, l + 1) @ rec.layers[l + 1].params["W"].T


def _fprime(act, a, z):
    return {"sigmoid": lambda: a * (1 - a), "tanh": lambda: 1 - a * a, "relu": lambda: (z > 0).astype(a.dtype),
            "leaky_relu": lambda: np.where(z > 0, 1.0, 0.01), "identity": lambda: np.ones_like(a)}[act]()


def wrong_deltas(rec: StepRecord, l: int) -> list[tuple[str, np.ndarray, dict]]:
    """δ (the batch) with σ(z) in place of σ′(z), and with the derivative left out."""
    snap = rec.layers[l]
    act = snap.activation
    if act not in ELEMENTWISE or snap.bn is not None or (l == rec.n_layers - 1 and rec.fused):
        return []
    dF = dA(rec, l)
    if snap.mask is not None:
        dF = dF * snap.mask
    sym = {"f": ACT_SYMBOL.get(act, act)}
    return [("sigma_for_prime", dF * snap.a_act, sym), ("forgot_prime", dF, sym)]


def for_z(rec, l, j, s):
    snap = rec.layers[l]
    e = rec.rec("forward", l)["z"][s, j]
    out = _sign(e)
    if snap.bn is None:
        W, b = snap.params["W"], snap.params["b"]
        out.append(("forgot_bias", float(e - b[j]), {"b": float(b[j])}))
        out += [(key, float(alt[s] @ W[:, j] + b[j]), vals) for key, alt, vals in wrong_inputs(rec, l)]
    return out


def for_a(rec, l, j, s):
    e = rec.rec("forward", l)["a"][s, j]
    act = rec.layers[l].activation
    return _sign(e) + [("z_for_a", float(rec.rec("forward", l)["z"][s, j]), {"f": ACT_SYMBOL.get(act, act)})]


def for_loss(rec):
    e = rec.records("loss")[0]["value"]
    n = _mean(rec)
    return _sign(e) + ([("forgot_mean", float(e * n), {"n": _count(n)})] if n else [])


def _count(n):
    return int(n) if float(n).is_integer() else n


def _scaled(rec, e):
    n = _mean(rec)
    return [("forgot_mean", float(e * n), {"n": _count(n)})] if n else []


def for_dA(rec, l, j, s, e):
    out = _sign(e) + _scaled(rec, e)
    if l == rec.n_layers - 1 and rec.loss_name == "mse":
        out.append(("mse_factor", float(e / 2), {}))
    return out


def for_delta(rec, l, j, s):
    e = rec.rec("backward", l)["delta"][s, j]
    return _sign(e) + [(k, float(d[s, j]), v) for k, d, v in wrong_deltas(rec, l)] + _scaled(rec, e)


def for_dW(rec, l, i, j):
    e = rec.rec("backward", l)["dW"][i, j]
    snap = rec.layers[l]
    out = _sign(e)
    if snap.bn is None:
        dl = delta_lin(rec, l)
        out += [(k, float(d[:, j] @ snap.x[:, i]), v) for k, d, v in wrong_deltas(rec, l)]
        out += [(k, float(dl[:, j] @ alt[:, i]), v) for k, alt, v in wrong_inputs(rec, l)]
    return out + _scaled(rec, e)


def for_db(rec, l, j):
    e = rec.rec("backward", l)["db"][j]
    out = _sign(e)
    if rec.layers[l].bn is None:
        out += [(k, float(d[:, j].sum()), v) for k, d, v in wrong_deltas(rec, l)]
    return out + _scaled(rec, e)


def for_update(rec, l, name, idx):
    """W′ or b′: the update's direction, the learning rate, and each optimizer's own state."""
    snap, r, back = rec.layers[l], rec.rec("update", l), rec.rec("backward", l)
    w, new, grad = float(snap.params[name][idx]), float(r[name][idx]), float(back[f"d{name}"][idx])
    lr, hp, opt = float(r["lr"]), rec.hyper, rec.optimizer
    wd, l1 = hp.get("weight_decay", 0.0), hp.get("l1", 0.0)
    g = grad + wd * w + l1 * math.copysign(1.0, w) * (w != 0)
    step = w - new
    out = [("wrong_direction", w + step, {}), ("forgot_lr", w - step / lr, {"lr": lr}),
           ("gave_gradient", grad, {}), ("gave_change", new - w, {})]
    oname = ("name", "optimizer", opt)
    if opt in ("momentum", "nesterov"):
        out.append(("ignored_momentum", w - lr * g, {"optimizer": oname}))
    elif opt in ("adagrad", "rmsprop", "adam"):
        if opt == "adam":
            st = r["state"]
            m, v = float(st[f"exp_avg.{name}"][idx]), float(st[f"exp_avg_sq.{name}"][idx])
            out.append(("no_bias_correction", w - lr * m / (math.sqrt(v) + hp["eps"]), {}))
        out.append(("ignored_scaling", w - lr * g, {"optimizer": oname}))
    elif opt == "sgd" and _mean(rec):
        out.append(("forgot_mean", w - lr * (grad * rec.divisor + g - grad), {"n": _count(rec.divisor)}))
    return out
