"""A UI-side copy of the network being trained, and what it computes for a drawn digit (no Qt).

The worker thread owns the training network; the window only gets
:class:`~nnviz.app.training.state.Snapshot` copies. :class:`NetworkCopy` builds a network of the same
architecture once (from ``net.config()`` or the settings) and loads a snapshot's weights into
it, so the digit canvas can read drawings with the live network without ever touching the
worker's. :func:`input_snapshot` is what that copy computes for one input, in the form the
network diagram draws (:meth:`NetworkDiagram.update_snapshot`).
"""
from __future__ import annotations

import numpy as np

from nnviz.app.training.state import Snapshot
from nnviz.core.errors import N_, ShapeError

NORM_KEYS = ("gamma", "beta", "running_mean", "running_var")


class NetworkCopy:
    """A network built from an architecture, whose weights follow the snapshots.

    ``config`` is :meth:`Network.config` of the trained network (taken on the UI thread before
    the experiment goes to the worker, or from a saved model). A layer with batch
    normalisation takes its γ, β and running statistics from the snapshot's ``norms`` too, so
    the copy computes what the network computes in evaluation.
    """

    def __init__(self, config: dict):
        from nnviz.core.layers import layer_from_config
        from nnviz.core.network import Network

        layers_cfg = list(config.get("layers", []))
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
        from nnviz.app.training.snapshots import norm_state

        copy = cls(net.config())
        copy.set_weights([(l.W, l.b) for l in net.dense_layers()], norm_state(net))
        return copy

    def load(self, snap: Snapshot) -> None:
        """Take ``snap``'s weights (and batch-norm state)."""
        self.set_weights(snap.weights, getattr(snap, "norms", None))

    def set_weights(self, weights, norms=None) -> None:
        """Load ``[(W (n_in, n_out), b (n_out,)), …]`` (a snapshot's ``weights``) and, for
        layers with batch-norm, ``norms`` (a snapshot's: γ, β and the running statistics)."""
        layers = self.net.dense_layers()
        if len(weights) != len(layers):
            raise ShapeError(N_("{got} weight sets for a network of {n} layers"), got=len(weights), n=len(layers))
        normed = [layer.norm is not None for layer in layers]
        if any(normed) and (norms is None or len(norms) != len(layers)):
            raise ShapeError(N_("the snapshot carries no batch-norm statistics for this network "
                                "(a different network?)"))
        for i, ((W, b), layer) in enumerate(zip(weights, layers)):
            if np.shape(W) != layer.W.shape or np.size(b) != layer.b.size:
                raise ShapeError(N_("layer {layer}: weights of shape {shape} for a {expected} layer "
                                    "(a different network?)"),
                                 layer=i, shape=np.shape(W), expected=layer.W.shape)
            layer.W[...] = np.asarray(W, dtype=self.net.dtype)
            layer.b[...] = np.asarray(b, dtype=self.net.dtype).reshape(-1)
            if normed[i]:
                self._set_norm(i, layer, norms[i])

    def _set_norm(self, i: int, layer, state) -> None:
        if state is None or any(np.size(state.get(k, ())) != layer.n_out for k in NORM_KEYS):
            raise ShapeError(N_("layer {layer}: no batch-norm statistics of {n} units (a different "
                                "network?)"), layer=i, n=layer.n_out)
        for k in ("gamma", "beta"):
            layer.params[k][...] = np.asarray(state[k], dtype=layer.params[k].dtype)
        for k in ("running_mean", "running_var"):
            layer.buffers[k] = np.array(state[k], dtype=np.float64)
        layer._sync_norm()

    def update(self, snap: Snapshot) -> bool:
        """Take ``snap``'s weights; False (nothing changed) if it has the same step as the last."""
        if snap.global_step == self.global_step and self.global_step is not None and not snap.final:
            return False
        self.load(snap)
        self.global_step = snap.global_step
        return True


def input_snapshot(net, x, base: Snapshot | None = None) -> Snapshot:
    """What ``net`` computes for one input row ``x`` (n_inputs,), as a :class:`Snapshot` the
    network diagram draws: ``x``, ``z`` and ``a`` of every dense layer (from ``net.inspect``)
    and the weights. ``base``'s step counters and loss are kept (e.g. the last training
    snapshot), so the rest of the window does not jump."""
    x = np.asarray(x, dtype=net.dtype).reshape(1, -1)
    if x.shape[1] != net.n_inputs:
        raise ShapeError(N_("the network has {n} inputs, got {got} values"), n=net.n_inputs, got=x.shape[1])
    with np.errstate(all="ignore"):
        look = net.inspect(x)
    from nnviz.app.training.snapshots import norm_state

    snap = Snapshot(weights=[(l.W.copy(), l.b.copy()) for l in net.dense_layers()], norms=norm_state(net),
                    x=x[0].copy(), z=[v.z[0].copy() for v in look.layers],
                    a=[v.a[0].copy() for v in look.layers])
    if base is not None:
        snap.epoch, snap.step, snap.global_step = base.epoch, base.step, base.global_step
        snap.lr, snap.last_loss = base.lr, base.last_loss
    return snap
