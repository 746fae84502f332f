"""One traced training step plus what the core's trace does not keep.

The core's :class:`~nnviz.core.trace.Trace` records z, a, the loss, δ, dW/db and the weights
*after* the update. To explain a step we also need the input, the weights and the optimizer
state *before* it, and (for batch-norm and dropout) the values inside a Dense layer; those are
copied here around one ``Network.train_step``, so the phases are built from recorded values
only and replaying them never recomputes anything.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nnviz.core.network import Network
from nnviz.core.optim import Optimizer
from nnviz.core.trace import Trace


@dataclass
class LayerSnapshot:
    """A dense layer as it was during the step (copies)."""

    name: str
    activation: str
    params: dict[str, np.ndarray]           # before the update: W, b (and gamma, beta)
    x: np.ndarray                           # the layer's input (a of the layer below, or x)
    z_lin: np.ndarray                       # x·W + b (before batch-norm)
    a_act: np.ndarray                       # f(z) before dropout
    mask: np.ndarray | None = None          # dropout's keep/scale mask, if any
    dropout: float = 0.0
    bn: dict[str, np.ndarray] | None = None  # batch-norm: zhat, inv_std, mean, var, eps


@dataclass
class StepRecord:
    """Everything one training step did, as copies (see the module docstring)."""

    x: np.ndarray
    t: np.ndarray | None
    layers: list[LayerSnapshot]
    trace: Trace
    loss_name: str
    loss_formula: str
    reduction: str
    fused: bool
    trained: bool
    optimizer: str | None = None
    hyper: dict = field(default_factory=dict)
    state_before: list[dict[str, np.ndarray]] = field(default_factory=list)
    t_before: int = 0
    loss_value: float | None = None
    divisor: float = 1.0                    # the loss's N (1 for reduction='sum')

    def records(self, phase: str) -> list[dict]:
        return self.trace.select(step=0, phase=phase)

    def rec(self, phase: str, layer: int) -> dict:
        return self.trace.select(step=0, phase=phase, layer=layer)[0]

    @property
    def n_layers(self) -> int:
        return len(self.layers)

    @property
    def batch(self) -> int:
        return int(self.x.shape[0])


def _snapshot_params(net: Network) -> list[dict[str, np.ndarray]]:
    return [{k: v.copy() for k, v in l.params.items()} for l in net.dense_layers()]


def _layer_snapshots(net: Network, before: list[dict], tr: Trace) -> list[LayerSnapshot]:
    out = []
    for i, (layer, params) in enumerate(zip(net.layers, before)):
        rec = tr.select(step=0, phase="forward", layer=i)[0]
        bn = None
        if "zhat" in rec:
            bn = {"zhat": rec["zhat"], "inv_std": rec["inv_std"], "eps": layer.norm.eps}
        out.append(LayerSnapshot(layer.name, layer.activation.name, params, rec["x"], rec["z_lin"],
                                 rec["a_act"], rec.get("mask"),
                                 layer.drop.p if layer.drop is not None else 0.0, bn))
    return out


def record_step(net: Network, x, t=None, optimizer: Optimizer | None = None) -> StepRecord:
    """Trace one training step of ``net`` on the batch ``(x, t)`` (it changes the weights).

    Without ``optimizer`` or ``t``, or when the network cannot be trained (the step
    activation), only the forward pass is recorded (nothing changes).
    """
    x = net.as_input(x)
    before = _snapshot_params(net)
    trained = optimizer is not None and t is not None and net.can_train()
    tr = Trace()
    state, t_before, loss = [], 0, None
    if trained:
        state = [{k: v.copy() for k, v in d.items()} for d in net.split_state(optimizer)]
        t_before = optimizer.t
        loss = net.train_step(x, t, optimizer, trace=tr)
    else:
        net.forward(x, train=False, trace=tr)
    t_arr = None if t is None else np.asarray(t, dtype=net.dtype).reshape(len(x), -1)
    return StepRecord(x=x.copy(), t=t_arr, layers=_layer_snapshots(net, before, tr), trace=tr,
                      loss_name=net.loss.name, loss_formula=net.loss.formula, reduction=net.loss.reduction,
                      fused=net.fused_output(), trained=trained,
                      optimizer=optimizer.name if trained else None,
                      hyper=dict(optimizer.hyperparameters) if trained else {},
                      state_before=state, t_before=t_before, loss_value=loss,
                      divisor=net.loss.divisor(tr.output(0)))
