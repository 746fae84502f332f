"""Initialisation: zeros keep every hidden neuron identical; bad scales saturate or vanish activations."""
from __future__ import annotations

import numpy as np

from nnviz.core.init import INITIALIZERS
from nnviz.core.network import build_mlp
from nnviz.core.optim import get_optimizer
from nnviz.i18n import N_, _


def zeros_symmetry(steps: int = 50, init: str = "zeros", seed: int = 0) -> np.ndarray:
    """Spread between the hidden neurons of a 2-4-1 sigmoid net trained on XOR, after each step.

    The spread is the largest difference between any hidden neuron's incoming weights (and bias)
    and neuron 0's: with zeros it stays exactly 0 (the neurons stay identical, one neuron's worth).
    """
    net = build_mlp([2, 4, 1], activation="sigmoid", init=init, seed=seed)
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    t = np.array([[0], [1], [1], [0]], dtype=float)
    opt = get_optimizer("sgd", lr=0.5)
    spread = []
    for _ in range(steps):
        net.train_step(x, t, opt)
        h = net.layers[0]
        cols = np.vstack([h.W, h.b[None, :]])
        spread.append(float(np.abs(cols - cols[:, :1]).max()))
    return np.array(spread)


SCHEMES = {"normal σ=1": ("normal", {"std": 1.0}), "normal σ=0.01": ("normal", {"std": 0.01}),
           "xavier": ("xavier_normal", {}), "he": ("he_normal", {})}
#: What a view shows for each scheme (its legend): translate with ``_(SCHEME_LABELS[scheme])``.
SCHEME_LABELS = {"normal σ=1": N_("normal σ = 1"), "normal σ=0.01": N_("normal σ = 0.01"),
                 "xavier": N_("Xavier"), "he": N_("He")}


def activation_stats(activation: str = "sigmoid", scheme: str = "xavier", width: int = 100, depth: int = 5,
                     samples: int = 1000, seed: int = 0, bins: int = 20) -> list[dict]:
    """Per layer: mean, std, the saturated (sigmoid/tanh) or zero (ReLU) fraction, a histogram."""
    name, opts = SCHEMES[scheme]
    init = INITIALIZERS.create(name, **opts)
    net = build_mlp([width] * (depth + 1), activation=activation, init=init, seed=seed)
    x = np.random.default_rng(seed).standard_normal((samples, width))
    tr = net.trace_forward(x)
    out = []
    for r in tr.select(phase="forward"):
        a = r["a"]
        if activation == "sigmoid":
            sat, rng = float(((a < 0.02) | (a > 0.98)).mean()), (0.0, 1.0)
        elif activation == "tanh":
            sat, rng = float((np.abs(a) > 0.98).mean()), (-1.0, 1.0)
        else:
            sat, rng = float((a <= 0).mean()), (0.0, max(float(a.max()), 1e-12))
        counts, edges = np.histogram(a, bins=bins, range=rng)
        out.append({"layer": r["layer"], "mean": float(a.mean()), "std": float(a.std()), "saturated": sat,
                    "hist": counts, "edges": edges})
    return out


def init_demo(activation: str = "sigmoid", steps: int = 50) -> dict:
    zeros, xavier = zeros_symmetry(steps, "zeros"), zeros_symmetry(steps, "xavier_normal")
    stats = {(act, sch): activation_stats(act, sch)
             for act in ("sigmoid", "relu") for sch in SCHEMES if not (act == "sigmoid" and sch == "he")}
    lines = [_("zeros: hidden neurons differ by at most {zeros} after {steps} steps (identical); "
               "xavier: by {xavier}").format(zeros=f"{zeros.max():.3g}", steps=steps, xavier=f"{xavier[-1]:.3g}")]
    for (act, sch), layers in stats.items():
        what = _("{layer}: std {std}, zero {percent}%") if act == "relu" else \
            _("{layer}: std {std}, saturated {percent}%")
        desc = "  ".join(what.format(layer=f"L{l['layer']}", std=f"{l['std']:.3f}",
                                     percent=f"{l['saturated'] * 100:.0f}") for l in layers)
        lines.append(f"{act:<7} {sch:<13} {desc}")
    return {"zeros_spread": zeros, "xavier_spread": xavier, "stats": stats, "lines": lines,
            "fill": {"steps": str(steps)}}
