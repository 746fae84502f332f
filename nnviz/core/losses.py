"""Loss functions ``L(y, t)`` of outputs ``y`` and targets ``t`` (both (n_samples, n_outputs)).

``reduction="mean"`` follows PyTorch's default for each loss: ``mse``, ``mae``, ``bce``,
``huber`` and ``smooth_l1`` average over *all elements*; ``sse_half`` (½Σ over outputs) and
``cross_entropy`` (−Σ t·log y over outputs) average over *samples*. ``reduction="sum"`` adds
every term up. ``backward`` returns ``∂L/∂y`` with the same shape as ``y``.
"""
from __future__ import annotations

import numpy as np

from nnviz.core.compact import CompactState
from nnviz.core.errors import N_, NNVizError, ShapeError, shown
from nnviz.core.registry import Registry

LOSSES = Registry("loss")
REDUCTIONS = ("mean", "sum")


class Loss(CompactState):
    """Base: ``forward(y, t) -> float``, ``backward(y, t) -> ∂L/∂y``."""

    name = "?"
    formula = ""
    per_sample = False  # True: "mean" divides by the number of samples, not elements

    def __init__(self, reduction: str = "mean"):
        if reduction not in REDUCTIONS:
            raise NNVizError(N_("unknown reduction {reduction}; valid: {reductions}"), reduction=shown(reduction), reductions=', '.join(REDUCTIONS))
        self.reduction = reduction

    def divisor(self, y: np.ndarray) -> float:
        """What the summed terms are divided by: 1 (sum), the batch size or the element count (mean)."""
        if self.reduction == "sum":
            return 1.0
        return float(y.shape[0] if self.per_sample else y.size)

    @staticmethod
    def _check(y, t):
        if y.shape != t.shape:
            raise ShapeError(N_("loss: outputs have shape {shape} but targets have shape {target_shape}"), shape=y.shape, target_shape=t.shape)

    def forward(self, y: np.ndarray, t: np.ndarray) -> float:
        self._check(y, t)
        return float(self.terms(y, t).sum() / self.divisor(y))

    def backward(self, y: np.ndarray, t: np.ndarray) -> np.ndarray:
        self._check(y, t)
        return self.term_grad(y, t) / y.dtype.type(self.divisor(y))

    def terms(self, y, t):
        raise NotImplementedError

    def term_grad(self, y, t):
        raise NotImplementedError

    @property
    def hyperparameters(self) -> dict:
        return {"reduction": self.reduction}

    def __str__(self):
        return f"{self.name} ({self.reduction}): {self.formula}"

    def __repr__(self):
        return f"{type(self).__name__}(reduction={self.reduction!r})"


@LOSSES.register("mse")
class MSE(Loss):
    """Mean squared error: mean of (y - t)² over all elements."""

    formula = "L = mean((y - t)²)"

    def terms(self, y, t):
        d = y - t
        return d * d

    def term_grad(self, y, t):
        return 2.0 * (y - t)


@LOSSES.register("sse_half")
class SSEHalf(Loss):
    """Half sum of squares: ½Σ(y - t)² over outputs (the seeds' E), averaged over samples."""

    formula = "L = ½ Σ_k (y_k - t_k)²"
    per_sample = True

    def terms(self, y, t):
        d = y - t
        return 0.5 * d * d

    def term_grad(self, y, t):
        return y - t


@LOSSES.register("mae")
class MAE(Loss):
    """Mean absolute error (L1): mean of |y - t|."""

    formula = "L = mean(|y - t|)"

    def terms(self, y, t):
        return np.abs(y - t)

    def term_grad(self, y, t):
        return np.sign(y - t)


@LOSSES.register("huber")
class Huber(Loss):
    """Huber (δ = 1): squared near zero, linear far away; robust to outliers."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction)
        self.delta = float(delta)

    @property
    def formula(self):
        return f"½d² if |d| < {self.delta:g} else {self.delta:g}(|d| - ½·{self.delta:g}),  d = y - t"

    @property
    def hyperparameters(self):
        return {"reduction": self.reduction, "delta": self.delta}

    def terms(self, y, t):
        d = y - t
        ad = np.abs(d)
        return np.where(ad < self.delta, 0.5 * d * d, self.delta * (ad - 0.5 * self.delta))

    def term_grad(self, y, t):
        d = y - t
        return np.where(np.abs(d) < self.delta, d, self.delta * np.sign(d))


@LOSSES.register("smooth_l1")
class SmoothL1(Loss):
    """Smooth L1 (β = 1): ½d²/β near zero, |d| - ½β beyond."""

    def __init__(self, reduction: str = "mean", beta: float = 1.0):
        super().__init__(reduction)
        self.beta = float(beta)

    @property
    def formula(self):
        return f"½d²/{self.beta:g} if |d| < {self.beta:g} else |d| - ½·{self.beta:g},  d = y - t"

    @property
    def hyperparameters(self):
        return {"reduction": self.reduction, "beta": self.beta}

    def terms(self, y, t):
        d = y - t
        ad = np.abs(d)
        return np.where(ad < self.beta, 0.5 * d * d / self.beta, ad - 0.5 * self.beta)

    def term_grad(self, y, t):
        d = y - t
        return np.where(np.abs(d) < self.beta, d / self.beta, np.sign(d))


@LOSSES.register("bce")
class BCE(Loss):
    """Binary cross-entropy: −[t·log y + (1−t)·log(1−y)] for sigmoid outputs."""

    formula = "L = -mean(t·log y + (1 - t)·log(1 - y))"
    eps = 1e-12  # PyTorch clamps log at -100 and the gradient's denominator at 1e-12

    #: Below e^-100 in float32 and float64 (a subnormal in float32): ``log`` of it is < -100, so
    #: ``max(log(fmax(v, tiny)), -100)`` is PyTorch's clamped log for every v, 0, negative or
    #: NaN (fmax drops a NaN) included, in two cheap passes.
    _tiny = 1e-45

    def terms(self, y, t):
        log_y = np.log(np.fmax(y, self._tiny))
        np.maximum(log_y, -100, out=log_y)
        log_1my = np.log(np.fmax(1 - y, self._tiny))
        np.maximum(log_1my, -100, out=log_1my)
        return -(t * log_y + (1 - t) * log_1my)

    def term_grad(self, y, t):
        return (y - t) / np.maximum((1 - y) * y, self.eps)


@LOSSES.register("cross_entropy")
class CrossEntropy(Loss):
    """Cross-entropy −Σ t·log y over outputs, averaged over samples; fused with a softmax output."""

    formula = "L = -Σ_k t_k·log y_k"
    per_sample = True

    def terms(self, y, t):
        return -t * np.log(np.maximum(y, np.finfo(y.dtype).tiny))

    def term_grad(self, y, t):
        return -t / np.maximum(y, np.finfo(y.dtype).tiny)

    # -- fused with softmax: exact and stable for any logits z ---------------------------
    def forward_logits(self, z: np.ndarray, t: np.ndarray) -> float:
        """Loss of softmax(z) against t computed through log-softmax (no log(0))."""
        self._check(z, t)
        zs = z - z.max(axis=1, keepdims=True)
        log_p = zs - np.log(np.exp(zs).sum(axis=1, keepdims=True))
        return float(-(t * log_p).sum() / self.divisor(z))

    def delta_logits(self, a: np.ndarray, t: np.ndarray) -> np.ndarray:
        """``∂L/∂z`` for ``a = softmax(z)``: ``(a·Σt − t) / n`` (``a − t`` when targets sum to 1)."""
        self._check(a, t)
        return (a * t.sum(axis=1, keepdims=True) - t) / a.dtype.type(self.divisor(a))


def get_loss(name_or_obj, reduction: str = "mean") -> Loss:
    """A :class:`Loss` from its registered name (or pass one through)."""
    if isinstance(name_or_obj, Loss):
        return name_or_obj
    return LOSSES.get_cls(name_or_obj)(reduction=reduction)
