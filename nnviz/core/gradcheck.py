"""Gradient checking: backprop's gradients against central differences.

``(L(p + h) − L(p − h)) / 2h`` for each parameter entry, compared by relative error
``|a − b| / max(|a|, |b|, s)`` with ``s = 1e-3 × max|a|`` (the largest gradient): entries a
thousand times smaller than the largest one are judged against that scale, since their
central differences are mostly round-off (≈ 1e-11 absolute). With float64 and h = 1e-5
agreement is around 1e-8.
"""
from __future__ import annotations

import numpy as np

from nnviz.core.errors import N_, NNVizError, shown
from nnviz.core.network import Network


def _loss(net: Network, x, t) -> float:
    y = net.forward(x, train=True)
    return net.loss_value(y, t)


def numerical_gradient(net: Network, x, t, h: float = 1e-5, indices=None, reseed=None) -> np.ndarray:
    """Central-difference gradient of the loss w.r.t. ``net.flat_params`` (at ``indices``)."""
    p = net.flat_params
    idx = range(p.size) if indices is None else indices
    out = np.zeros(p.size)
    for i in idx:
        old = p[i]
        p[i] = old + h
        if reseed:
            reseed()
        lp = _loss(net, x, t)
        p[i] = old - h
        if reseed:
            reseed()
        lm = _loss(net, x, t)
        p[i] = old
        out[i] = (lp - lm) / (2 * h)
    return out


def gradient_check(net: Network, x, t, h: float = 1e-5, max_params: int | None = 400, seed: int = 0,
                   reseed=None) -> dict:
    """Relative error between backprop and central differences.

    Checks every parameter, or ``max_params`` of them drawn at random for a large network.
    ``reseed`` (e.g. resetting dropout's generator) is called before every loss evaluation so
    stochastic layers draw the same masks. Returns ``{"max_rel_error", "checked", "worst"}``.
    """
    if max_params is not None and (isinstance(max_params, bool) or int(max_params) != max_params
                                   or max_params < 1):
        raise NNVizError(N_("max_params must be a whole number ≥ 1 (or None for all), got {max_params}"), max_params=shown(max_params))
    if not (isinstance(h, (int, float)) and np.isfinite(h) and h > 0):
        raise NNVizError(N_("the step h must be a positive number, got {h}"), h=shown(h))
    x = net.as_input(x)
    t = np.asarray(t, dtype=net.dtype)
    if reseed:
        reseed()
    y = net.forward(x, train=True)
    net.backward(y, t)
    analytic = net.flat_grads.astype(np.float64).copy()
    n = net.n_params
    if max_params is not None and n > max_params:
        indices = np.random.default_rng(seed).choice(n, size=max_params, replace=False)
    else:
        indices = np.arange(n)
    numeric = numerical_gradient(net, x, t, h=h, indices=indices, reseed=reseed)
    a, b = analytic[indices], numeric[indices]
    scale = max(1e-3 * float(np.abs(analytic).max(initial=0.0)), 1e-12)
    denom = np.maximum(np.maximum(np.abs(a), np.abs(b)), scale)
    rel = np.abs(a - b) / denom
    worst = int(indices[int(np.argmax(rel))]) if len(rel) else -1
    names = [f"{net.layers[li].name}.{name}" for li, name, sl, _ in net.param_index for _ in range(sl.stop - sl.start)]
    return {"max_rel_error": float(rel.max()) if len(rel) else 0.0, "checked": int(len(indices)),
            "worst": names[worst] if worst >= 0 else None}
