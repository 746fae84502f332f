"""The loss over a plane of weight space: ``L(θ + α·d₁ + β·d₂)`` on a grid of (α, β).

:class:`PlaneLoss` evaluates many points of the plane per forward pass, on its own copy of the
network's structure (the caller's network is never touched), in evaluation mode (batch-norm
uses its running statistics, dropout is off). The first layer is linear in (α, β), so
``z₀ = (x·W + b) + α·(x·D₁ + e₁) + β·(x·D₂ + e₂)`` is three products computed once; every
later layer is a stacked product, one matrix per grid point, a chunk of grid points at a time.
The loss is the data loss of the training set (or a fixed subset of it) as training reports it
(no weight-decay or L1 term).
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np

from nnviz.core.activations import Softmax
from nnviz.core.errors import N_, NNVizError

#: Floats a chunk of grid points may hold at once (per hidden layer: points × samples × width).
CHUNK_FLOATS = 4_000_000
MIN_GRID, MAX_GRID = 3, 201
#: Networks with more parameters than this are evaluated over the grid in float32 (half the
#: memory traffic; the centre's loss is still computed in the network's own precision).
FLOAT32_PARAMS = 10_000


class Cancelled(Exception):
    """Raised inside :meth:`PlaneLoss.grid` when its ``cancel`` callable says so."""


@dataclass
class Surface:
    """A computed slice: ``loss[i, j]`` at ``(alphas[i], betas[j])``."""

    alphas: np.ndarray
    betas: np.ndarray
    loss: np.ndarray
    center_loss: float
    directions: object          # nnviz.landscape.directions.Directions
    span: float
    samples: int
    seconds: float = 0.0
    dtype: str = "float64"

    def as_dict(self) -> dict:
        return {"alphas": self.alphas.tolist(), "betas": self.betas.tolist(),
                "loss": [[_num(v) for v in row] for row in self.loss],
                "center_loss": _num(self.center_loss), "span": self.span, "grid": len(self.alphas),
                "samples": self.samples, "dtype": self.dtype, "directions": self.directions.as_dict(),
                "seconds": round(self.seconds, 4)}


def _num(v) -> float | None:
    v = float(v)
    return v if math.isfinite(v) else None


def grid_axis(span: float, n: int) -> np.ndarray:
    """``n`` values from ``-span`` to ``span``; for odd ``n`` the middle one is exactly 0."""
    check_grid(span, n)
    a = np.linspace(-float(span), float(span), int(n))
    if n % 2:
        a[n // 2] = 0.0
    return a


def check_grid(span, n) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not MIN_GRID <= n <= MAX_GRID:
        raise NNVizError(N_("the grid must have {lo} to {hi} points per side, got {n}"), lo=MIN_GRID, hi=MAX_GRID, n=n)
    if isinstance(span, bool) or not isinstance(span, (int, float)) or not (math.isfinite(span) and span > 0):
        raise NNVizError(N_("the span must be a positive number, got {span}"), span=span)


def subset_rows(n: int, k: int | None, seed: int = 0) -> np.ndarray | slice:
    """The rows used: all (``k`` None or ≥ n) or ``k`` of them drawn once, sorted (seeded)."""
    if k is None or k >= n:
        return slice(0, n)
    if k < 1:
        raise NNVizError(N_("the subset needs at least 1 sample, got {k}"), k=k)
    return np.sort(np.random.default_rng(seed).choice(n, size=int(k), replace=False))


class PlaneLoss:
    """The loss of a network's structure at any parameters, for many points of a plane at once.

    Parameters
    ----------
    net : Network
        Copied (deeply): its structure, loss, dtype and batch-norm running statistics are used.
    x, t : arrays
        Inputs (n, n_in) and targets (n, n_out) as the network sees them.
    dtype : optional
        Compute the grid in this float type (default: the network's, float32 above
        :data:`FLOAT32_PARAMS` parameters).
    """

    def __init__(self, net, x, t, dtype=None):
        self.net = copy.deepcopy(net)
        if dtype is None:
            dtype = np.float32 if self.net.n_params > FLOAT32_PARAMS else self.net.dtype
        self.dtype = np.dtype(dtype)
        self.x = np.ascontiguousarray(x, dtype=self.dtype)
        self.t = np.ascontiguousarray(t, dtype=self.dtype)
        if self.t.ndim == 1:
            self.t = self.t.reshape(len(self.x), -1)
        if len(self.x) == 0:
            raise NNVizError(N_("the loss landscape needs at least one training sample"))
        loss = self.net.loss
        self.fused = self.net.fused_output()
        n, k = self.t.shape
        if loss.reduction == "sum":
            self.divisor = 1.0
        else:
            self.divisor = float(n if (loss.per_sample or self.fused) else n * k)

    # -- one point, through the network itself ------------------------------------------------
    def loss_at(self, params: np.ndarray) -> float:
        """The loss with ``params`` (flat) through the scratch network's own forward pass."""
        net = self.net
        net.flat_params[...] = params
        with np.errstate(all="ignore"):
            y = net.forward(self.x.astype(net.dtype, copy=False))
            return float(net.loss_value(y, self.t.astype(net.dtype, copy=False)))

    # -- many points of a plane ----------------------------------------------------------------
    def plane(self, theta, d1, d2, alphas, betas, progress=None, cancel=None) -> np.ndarray:
        """``L(θ + a·d₁ + b·d₂)`` for the paired 1-D arrays ``alphas``, ``betas`` (same length)."""
        alphas = np.asarray(alphas, dtype=self.dtype).ravel()
        betas = np.asarray(betas, dtype=self.dtype).ravel()
        P = [self.net.split(np.asarray(v, dtype=self.dtype)) for v in (theta, d1, d2)]
        out = np.empty(len(alphas), dtype=np.float64)
        chunk = self.chunk_size()
        with np.errstate(all="ignore"):
            z0 = self._first_layer(P)
            for s in range(0, len(alphas), chunk):
                if cancel is not None and cancel():
                    raise Cancelled()
                out[s:s + chunk] = self._chunk(P, z0, alphas[s:s + chunk], betas[s:s + chunk])
                if progress is not None:
                    progress(min(s + chunk, len(alphas)), len(alphas))
        return out

    def grid(self, theta, d1, d2, alphas, betas, progress=None, cancel=None) -> np.ndarray:
        """``loss[i, j] = L(θ + alphas[i]·d₁ + betas[j]·d₂)``."""
        A, B = np.meshgrid(np.asarray(alphas, float), np.asarray(betas, float), indexing="ij")
        return self.plane(theta, d1, d2, A.ravel(), B.ravel(), progress, cancel).reshape(A.shape)

    def chunk_size(self) -> int:
        width = max(l.n_out for l in self.net.layers)
        return max(1, CHUNK_FLOATS // (len(self.x) * width))

    def _first_layer(self, P):
        x = self.x
        return [x @ p[0]["W"] + p[0]["b"] for p in P]

    def _chunk(self, P, z0, a, b) -> np.ndarray:
        A, B = a[:, None, None], b[:, None, None]
        layers = self.net.layers
        h = None
        for li, layer in enumerate(layers):
            if li == 0:
                z = z0[0][None] + A * z0[1][None] + B * z0[2][None]
            else:
                W = P[0][li]["W"][None] + A * P[1][li]["W"][None] + B * P[2][li]["W"][None]
                bias = P[0][li]["b"][None] + A * P[1][li]["b"][None] + B * P[2][li]["b"][None]
                z = _stacked_product(h, W)
                z += bias
            if layer.norm is not None:
                g = P[0][li]["gamma"][None] + A * P[1][li]["gamma"][None] + B * P[2][li]["gamma"][None]
                be = P[0][li]["beta"][None] + A * P[1][li]["beta"][None] + B * P[2][li]["beta"][None]
                rm = np.asarray(layer.buffers["running_mean"], dtype=self.dtype)
                rv = np.asarray(layer.buffers["running_var"], dtype=self.dtype)
                z = (z - rm) / np.sqrt(rv + self.dtype.type(layer.norm.eps)) * g + be
            if li == len(layers) - 1 and self.fused:
                return self._fused_loss(z)
            h = _activate(layer.activation, z)
        terms = self.net.loss.terms(h, self.t[None])
        return terms.sum(axis=(1, 2), dtype=np.float64) / self.divisor

    def _fused_loss(self, z) -> np.ndarray:
        zs = z - z.max(axis=-1, keepdims=True)
        log_p = zs - np.log(np.exp(zs).sum(axis=-1, keepdims=True))
        return -(self.t[None] * log_p).sum(axis=(1, 2), dtype=np.float64) / self.divisor


#: Layers with at least this many weights multiply one grid point at a time (one BLAS call
#: each), smaller ones all the chunk's points in one stacked ``matmul``.
LOOP_WEIGHTS = 4096


def _stacked_product(h, W):
    """``h[g] @ W[g]`` for every grid point ``g`` of a chunk."""
    if W.shape[1] * W.shape[2] < LOOP_WEIGHTS:
        return np.matmul(h, W)
    z = np.empty((h.shape[0], h.shape[1], W.shape[2]), dtype=np.result_type(h, W))
    for g in range(h.shape[0]):
        np.matmul(h[g], W[g], out=z[g])
    return z


def _activate(act, z):
    if isinstance(act, Softmax):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    return act.forward(z)
