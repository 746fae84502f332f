"""Optimizers with exactly ``torch.optim``'s update formulas and defaults.

Each works on one flat parameter vector ``p`` and its gradient ``g`` (the network keeps all
parameters in one buffer), updating ``p`` in place; state (``m``, ``v``, ...) is created on
the first step, so an optimizer can be swapped for another between batches. Penalties are
added to the gradient first: L2 as PyTorch's ``weight_decay`` (``g + λ₂·p``) and L1
(``g + λ₁·sign(p)``).
"""
from __future__ import annotations

import math

import numpy as np

from nnviz.core import parallel
from nnviz.core.compact import CompactState
from nnviz.core.errors import N_, NNVizError, shown
from nnviz.core.registry import Registry

OPTIMIZERS = Registry("optimizer")


class Optimizer(CompactState):
    """Base: ``step(p, g)`` updates ``p`` in place. ``lr`` may be changed between steps."""

    name = "?"
    formula = ""
    defaults: dict = {}

    def __init__(self, lr: float | None = None, weight_decay: float = 0.0, l1: float = 0.0, **hp):
        lr = self.defaults.get("lr", 1e-3) if lr is None else lr
        if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
            raise NNVizError(N_("learning rate must be a positive number, got {lr}"), lr=shown(lr))
        self.lr = float(lr)
        self.weight_decay, self.l1 = float(weight_decay), float(l1)
        unknown = set(hp) - set(self.defaults)
        if unknown:
            raise NNVizError(N_("{name}: unknown hyper-parameter(s) {unknown}; valid: lr, weight_decay, l1, {value}"), name=self.name, unknown=', '.join(sorted(unknown)), value=', '.join((k for k in self.defaults if k != 'lr')))
        for k, v in self.defaults.items():
            if k != "lr":
                setattr(self, k, hp.get(k, v))
        self.state: dict[str, np.ndarray] = {}
        self.t = 0  # number of steps taken

    @property
    def hyperparameters(self) -> dict:
        hp = {"lr": self.lr}
        hp.update({k: getattr(self, k) for k in self.defaults if k != "lr"})
        hp.update(weight_decay=self.weight_decay, l1=self.l1)
        return hp

    def _penalised(self, p, g):
        if self.weight_decay == 0.0 and self.l1 == 0.0:
            return g
        g = g.copy()
        if self.weight_decay:
            g += self.weight_decay * p
        if self.l1:
            g += self.l1 * np.sign(p)
        return g

    def _buf(self, key, like, fill=0.0):
        buf = self.state.get(key)
        if buf is None or buf.shape != like.shape or buf.dtype != like.dtype:
            buf = self.state[key] = np.full_like(like, fill)
        return buf

    def step(self, p: np.ndarray, g: np.ndarray) -> None:
        self.t += 1
        self._update(p, self._penalised(p, g))

    def _update(self, p, g):
        raise NotImplementedError

    def __str__(self):
        hp = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                       for k, v in self.hyperparameters.items())
        return f"{self.name}({hp})"

    def __repr__(self):
        return str(self)


@OPTIMIZERS.register("sgd")
class SGD(Optimizer):
    """Plain gradient descent: p ← p − η·g."""

    formula = "p ← p − η·g"
    defaults = {"lr": 1e-3}

    def _update(self, p, g):
        p -= self.lr * g


@OPTIMIZERS.register("momentum")
class Momentum(Optimizer):
    """SGD with momentum 0.9 (PyTorch form): b ← μ·b + g, p ← p − η·b."""

    formula = "b ← μ·b + g;  p ← p − η·b"
    defaults = {"lr": 1e-3, "momentum": 0.9}

    def _momentum_buffer(self, p, g):
        """b ← μ·b + g (b = g on the first step, as PyTorch)."""
        first = "buf" not in self.state
        b = self._buf("buf", p)
        if first:
            b[...] = g
        else:
            b *= self.momentum
            b += g
        return b

    def _update(self, p, g):
        p -= self.lr * self._momentum_buffer(p, g)


@OPTIMIZERS.register("nesterov")
class Nesterov(Momentum):
    """SGD with Nesterov momentum 0.9: b ← μ·b + g, p ← p − η·(g + μ·b)."""

    formula = "b ← μ·b + g;  p ← p − η·(g + μ·b)"

    def _update(self, p, g):
        p -= self.lr * (g + self.momentum * self._momentum_buffer(p, g))


@OPTIMIZERS.register("adagrad")
class Adagrad(Optimizer):
    """AdaGrad: s ← s + g², p ← p − η·g / (√s + ε); good for sparse features."""

    formula = "s ← s + g²;  p ← p − η·g / (√s + ε)"
    defaults = {"lr": 1e-2, "eps": 1e-10}

    def _update(self, p, g):
        s = self._buf("sum", p)
        s += g * g
        p -= self.lr * g / (np.sqrt(s) + self.eps)


@OPTIMIZERS.register("rmsprop")
class RMSprop(Optimizer):
    """RMSprop: v ← α·v + (1−α)·g², p ← p − η·g / (√v + ε), α = 0.99, ε = 1e-8."""

    formula = "v ← α·v + (1−α)·g²;  p ← p − η·g / (√v + ε)"
    defaults = {"lr": 1e-2, "alpha": 0.99, "eps": 1e-8}

    def _update(self, p, g):
        v = self._buf("square_avg", p)
        v *= self.alpha
        v += (1 - self.alpha) * g * g
        p -= self.lr * g / (np.sqrt(v) + self.eps)


@OPTIMIZERS.register("adam")
class Adam(Optimizer):
    """Adam: momentum plus RMSprop with bias correction, β = (0.9, 0.999), ε = 1e-8."""

    formula = ("m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  "
               "p ← p − η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)")
    defaults = {"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}

    def _update(self, p, g):
        m = self._buf("exp_avg", p)
        v = self._buf("exp_avg_sq", p)
        tmp = self._buf("_tmp", p)  # scratch, so a step allocates nothing
        b1, b2 = self.beta1, self.beta2
        sqrt_bc2 = math.sqrt(1 - b2 ** self.t)
        consts = (1 - b1, 1 - b2, self.eps * sqrt_bc2, self.lr * sqrt_bc2 / (1 - b1 ** self.t))
        if parallel._pool is None or p.ndim != 1:
            _adam_update(p, g, m, v, tmp, *consts)
        else:  # headless, two cores: nnviz.core.parallel (element-wise, the same bits)
            parallel.elementwise(_adam_update, (p, g, m, v, tmp), *consts)


def _adam_update(p, g, m, v, tmp, w1, w2, eps, step):
    """PyTorch's Adam step, rearranged to touch each array as few times as possible:
    η/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε)  =  η√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε√(1−β₂ᵗ))."""
    dt = p.dtype.type
    np.subtract(g, m, out=tmp)          # m ← m + (1−β₁)(g − m)  =  β₁m + (1−β₁)g
    tmp *= dt(w1)
    m += tmp
    np.multiply(g, g, out=tmp)          # v ← v + (1−β₂)(g² − v)  =  β₂v + (1−β₂)g²
    tmp -= v
    tmp *= dt(w2)
    v += tmp
    np.sqrt(v, out=tmp)
    tmp += dt(eps)
    np.divide(m, tmp, out=tmp)
    tmp *= dt(step)
    p -= tmp


def public_state(opt: Optimizer) -> dict[str, np.ndarray]:
    """The optimizer's state arrays a learner may look at (scratch buffers left out)."""
    return {k: v for k, v in opt.state.items() if not k.startswith("_")}


def get_optimizer(name_or_obj, **kwargs) -> Optimizer:
    """An :class:`Optimizer` from its registered name (or pass one through)."""
    if isinstance(name_or_obj, Optimizer):
        return name_or_obj
    return OPTIMIZERS.create(name_or_obj, **kwargs)
