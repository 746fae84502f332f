"""Weight initialisers with PyTorch's formulas and fan conventions.

A weight matrix here has the layout ``in_out``: shape (fan_in, fan_out), ``z = x·W + b``.
PyTorch's ``Linear.weight`` is (fan_out, fan_in); the fans are the same numbers, so the
distributions are identical. Each initialiser is ``init(shape, rng) -> ndarray`` (float64).
"""
from __future__ import annotations

import math

import numpy as np

from nnviz.core.registry import Registry

INITIALIZERS = Registry("initializer")


class Initializer:
    """Base: ``__call__((fan_in, fan_out), rng) -> W``."""

    name = "?"
    formula = ""

    def __call__(self, shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    @property
    def hyperparameters(self) -> dict:
        return {k: v for k, v in vars(self).items() if not k.startswith("_")}

    def __str__(self):
        hp = ", ".join(f"{k}={v}" for k, v in self.hyperparameters.items())
        return f"{self.name}({hp}): {self.formula}"

    def __repr__(self):
        return str(self)


@INITIALIZERS.register("zeros")
class Zeros(Initializer):
    """All zeros: every neuron stays identical (symmetry is never broken)."""

    formula = "W = 0"

    def __call__(self, shape, rng):
        return np.zeros(shape)


@INITIALIZERS.register("normal")
class Normal(Initializer):
    """Normal N(0, σ²) with a fixed σ (default 1, torch.nn.init.normal_)."""

    formula = "W ~ N(0, σ²)"

    def __init__(self, std: float = 1.0):
        self.std = float(std)

    def __call__(self, shape, rng):
        return rng.normal(0.0, self.std, size=shape)


@INITIALIZERS.register("uniform")
class Uniform(Initializer):
    """Uniform U(low, high) (default U(-1, 1))."""

    formula = "W ~ U(low, high)"

    def __init__(self, low: float = -1.0, high: float = 1.0):
        self.low, self.high = float(low), float(high)

    def __call__(self, shape, rng):
        return rng.uniform(self.low, self.high, size=shape)


@INITIALIZERS.register("xavier_normal")
class XavierNormal(Initializer):
    """Xavier/Glorot normal, for sigmoid/tanh: σ = gain·√(2/(fan_in+fan_out))."""

    formula = "W ~ N(0, σ²),  σ = gain·√(2 / (fan_in + fan_out))"

    def __init__(self, gain: float = 1.0):
        self.gain = float(gain)

    def __call__(self, shape, rng):
        fan_in, fan_out = shape
        return rng.normal(0.0, self.gain * math.sqrt(2.0 / (fan_in + fan_out)), size=shape)


@INITIALIZERS.register("xavier_uniform")
class XavierUniform(Initializer):
    """Xavier/Glorot uniform: U(-a, a), a = gain·√(6/(fan_in+fan_out))."""

    formula = "W ~ U(-a, a),  a = gain·√(6 / (fan_in + fan_out))"

    def __init__(self, gain: float = 1.0):
        self.gain = float(gain)

    def __call__(self, shape, rng):
        fan_in, fan_out = shape
        a = self.gain * math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-a, a, size=shape)


@INITIALIZERS.register("he_normal")
class HeNormal(Initializer):
    """He/Kaiming normal, for ReLU (kaiming_normal_, mode fan_in): σ = √2/√fan_in."""

    formula = "W ~ N(0, σ²),  σ = √(2 / fan_in)"

    def __call__(self, shape, rng):
        return rng.normal(0.0, math.sqrt(2.0) / math.sqrt(shape[0]), size=shape)


@INITIALIZERS.register("he_uniform")
class HeUniform(Initializer):
    """He/Kaiming uniform, for ReLU (kaiming_uniform_, mode fan_in): U(-b, b), b = √(6/fan_in)."""

    formula = "W ~ U(-b, b),  b = √(6 / fan_in)"

    def __call__(self, shape, rng):
        b = math.sqrt(2.0) * math.sqrt(3.0 / shape[0])
        return rng.uniform(-b, b, size=shape)


@INITIALIZERS.register("mnist_seed")
class MnistSeed(Initializer):
    """The seed notes' MNIST network: normal with σ = fan_in^-0.5."""

    formula = "W ~ N(0, σ²),  σ = fan_in^(-1/2)"

    def __call__(self, shape, rng):
        return rng.normal(0.0, shape[0] ** -0.5, size=shape)


@INITIALIZERS.register("torch_default")
class TorchDefault(Initializer):
    """PyTorch's nn.Linear default: U(-1/√fan_in, 1/√fan_in) (kaiming_uniform_ with a=√5)."""

    formula = "W ~ U(-1/√fan_in, 1/√fan_in)"

    def __call__(self, shape, rng):
        b = 1.0 / math.sqrt(shape[0])
        return rng.uniform(-b, b, size=shape)


def get_initializer(name_or_obj, **kwargs) -> Initializer:
    """An :class:`Initializer` from its registered name (or pass one through)."""
    if isinstance(name_or_obj, Initializer):
        return name_or_obj
    return INITIALIZERS.create(name_or_obj, **kwargs)
