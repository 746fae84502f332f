"""Activation functions ``a = f(z)``, each with its backward ``∂L/∂z = f'(z) ⊙ ∂L/∂a``.

Every function works row-wise on a batch ``z`` of shape (n_samples, n_units) and never writes
into its arguments (a trace may hold them).
"""
from __future__ import annotations

import numpy as np

from nnviz.core.compact import CompactState
from nnviz.core.errors import N_, TrainingRefused
from nnviz.core.registry import Registry

ACTIVATIONS = Registry("activation")


class Activation(CompactState):
    """Base: ``forward(z) -> a`` and ``backward(z, a, da) -> dz``."""

    name = "?"
    formula = ""
    can_train = True

    def forward(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def backward(self, z: np.ndarray, a: np.ndarray, da: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    @property
    def hyperparameters(self) -> dict:
        return {}

    def __str__(self) -> str:
        return f"{self.name}: {self.formula}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


@ACTIVATIONS.register("identity")
class Identity(Activation):
    """Identity (linear): for regression outputs."""

    formula = "f(z) = z"

    def forward(self, z):
        return z.copy()

    def backward(self, z, a, da):
        return da.copy()


@ACTIVATIONS.register("step")
class Step(Activation):
    """Step (perceptron threshold): 1 if z > 0 else 0; has no useful gradient."""

    formula = "f(z) = 1 if z > 0 else 0"
    can_train = False

    def forward(self, z):
        return (z > 0).astype(z.dtype)

    def backward(self, z, a, da):
        raise TrainingRefused(
            N_("the step activation has zero gradient everywhere, so backpropagation cannot train it; use sigmoid (its smooth version) to train, or step only to evaluate fixed weights"))


@ACTIVATIONS.register("sigmoid")
class Sigmoid(Activation):
    """Sigmoid (logistic): squashes to (0, 1); for binary outputs."""

    formula = "f(z) = 1 / (1 + e^(-z)),  f'(z) = f(z)(1 - f(z))"

    def forward(self, z):
        # Stable for large |z|: exp of a non-positive number only.
        # 1/(1+e) for z ≥ 0, e/(1+e) below: one division of the chosen numerator.
        e = np.exp(-np.abs(z))
        num = np.where(z >= 0, z.dtype.type(1.0), e)
        e += z.dtype.type(1.0)
        return np.divide(num, e, out=num)

    def backward(self, z, a, da):
        return da * a * (1.0 - a)


@ACTIVATIONS.register("tanh")
class Tanh(Activation):
    """Hyperbolic tangent: squashes to (-1, 1), zero-centred."""

    formula = "f(z) = tanh(z),  f'(z) = 1 - f(z)²"

    def forward(self, z):
        return np.tanh(z)

    def backward(self, z, a, da):
        return da * (1.0 - a * a)


@ACTIVATIONS.register("relu")
class ReLU(Activation):
    """ReLU: max(0, z); the default for hidden layers."""

    formula = "f(z) = max(0, z),  f'(z) = 1 if z > 0 else 0"

    def forward(self, z):
        return np.maximum(z, 0)

    def backward(self, z, a, da):
        return da * (z > 0)


@ACTIVATIONS.register("leaky_relu")
class LeakyReLU(Activation):
    """Leaky ReLU: like ReLU but with slope 0.01 for z < 0, so no unit dies."""

    def __init__(self, slope: float = 0.01):
        self.slope = float(slope)

    @property
    def formula(self):
        return f"f(z) = z if z > 0 else {self.slope}·z"

    @property
    def hyperparameters(self):
        return {"slope": self.slope}

    def forward(self, z):
        return np.where(z > 0, z, z * self.slope)

    def backward(self, z, a, da):
        return np.where(z > 0, da, da * self.slope)


@ACTIVATIONS.register("softmax")
class Softmax(Activation):
    """Softmax over each row: outputs are positive and sum to 1 (multi-class probabilities)."""

    formula = "f(z)_i = e^(z_i) / Σ_j e^(z_j)"

    def forward(self, z):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def backward(self, z, a, da):
        # Jacobian-vector product: dz_i = a_i (da_i - Σ_j da_j a_j)
        return a * (da - (da * a).sum(axis=1, keepdims=True))


def get_activation(name_or_obj) -> Activation:
    """An :class:`Activation` from its registered name (or pass one through)."""
    if isinstance(name_or_obj, Activation):
        return name_or_obj
    return ACTIVATIONS.create(name_or_obj)
