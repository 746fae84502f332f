"""A UI-side copy of the network being trained, and what it computes for a drawn digit (no Qt).

The worker thread owns the training network; the window only gets
:class:`~nnviz.app.state.Snapshot` copies. :class:`NetworkCopy` builds a network of the same
architecture once (from ``net.config()`` or the settings) and loads a snapshot's weights into
it, so the digit canvas can read drawings with the live network without ever touching the
worker's. :func:`input_snapshot` is what that copy computes for one input, in the form the
network diagram draws (:meth:`NetworkDiagram.update_snapshot`).
"""
from __future__ import annotations

import numpy as np

from nnviz.app.state import Snapshot
from nnviz.core.errors import NNVizError, ShapeError


class NetworkCopy:
    """A network built from an architecture, whose weights follow the snapshots.

    ``config`` is :meth:`Network.config` of the trained network (taken on the UI thread before
    the experiment goes to the worker, or from a saved model). A layer with batch
    normalisation cannot be copied: a snapshot carries only ``W`` and ``b``.
    """

    def __init__(self, config: dict):
        from nnviz.core.layers import layer_from_config
        from nnviz.core.network import Network

        layers_cfg = list(config.get("layers", []))
        if any(c.get("batchnorm") for c in layers_cfg):
            raise NNVizError("the canvas cannot follow a network with batch normalisation "
                             "(its snapshots carry no batch statistics); save the model and open "
                             "the file instead")
        rng = np.random.default_rng(0)
        self.net = Network([layer_from_config(c, rng=rng) for c in layers_cfg],
                           loss=config.get("loss", "mse"), reduction=config.get("reduction", "mean"),
                           dtype=config.get("dtype", "float64"))
        self.global_step: int | None = None

    @classmethod
    def from_settings(cls, settings, n_inputs: int, n_outputs: int) -> "NetworkCopy":
        """The architecture :func:`nnviz.experiment.make_network` builds for these settings."""
        from nnviz.experiment import make_network

        return cls(make_network(settings, n_inputs, n_outputs).config())

    @classmethod
    def of(cls, net) -> "NetworkCopy":
        """A copy of ``net``'s architecture and current weights."""
        copy = cls(net.config())
        copy.set_weights([(l.W, l.b) for l in net.dense_layers()])
        return copy

    def set_weights(self, weights) -> None:
        """Load ``[(W (n_in, n_out), b (n_out,)), …]`` (a snapshot's ``weights``)."""
        layers = self.net.dense_layers()
        if len(weights) != len(layers):
            raise ShapeError(f"{len(weights)} weight sets for a network of {len(layers)} layers")
        for i, ((W, b), layer) in enumerate(zip(weights, layers)):
            if np.shape(W) != layer.W.shape or np.size(b) != layer.b.size:
                raise ShapeError(f"layer {i}: weights of shape {np.shape(W)} for a "
                                 f"{layer.W.shape} layer (a different network?)")
            layer.W[...] = np.asarray(W, dtype=self.net.dtype)
            layer.b[...] = np.asarray(b, dtype=self.net.dtype).reshape(-1)

    def update(self, snap: Snapshot) -> bool:
        """Take ``snap``'s weights; False (nothing changed) if it has the same step as the last."""
        if snap.global_step == self.global_step and self.global_step is not None and not snap.final:
            return False
        self.set_weights(snap.weights)
        self.global_step = snap.global_step
        return True


def input_snapshot(net, x, base: Snapshot | None = None) -> Snapshot:
    """What ``net`` computes for one input row ``x`` (n_inputs,), as a :class:`Snapshot` the
    network diagram draws: ``x``, ``z`` and ``a`` of every dense layer (from ``net.inspect``)
    and the weights. ``base``'s step counters and loss are kept (e.g. the last training
    snapshot), so the rest of the window does not jump."""
    x = np.asarray(x, dtype=net.dtype).reshape(1, -1)
    if x.shape[1] != net.n_inputs:
        raise ShapeError(f"the network has {net.n_inputs} inputs, got {x.shape[1]} values")
    with np.errstate(all="ignore"):
        look = net.inspect(x)
    snap = Snapshot(weights=[(l.W.copy(), l.b.copy()) for l in net.dense_layers()],
                    x=x[0].copy(), z=[v.z[0].copy() for v in look.layers],
                    a=[v.a[0].copy() for v in look.layers])
    if base is not None:
        snap.epoch, snap.step, snap.global_step = base.epoch, base.step, base.global_step
        snap.lr, snap.last_loss = base.lr, base.last_loss
    return snap
