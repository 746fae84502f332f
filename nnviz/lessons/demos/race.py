"""Optimizers racing on f(x, y) = x²/20 + y² from the same start (as in "Deep Learning from Scratch" ch. 6).

The paths use nnviz's own optimizers on a 2-vector, so they are the updates the networks get.
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


def race_demo(steps: int = 30, rates: dict | None = None) -> dict:
    rates = dict(rates or RATES)
    paths = race(rates, steps=steps)
    xs, ys, Z = contour_grid()
    lines = [_("{optimizer} lr {lr} after {steps} steps at ({x}, {y}), f = {f}").format(
        optimizer=f"{n:<9}", lr=f"{rates[n]:g}", steps=steps, x=f"{p[-1, 0]:+.4f}", y=f"{p[-1, 1]:+.4f}",
        f=f"{f(*p[-1]):.3g}") for n, p in paths.items()]
    return {"paths": paths, "rates": rates, "start": START, "xs": xs, "ys": ys, "Z": Z, "lines": lines,
            "fill": {"steps": str(steps)}}
