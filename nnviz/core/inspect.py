"""One side-effect-free look inside a network for a given input: :func:`inspect`.

Snapshots for the window, the step-through's explanations and the digit canvas all read the
network through this one function. It runs in evaluation mode (batch-norm uses its running
statistics, dropout passes values through) and computes everything into new arrays, so it
never touches a layer's caches (``x``, ``z``, ``a``, ``delta``), the network's gradient buffer,
batch-norm's running statistics, dropout's random generator, an optimizer or a trace: looking
never changes what training does next.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class LayerView:
    """What one dense layer computed for the rows of the input.

    ``x`` (n, n_in) is the layer's input, ``z`` (n, n_out) the value its activation sees (after
    batch-norm, if the layer has it), ``a`` (n, n_out) its output. With targets: ``delta`` =
    ∂L/∂z and ``grads`` = ∂L/∂parameter for ``W``, ``b`` (and ``gamma``, ``beta``), each of the
    parameter's own shape.
    """

    x: np.ndarray
    z: np.ndarray
    a: np.ndarray
    delta: np.ndarray | None = None
    grads: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def dW(self) -> np.ndarray | None:  # noqa: N802 - the usual symbol
        return self.grads.get("W")

    @property
    def db(self) -> np.ndarray | None:
        return self.grads.get("b")


@dataclass
class Inspection:
    """:func:`inspect`'s result: one :class:`LayerView` per dense layer, the output, the loss."""

    layers: list[LayerView]
    output: np.ndarray
    loss: float | None = None


def _normalised(layer, z_lin):
    """Batch-norm in evaluation mode: ``ẑ = (z − running mean) / √(running var + ε)``, and
    ``∂ẑ/∂z`` (one factor per unit)."""
    inv_std = 1.0 / np.sqrt(layer.buffers["running_var"] + layer.norm.eps)
    return (z_lin - layer.buffers["running_mean"]) * inv_std, inv_std


def inspect(net, x, t=None) -> Inspection:
    """Evaluation-mode forward of ``x`` and, with targets ``t``, every layer's δ and gradients.

    ``x`` is (n, n_inputs) or one sample (n_inputs,); ``t`` is (n, n_outputs) (or one row).
    The gradients are those of the network's loss (with its reduction) on these rows, as
    :meth:`Network.backward` would give in evaluation mode; ``delta`` is ``None`` for every
    layer of a network that cannot be differentiated (a step activation).
    """
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        return _inspect(net, x, t)


def _inspect(net, x, t) -> Inspection:
    a = net.as_input(x)
    views: list[LayerView] = []
    zhats: list[np.ndarray | None] = []
    for layer in net.layers:
        z = a @ layer.W + layer.b
        zhat = None
        if layer.norm is not None:
            zhat, _ = _normalised(layer, z)
            z = zhat * layer.params["gamma"] + layer.params["beta"]
        zhats.append(zhat)
        out = layer.activation.forward(z)
        views.append(LayerView(x=a, z=z, a=out))
        a = out
    result = Inspection(layers=views, output=a)
    if t is None:
        return result
    t = np.asarray(t, dtype=net.dtype).reshape(len(a), -1)
    fused = net.fused_output()
    result.loss = float(net.loss.forward_logits(views[-1].z, t) if fused else net.loss.forward(a, t))
    if not net.can_train():
        return result
    dout = None if fused else net.loss.backward(a, t)
    for k in range(len(net.layers) - 1, -1, -1):
        layer, view = net.layers[k], views[k]
        if fused and k == len(net.layers) - 1:
            delta = net.loss.delta_logits(view.a, t)
        else:
            delta = layer.activation.backward(view.z, view.a, dout)
        view.delta = delta
        d = delta
        if layer.norm is not None:  # running statistics are constants in evaluation mode
            _, inv_std = _normalised(layer, 0.0)
            view.grads["gamma"] = (delta * zhats[k]).sum(axis=0)
            view.grads["beta"] = delta.sum(axis=0)
            d = delta * (layer.params["gamma"] * inv_std)
        view.grads["W"] = view.x.T @ d
        view.grads["b"] = d.sum(axis=0)
        dout = d @ layer.W.T
    return result
