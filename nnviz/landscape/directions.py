"""The two directions d₁, d₂ that span a slice of weight space through the current weights θ.

Three kinds, each a :class:`Directions` (two flat vectors laid out like ``net.flat_params`` and
a JSON-able description of how they were made):

* :func:`axis_directions` — two named parameters (``w:LAYER:ROW:COL`` for ``W[ROW, COL]`` of
  dense layer ``LAYER`` in the ``in_out`` layout, ``b:LAYER:INDEX`` for a bias; all 0-based):
  unit vectors on those coordinates, so α and β are exactly the changes of those two numbers.
* :func:`random_directions` — Gaussian directions, **filter-normalised** (Li et al., 2018,
  "Visualizing the Loss Landscape of Neural Nets"): for every neuron ``j`` of every layer the
  direction's incoming weights ``d[:, j]`` are scaled so that ``‖d[:, j]‖ = ‖W[:, j]‖``. Biases
  and batch-norm's γ, β are left out (zero in the direction: the paper's "ignore biasbn"
  option) unless ``bias="filter"``, which puts each bias into its neuron's vector
  ``[W[:, j]; b_j]`` and normalises that vector as a whole.
* :func:`pca_directions` — the two principal directions of a training path (checkpoints minus
  θ, centred), with the fraction of the path's variance each explains.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from nnviz.core.errors import N_, NNVizError, shown

KINDS = ("axes", "random", "pca")


@dataclass
class Directions:
    """``d1``, ``d2`` (flat, like ``net.flat_params``) and how they were made (``info``)."""

    d1: np.ndarray
    d2: np.ndarray
    kind: str
    info: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"kind": self.kind, **self.info,
                "norms": [float(np.linalg.norm(self.d1)), float(np.linalg.norm(self.d2))]}


# -- named parameters ------------------------------------------------------------------------
_AXIS = re.compile(r"\s*([wb])\s*:\s*(\d+)\s*:\s*(\d+)\s*(?::\s*(\d+)\s*)?")


def param_slice(net, layer: int, name: str) -> slice:
    for li, n, sl, _shape in net.param_index:
        if li == layer and n == name:
            return sl
    raise KeyError((layer, name))


def parse_axis(text: str, net) -> tuple[int, str]:
    """``"w:0:1:2"`` → (flat index of layer 0's ``W[1, 2]``, canonical label ``"w:0:1:2"``)."""
    m = _AXIS.fullmatch(str(text))
    if not m or (m.group(1) == "w") != (m.group(4) is not None):
        raise NNVizError(N_("axis {text}: expected w:LAYER:ROW:COL (a weight) or b:LAYER:INDEX (a bias), 0-based, e.g. w:0:1:0"), text=shown(text))
    kind, layer = m.group(1), int(m.group(2))
    n_layers = len(net.layers)
    if layer >= n_layers:
        raise NNVizError(N_("axis {text}: the network has layers 0 to {last}"), text=shown(text), last=n_layers - 1)
    dense = net.layers[layer]
    if kind == "w":
        row, col = int(m.group(3)), int(m.group(4))
        if row >= dense.n_in or col >= dense.n_out:
            raise NNVizError(N_("axis {text}: layer {layer}'s W has rows 0 to {rows} and columns 0 to {cols}"), text=shown(text), layer=layer, rows=dense.n_in - 1, cols=dense.n_out - 1)
        return param_slice(net, layer, "W").start + row * dense.n_out + col, f"w:{layer}:{row}:{col}"
    index = int(m.group(3))
    if index >= dense.n_out:
        raise NNVizError(N_("axis {text}: layer {layer} has biases 0 to {last}"), text=shown(text), layer=layer, last=dense.n_out - 1)
    return param_slice(net, layer, "b").start + index, f"b:{layer}:{index}"


def axis_directions(net, axes) -> Directions:
    """Unit vectors on two named parameters (``axes``: a pair of texts or ``"a,b"``)."""
    if isinstance(axes, str):
        axes = [a for a in axes.split(",")]
    axes = list(axes)
    if len(axes) != 2:
        raise NNVizError(N_("--axes needs two parameters separated by a comma (e.g. w:0:0:0,w:0:1:0), random or pca; got {text}"), text=shown(",".join(map(str, axes))))
    (i, a), (j, b) = parse_axis(axes[0], net), parse_axis(axes[1], net)
    if i == j:
        raise NNVizError(N_("--axes names {axis} twice: choose two different parameters"), axis=a)
    d1 = np.zeros(net.n_params, dtype=net.dtype)
    d2 = np.zeros(net.n_params, dtype=net.dtype)
    d1[i] = d2[j] = 1
    return Directions(d1, d2, "axes", {"axes": [a, b], "index": [int(i), int(j)],
                                       "values": [float(net.flat_params[i]), float(net.flat_params[j])]})


# -- random, filter-normalised -----------------------------------------------------------------
def filter_normalize(direction: np.ndarray, net, params: np.ndarray | None = None,
                     bias: str = "zero") -> np.ndarray:
    """A copy of ``direction`` scaled per neuron to the norm of that neuron's weights.

    For every layer and every output neuron ``j``: ``d[:, j] ← d[:, j] · ‖W[:, j]‖ / ‖d[:, j]‖``
    (``W`` taken from ``params``, default the network's own). ``bias="zero"``: biases and
    batch-norm parameters get 0; ``bias="filter"``: the vector ``[W[:, j]; b_j]`` is normalised
    as one (batch-norm parameters still 0).
    """
    if bias not in ("zero", "filter"):
        raise NNVizError(N_("bias must be zero or filter, got {bias}"), bias=shown(bias))
    params = net.flat_params if params is None else params
    out = np.zeros_like(direction)
    layer_d, layer_w, layer_o = net.split(direction), net.split(params), net.split(out)
    for d, w, o in zip(layer_d, layer_w, layer_o):
        dW, W = d["W"], w["W"]
        if bias == "filter":
            dW, W = np.vstack([dW, d["b"][None, :]]), np.vstack([W, w["b"][None, :]])
        wn = np.linalg.norm(W, axis=0)
        dn = np.linalg.norm(dW, axis=0)
        scaled = dW * (wn / (dn + 1e-10))[None, :]
        if bias == "filter":
            o["W"][...], o["b"][...] = scaled[:-1], scaled[-1]
        else:
            o["W"][...] = scaled
    return out


def random_directions(net, seed: int = 0, bias: str = "zero", params: np.ndarray | None = None) -> Directions:
    """Two Gaussian directions (``numpy.random.default_rng(seed)``), each filter-normalised."""
    rng = np.random.default_rng(seed)
    ds = [filter_normalize(rng.standard_normal(net.n_params).astype(net.dtype), net, params, bias)
          for _ in range(2)]
    cos = float(ds[0] @ ds[1] / max(np.linalg.norm(ds[0]) * np.linalg.norm(ds[1]), 1e-300))
    return Directions(ds[0], ds[1], "random", {
        "seed": int(seed), "normalisation": "filter", "bias": bias,
        "note": ("per neuron ||d[:, j]|| = ||W[:, j]||; biases and batch-norm parameters 0"
                 if bias == "zero" else
                 "per neuron ||[d[:, j]; db_j]|| = ||[W[:, j]; b_j]||; batch-norm parameters 0"),
        "cosine": cos})


# -- principal directions of a path -------------------------------------------------------------
def pca_directions(center: np.ndarray, points) -> Directions:
    """The path's two principal directions (unit, orthogonal) and their explained variance.

    ``points``: the checkpoints' flat parameters, (n, P) or a list of such arrays (several
    runs: pooled). The rows minus ``center`` are centred and decomposed (SVD).
    """
    rows = _stack(points)
    if len(rows) < 3:
        raise NNVizError(N_("the principal directions need a path of at least 3 checkpoints, got {n}"), n=len(rows))
    m = rows.astype(np.float64) - np.asarray(center, dtype=np.float64)[None, :]
    m -= m.mean(axis=0, keepdims=True)
    s, vt = _top_two(m)
    var = s * s
    total = float(np.einsum("ij,ij->", m, m))      # the whole spread (‖m‖²_F = Σ σ²)
    if total <= 0 or not var[0] > 0:
        raise NNVizError(N_("the path does not move: its checkpoints are all the same weights"))
    ratio = [float(v / total) for v in var[:2]]
    dtype = np.asarray(center).dtype
    d1, d2 = vt[0], vt[1]
    # a fixed sign: the path's first checkpoint lies at negative α and β (it starts lower left)
    start = rows[0] - np.asarray(center, dtype=np.float64)
    if start @ d1 > 0:
        d1 = -d1
    if start @ d2 > 0:
        d2 = -d2
    return Directions(d1.astype(dtype), d2.astype(dtype), "pca",
                      {"explained_variance": ratio, "checkpoints": len(rows)})


#: Matrices whose smaller side is at most this are decomposed exactly (a full SVD); bigger
#: ones (a live race of a ~1 000-parameter net: 1 600 × 925 took 3 s) by a randomised range
#: finder with power iterations (Halko, Martinsson & Tropp, 2011), exact to rounding for a path,
#: whose spread lies in a few directions, in a few milliseconds.
EXACT_SVD = 256


def _top_two(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The two largest singular values of ``m`` and their right singular vectors (rows)."""
    if min(m.shape) <= EXACT_SVD:
        _u, s, vt = np.linalg.svd(m, full_matrices=False)
        s, vt = s[:2], vt[:2]
    else:
        k = 12                                       # 2 wanted + 10 oversampling
        omega = np.random.default_rng(0).standard_normal((m.shape[1], k))
        q, _r = np.linalg.qr(m @ omega)
        for _i in range(6):                          # power iterations sharpen the top directions
            q, _r = np.linalg.qr(m.T @ q)
            q, _r = np.linalg.qr(m @ q)
        _u, s, vt = np.linalg.svd(q.T @ m, full_matrices=False)
        s, vt = s[:2], vt[:2]
    if len(s) < 2:                                   # a single parameter: no second direction
        s = np.append(s, 0.0)
        vt = np.vstack([vt, np.zeros_like(vt[0])])
    return s, vt


def _stack(points) -> np.ndarray:
    if isinstance(points, np.ndarray):
        return np.atleast_2d(points)
    parts = [np.atleast_2d(np.asarray(p)) for p in points]
    if not parts:
        return np.zeros((0, 0))
    return np.vstack(parts)
