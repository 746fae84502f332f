"""Gradient check for a view: backprop against central differences, parameter by parameter.

``nnviz.core.gradcheck`` gives the summary ``nnviz gradcheck`` prints; a view needs every
checked entry with its name, both gradients and the relative error (same formula).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nnviz.core.gradcheck import numerical_gradient
from nnviz.core.network import Network
from nnviz.i18n import _


@dataclass(frozen=True)
class GradRow:
    name: str          # e.g. "layer0.W[1,0]"
    layer: int         # 0-based dense layer
    param: str         # "W", "b", "gamma", "beta"
    index: tuple
    backprop: float
    numeric: float
    rel_error: float


def _names(net: Network):
    out = []
    for li, name, sl, shape in net.param_index:
        for k in range(sl.stop - sl.start):
            idx = np.unravel_index(k, shape)
            out.append((li, name, tuple(int(i) for i in idx)))
    return out


def gradient_table(net: Network, x, t, h: float = 1e-5, max_params: int | None = 400, seed: int = 0) -> list[GradRow]:
    """One row per checked parameter (all of them, or ``max_params`` drawn at random for big nets).

    The relative error is ``|a − b| / max(|a|, |b|, s)`` with ``s = 1e-3 × max|a|``, as in
    :func:`nnviz.core.gradcheck.gradient_check`. The network's weights are left unchanged.
    """
    x = net.as_input(x)
    t = np.asarray(t, dtype=net.dtype).reshape(len(x), -1)
    y = net.forward(x, train=True)
    net.backward(y, t)
    analytic = net.flat_grads.astype(np.float64).copy()
    n = net.n_params
    if max_params is not None and n > max_params:
        indices = np.sort(np.random.default_rng(seed).choice(n, size=max_params, replace=False))
    else:
        indices = np.arange(n)
    numeric = numerical_gradient(net, x, t, h=h, indices=indices)
    scale = max(1e-3 * float(np.abs(analytic).max(initial=0.0)), 1e-12)
    names = _names(net)
    rows = []
    for i in indices:
        a, b = float(analytic[i]), float(numeric[i])
        li, pname, idx = names[i]
        label = f"{net.layers[li].name}.{pname}[{','.join(map(str, idx))}]"
        rows.append(GradRow(label, li, pname, idx, a, b, abs(a - b) / max(abs(a), abs(b), scale)))
    return rows


def gradcheck_demo(preset: str = "network-2-2-1", sample: int | None = None) -> dict:
    from nnviz.lessons.stepping import preset_settings, sample_batch
    from nnviz.experiment import build
    from nnviz.presets import preset_data

    p, s = preset_settings(preset)
    exp = build(s.replace(dtype="float64"), data=preset_data(p, s))
    x, t = sample_batch(exp, sample, all_samples=p.trace_all and sample is None)
    rows = gradient_table(exp.net, x, t)
    worst = max(r.rel_error for r in rows)
    row = _("{name} backprop {backprop}  numeric {numeric}  rel. error {error}")
    lines = [row.format(name=f"{r.name:<16}", backprop=f"{r.backprop:+.10f}", numeric=f"{r.numeric:+.10f}",
                        error=f"{r.rel_error:.2e}") for r in rows]
    lines.append(_("largest relative error {error} over {n} parameters").format(error=f"{worst:.2e}", n=len(rows)))
    return {"rows": rows, "max_rel_error": worst, "lines": lines, "fill": {"max_rel_error": f"{worst:.1e}"}}
