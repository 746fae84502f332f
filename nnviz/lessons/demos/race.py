"""Optimizers racing, twice: first on the textbook surface f(x, y) = x²/20 + y² from the same
start (as in "Deep Learning from Scratch" ch. 6), then on a real network's loss surface
(:mod:`.realrace`: XOR on 2-4-1, a :class:`nnviz.timeline.Race`, the paths on the PCA plane).

The textbook paths use nnviz's own optimizers on a 2-vector, so they are the updates the
networks get.
"""
from __future__ import annotations

import numpy as np

from nnviz.core.optim import get_optimizer
from nnviz.i18n import _

START = (-7.0, 2.0)
RATES = {"sgd": 0.95, "momentum": 0.1, "adagrad": 1.5, "rmsprop": 0.1, "adam": 0.3}


def f(x, y):
    return x ** 2 / 20.0 + y ** 2


def grad_f(p: np.ndarray) -> np.ndarray:
    return np.array([p[0] / 10.0, 2.0 * p[1]])


def race(rates: dict[str, float] | None = None, start=START, steps: int = 30) -> dict[str, np.ndarray]:
    """``{optimizer: (steps + 1, 2) path}``, every path starting at ``start``."""
    paths = {}
    for name, lr in (rates or RATES).items():
        opt = get_optimizer(name, lr=lr)
        p = np.array(start, dtype=np.float64)
        path = [p.copy()]
        for _ in range(steps):
            opt.step(p, grad_f(p))
            path.append(p.copy())
        paths[name] = np.array(path)
    return paths


def contour_grid(xlim=(-10.0, 10.0), ylim=(-5.0, 5.0), n: int = 121):
    """``(xs, ys, Z)`` with ``Z[i, j] = f(xs[j], ys[i])`` for a contour plot."""
    xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)
    return xs, ys, f(X, Y)


def race_demo(steps: int = 30, rates: dict | None = None, real: bool = True, epochs: int | None = None,
              lr: float | None = None) -> dict:
    """The textbook race; with ``real`` also the race on XOR's real surface (``real``: its
    numbers, surface (JSON-able) and each optimizer's path on the plane)."""
    from nnviz.lessons.demos import realrace

    rates = dict(rates or RATES)
    paths = race(rates, steps=steps)
    xs, ys, Z = contour_grid()
    lines = [_("{optimizer} lr {lr} after {steps} steps at ({x}, {y}), f = {f}").format(
        optimizer=f"{n:<9}", lr=f"{rates[n]:g}", steps=steps, x=f"{p[-1, 0]:+.4f}", y=f"{p[-1, 1]:+.4f}",
        f=f"{f(*p[-1]):.3g}") for n, p in paths.items()]
    out = {"paths": paths, "rates": rates, "start": START, "xs": xs, "ys": ys, "Z": Z, "lines": lines,
           "fill": {"steps": str(steps), "epochs": str(epochs or realrace.EPOCHS),
                    "lr": f"{lr or realrace.LR:g}"}}
    if real:
        r = realrace.real_race(epochs=epochs or realrace.EPOCHS, lr=lr or realrace.LR)
        r.pop("paths")          # the flat checkpoints: the plane's coordinates are what is shown
        r["surface"] = r["surface"].as_dict()
        out["real"] = r
        out["lines"] = lines + [""] + realrace.real_lines(r)
    return out
