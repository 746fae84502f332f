"""Layers: small objects with ``forward(x, train)`` and ``backward(dout)``.

As in "Deep Learning from Scratch": ``forward`` caches what ``backward`` needs, ``backward``
returns ``∂L/∂input`` and stores the parameter gradients in ``grads``. Nothing here writes
into an array it returned earlier or received as an argument, so a trace holding those arrays
stays valid. Parameters live in ``params`` (name → array) and may be views into one flat
buffer owned by the :class:`~nnviz.core.network.Network` (for a fast single optimizer step).
"""
from __future__ import annotations

import numpy as np

from nnviz.core import parallel
from nnviz.core.activations import Activation, get_activation
from nnviz.core.compact import CompactState
from nnviz.core.errors import N_, NNVizError, ShapeError, shown
from nnviz.core.init import get_initializer

#: ``z = x·W + b`` with ``W`` of shape (n_in, n_out).
WEIGHT_LAYOUT = "in_out"


class Layer(CompactState):
    """Base class: no parameters, identity."""

    kind = "layer"

    def __init__(self):
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}  # saved with the model, not trained

    def forward(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        raise NotImplementedError

    def config(self) -> dict:
        """JSON-able description from which :func:`layer_from_config` rebuilds the layer."""
        raise NotImplementedError


class BatchNorm(Layer):
    """Batch normalisation over the batch axis with learnable scale γ and shift β.

    Training: ``ẑ = (z − μ_B) / √(σ²_B + ε)``, ``out = γ·ẑ + β``, and running statistics
    ``r ← (1 − m)·r + m·stat`` (PyTorch: momentum m = 0.1, running variance unbiased).
    Evaluation uses the running statistics. Shapes: z and out are (n_samples, n_units).
    """

    kind = "batchnorm"

    def __init__(self, n_units: int, momentum: float = 0.1, eps: float = 1e-5):
        super().__init__()
        self.n_units, self.momentum, self.eps = int(n_units), float(momentum), float(eps)
        self.params = {"gamma": np.ones(n_units), "beta": np.zeros(n_units)}
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.buffers = {"running_mean": np.zeros(n_units), "running_var": np.ones(n_units)}
        self._cache = None

    def forward(self, z, train=False):
        g, b = self.params["gamma"], self.params["beta"]
        if not train:
            self._cache = None  # nothing for backward (or a trace) from an evaluation pass
            rm, rv = self.buffers["running_mean"], self.buffers["running_var"]
            return (z - rm) / np.sqrt(rv + self.eps) * g + b
        n = z.shape[0]
        if n < 2:
            raise NNVizError(N_("batch-norm needs at least 2 samples per batch in training (use a batch size above 1, or turn batch-norm off)"))
        mu = z.mean(axis=0)
        var = z.var(axis=0)
        inv_std = 1.0 / np.sqrt(var + self.eps)
        zhat = (z - mu) * inv_std
        m = self.momentum
        self.buffers["running_mean"] = (1 - m) * self.buffers["running_mean"] + m * mu
        self.buffers["running_var"] = (1 - m) * self.buffers["running_var"] + m * var * (n / (n - 1))
        self._cache = (zhat, inv_std)
        return zhat * g + b

    def backward(self, dout, need_dx=True):
        zhat, inv_std = self._cache
        n = dout.shape[0]
        self.grads["gamma"][...] = (dout * zhat).sum(axis=0)
        self.grads["beta"][...] = dout.sum(axis=0)
        dzhat = dout * self.params["gamma"]
        return (inv_std / n) * (n * dzhat - dzhat.sum(axis=0) - zhat * (dzhat * zhat).sum(axis=0))

    def config(self):
        return {"kind": self.kind, "n_units": self.n_units, "momentum": self.momentum, "eps": self.eps}


class Dropout(Layer):
    """Inverted dropout: in training each unit is kept with probability 1 − p and scaled by 1/(1 − p).

    Evaluation passes ``x`` through unchanged, so no rescaling is needed at test time.
    """

    kind = "dropout"

    def __init__(self, p: float = 0.5, rng: np.random.Generator | None = None):
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise NNVizError(N_("dropout probability must be in [0, 1), got {p}"), p=p)
        self.p = float(p)
        self.rng = rng if rng is not None else np.random.default_rng()
        self.mask = None

    def forward(self, x, train=False):
        if not train or self.p == 0.0:
            self.mask = None
            return x
        keep = self.rng.random(x.shape) >= self.p
        self.mask = keep.astype(x.dtype) / x.dtype.type(1.0 - self.p)
        return x * self.mask

    def backward(self, dout, need_dx=True):
        return dout if self.mask is None else dout * self.mask

    def config(self):
        return {"kind": self.kind, "p": self.p}


class Dense(Layer):
    """A fully connected layer of neurons: ``z = x·W + b``, ``a = f(z)``.

    Optional batch-norm sits between the affine map and the activation (``z`` is then the
    normalised value the activation sees) and optional dropout after the activation.

    Shapes: x (n, n_in), W (n_in, n_out) — layout ``in_out`` — b (n_out,), z and a (n, n_out).
    After ``backward``: ``delta`` = ∂L/∂z (n, n_out), ``grads["W"]`` = xᵀ·δ', ``grads["b"]`` =
    Σ_rows δ', where δ' = δ passed back through batch-norm (δ itself without it).
    """

    kind = "dense"

    def __init__(self, n_in: int, n_out: int, activation="sigmoid", init="xavier_normal",
                 bias_init="zeros", batchnorm: bool = False, dropout: float = 0.0,
                 rng: np.random.Generator | None = None, name: str = ""):
        super().__init__()
        rng = rng if rng is not None else np.random.default_rng()
        self.n_in, self.n_out = int(n_in), int(n_out)
        if self.n_in < 1 or self.n_out < 1:
            raise ShapeError(N_("layer {name}: sizes must be at least 1, got {n_in}→{n_out}"), name=name or '', n_in=n_in, n_out=n_out)
        self.name = name
        self.activation: Activation = get_activation(activation)
        self.init_name = init if isinstance(init, str) else init.name
        self.bias_init_name = bias_init if isinstance(bias_init, str) else bias_init.name
        self.params["W"] = np.asarray(get_initializer(init)((self.n_in, self.n_out), rng), dtype=np.float64)
        if bias_init == "torch_default":  # PyTorch's Linear bias: U(-1/√fan_in, 1/√fan_in)
            bound = 1.0 / np.sqrt(self.n_in)
            self.params["b"] = rng.uniform(-bound, bound, size=self.n_out)
        else:
            self.params["b"] = np.asarray(get_initializer(bias_init)((1, self.n_out), rng)[0], dtype=np.float64)
        self.norm = BatchNorm(self.n_out) if batchnorm else None
        self.drop = Dropout(dropout, rng) if dropout > 0 else None
        if self.norm is not None:
            self.params.update(self.norm.params)
            self.buffers = self.norm.buffers
        self.grads = {k: np.zeros_like(v) for k, v in self.params.items()}
        self.x = self.z_lin = self.z = self.a = self.a_act = self.delta = None

    # The norm sub-layer reads its params/grads through the same dicts (they may be rebound
    # to views of the network's flat buffers).
    def _sync_norm(self):
        if self.norm is not None:
            for k in ("gamma", "beta"):
                self.norm.params[k] = self.params[k]
                self.norm.grads[k] = self.grads[k]
            self.norm.buffers = self.buffers

    @property
    def W(self) -> np.ndarray:
        return self.params["W"]

    @property
    def b(self) -> np.ndarray:
        return self.params["b"]

    def forward(self, x, train=False):
        if x.ndim != 2 or x.shape[1] != self.n_in:
            raise ShapeError(N_("layer {name}: expects input of shape (n, {n_in}), got {shape}"), name=self.name, n_in=self.n_in, shape=tuple(x.shape))
        params = self.params
        z = x @ params["W"] if parallel._pool is None else parallel.matmul(x, params["W"])
        z += params["b"]
        self.z_lin = z
        if self.norm is not None:
            self._sync_norm()
            z = self.norm.forward(z, train)
        a = self.activation.forward(z)
        self.a_act = a
        if self.drop is not None:
            a = self.drop.forward(a, train)
        self.x, self.z, self.a = x, z, a
        return a

    def forward_record(self) -> dict:
        """What the last forward computed, for a trace: the input ``x``, ``z_lin`` = x·W + b,
        ``z`` (after batch-norm: the activation's input), ``a_act`` = f(z), ``a`` (after
        dropout); with batch-norm in training ``zhat`` and ``inv_std``, with dropout ``mask``."""
        rec = {"x": self.x, "z_lin": self.z_lin, "z": self.z, "a_act": self.a_act, "a": self.a}
        if self.norm is not None and self.norm._cache is not None:
            rec["zhat"], rec["inv_std"] = self.norm._cache
        if self.drop is not None and self.drop.mask is not None:
            rec["mask"] = self.drop.mask
        return rec

    def backward(self, dout, need_dx=True):
        """``dout`` = ∂L/∂a → returns ∂L/∂x (or None when ``need_dx`` is False)."""
        if self.drop is not None:
            dout = self.drop.backward(dout)
        delta = self.activation.backward(self.z, self.a_act, dout)
        return self.backward_delta(delta, need_dx)

    def backward_delta(self, delta, need_dx=True):
        """Backward from ``delta`` = ∂L/∂z directly (used by softmax fused with cross-entropy)."""
        self.delta = delta
        if self.norm is not None:
            delta = self.norm.backward(delta)
        grads = self.grads
        if parallel._pool is None:
            np.matmul(self.x.T, delta, out=grads["W"])
        else:  # headless, two cores: nnviz.core.parallel
            parallel.matmul(self.x.T, delta, out=grads["W"])
        np.add.reduce(delta, axis=0, out=grads["b"])
        if not need_dx:
            return None
        return delta @ self.params["W"].T

    def config(self):
        return {"kind": self.kind, "name": self.name, "n_in": self.n_in, "n_out": self.n_out,
                "activation": self.activation.name, "init": self.init_name,
                "bias_init": self.bias_init_name, "batchnorm": self.norm is not None,
                "dropout": self.drop.p if self.drop is not None else 0.0}

    def __str__(self):
        extra = (" +batchnorm" if self.norm else "") + (f" +dropout {self.drop.p:g}" if self.drop else "")
        return f"{self.name or 'dense'}: {self.n_in}→{self.n_out} {self.activation.name}{extra}"


def layer_from_config(cfg: dict, rng: np.random.Generator | None = None) -> Dense:
    """Rebuild a dense layer from :meth:`Dense.config` (parameters are initialised, then loaded).

    Batch-norm and dropout are options of a dense layer, never layers of their own: a config of
    kind ``batchnorm`` or ``dropout`` is refused with a message saying so.
    """
    cfg = dict(cfg)
    kind = cfg.pop("kind", None)
    if kind == "dense":
        return Dense(cfg["n_in"], cfg["n_out"], activation=cfg.get("activation", "sigmoid"),
                     init=cfg.get("init", "zeros"), bias_init=cfg.get("bias_init", "zeros"),
                     batchnorm=bool(cfg.get("batchnorm", False)), dropout=float(cfg.get("dropout", 0.0)),
                     rng=rng, name=cfg.get("name", ""))
    if kind in ("batchnorm", "dropout"):
        raise NNVizError(N_("a stand-alone {kind} layer is not supported: batch-norm and dropout are options of a dense layer (\"batchnorm\": true, \"dropout\": p)"), kind=kind)
    raise NNVizError(N_("unknown layer kind {kind}; valid: dense"), kind=shown(kind))
