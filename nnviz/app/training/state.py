"""What the worker thread sends the window: plain copies, no Qt, no references into the network.

A :class:`Snapshot` is made on the worker thread (``make_snapshot``) at most ~30 times a
second and always after the last batch; widgets only draw it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Snapshot:
    """The network's state at one moment of training (every array is a copy).

    Attributes
    ----------
    epoch, step, global_step : int
        Epochs completed, batch within the current epoch (1-based), batches since start.
    lr, samples_per_s, last_loss : float
    weights : list of (W, b)
        Per dense layer, ``W`` of shape (n_in, n_out) (layout ``in_out``), ``b`` (n_out,).
    grads : list of (dW, db) or None
        The gradients of the last batch, same shapes.
    norms : list of (dict or None) or None
        Only for a network with batch normalisation: per dense layer, ``None`` (no batch-norm)
        or copies of its ``gamma``, ``beta``, ``running_mean`` and ``running_var`` (n_out,), so
        a copy of the network computes what it computes in evaluation. ``None`` otherwise.
    sample_index : int
        Which training sample ``x``, ``z``, ``a`` and ``delta`` belong to.
    x : ndarray (n_inputs,)
        The shown sample's (scaled) input.
    z, a : list of ndarray (n_units,)
        Pre-activation and activation of every dense layer for the shown sample.
    delta : list of ndarray (n_units,) or None
        ∂L/∂z of every dense layer for the shown sample alone.
    target : ndarray (n_outputs,) or None
    loss_points : ndarray (n, 2)
        ``[global_step, loss]`` rows: the batch losses since the previous snapshot (for a
        per-step loss curve).
    epochs : list of dict
        ``EpochResult.as_dict()`` of epochs finished since the previous snapshot.
    confusion : ndarray (k, k) or None
        Test-set confusion matrix ``C[true, predicted]``, sent at the end of an epoch.
    grid : dict or None
        For 2-D inputs: ``{"xs": (G,), "ys": (G,), "units": [ndarray (n_units, G, G) per
        layer], "output": ndarray (G, G)}`` — every neuron's activation over the input plane.
    recorded_step : int or None
        ``None`` for the running network; the global step of a recorded moment of a run's
        timeline otherwise (the scrub bar asked for it: see :mod:`nnviz.app.timeline`).
    run_switch : bool
        True when the snapshot carries another race variant's whole history (the window starts
        its curves afresh).
    """

    epoch: int = 0
    step: int = 0
    global_step: int = 0
    lr: float = 0.0
    samples_per_s: float = 0.0
    last_loss: float = float("nan")
    weights: list = field(default_factory=list)
    grads: list | None = None
    norms: list | None = None
    sample_index: int = 0
    x: np.ndarray | None = None
    z: list = field(default_factory=list)
    a: list = field(default_factory=list)
    delta: list | None = None
    target: np.ndarray | None = None
    loss_points: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    epochs: list = field(default_factory=list)
    confusion: np.ndarray | None = None
    grid: dict | None = None
    final: bool = False
    recorded_step: int | None = None
    run_switch: bool = False   # another race variant's whole history (nnviz.app.timeline.race)
    recorded_followup: bool = False   # a recorded moment again, now with its confusion matrix
