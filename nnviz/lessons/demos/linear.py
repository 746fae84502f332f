"""No non-linearity: stacked identity layers collapse to one linear map, so the boundary stays a line."""
from __future__ import annotations

import numpy as np

from nnviz.core.network import Network, build_mlp
from nnviz.i18n import _
from nnviz.lessons.demos.gates import decision_line
from nnviz.lessons.fmt import linear_text, num


def collapse(net: Network) -> tuple[np.ndarray, np.ndarray]:
    """``(W, b)`` with ``net(x) = x·W + b`` for a network whose layers are all identity."""
    W = np.eye(net.n_inputs)
    b = np.zeros(net.n_inputs)
    for layer in net.dense_layers():
        W, b = W @ layer.W, b @ layer.W + layer.b
    return W, b


def affine_residual(net: Network, x: np.ndarray) -> float:
    """How far the network is from *any* affine map on ``x`` (least squares; 0 for identity layers)."""
    y = net.forward(x)
    X = np.hstack([x, np.ones((len(x), 1))])
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    return float(np.abs(X @ coef - y).max())


def collapse_demo(sizes=(2, 4, 4, 1), seed: int = 0, threshold: float | None = None) -> dict:
    """Collapse a random identity network; compare with the same shape using tanh.

    The boundary is where the output equals ``threshold`` (default: the median output).
    """
    lin = build_mlp(list(sizes), activation="identity", bias_init="uniform", seed=seed)
    W, b = collapse(lin)
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(200, sizes[0]))
    err = float(np.abs(lin.forward(x) - (x @ W + b)).max())
    tanh = build_mlp(list(sizes), activation="tanh", output_activation="identity", bias_init="uniform", seed=seed)
    res_lin, res_tanh = affine_residual(lin, x), affine_residual(tanh, x)
    res = {"W": W, "b": b, "max_error": err, "affine_residual_identity": res_lin,
           "affine_residual_tanh": res_tanh, "sizes": list(sizes)}
    lines = [_("{sizes} with identity activations is one linear map:").format(sizes="-".join(map(str, sizes))),
             f"W = {np.array2string(W.ravel(), precision=4)}, b = {np.array2string(b, precision=4)}",
             _("max |net(x) − (x·W + b)| over {n} points = {error}").format(n=len(x), error=f"{err:.2e}"),
             _("distance from the best affine map: identity net {identity}, tanh net {tanh}").format(
                 identity=f"{res_lin:.2e}", tanh=f"{res_tanh:.3g}")]
    if sizes[0] == 2 and sizes[-1] == 1:
        if threshold is None:  # split the sample points in half, so the line crosses the square
            threshold = float(np.median(lin.forward(x)))
        w1, w2, b0 = W[0, 0], W[1, 0], b[0] - threshold
        seg = decision_line(w1, w2, b0, -1.0, 1.0)
        res["boundary"] = seg
        res["boundary_coef"] = (float(w1), float(w2), float(b0))
        lines.append(_("decision boundary net(x) = {threshold}: the line {line} = 0").format(
            threshold=num(threshold), line=linear_text((w1, w2), b0)))
    res["lines"] = lines
    res["fill"] = {"depth": str(len(sizes) - 1), "error": f"{err:.1e}"}
    return res
