"""Build a :class:`~nnviz.app.training.state.Snapshot` from an experiment (pure NumPy, no Qt).

:func:`make_snapshot` runs on the worker thread between two batches. It only *reads* the
network, through :meth:`Network.inspect <nnviz.core.network.Network.inspect>` (the core's one
side-effect-free look inside a network), so taking snapshots never changes what training does.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from nnviz.app.training.state import Snapshot

#: Default number of grid points per axis for 2-D inputs.
GRID_SIZE = 40
#: Margin added on each side of the data's range, as a fraction of that range.
GRID_MARGIN = 0.10


# -- the decision-boundary grid -----------------------------------------------------------------
def grid_axes(data, size: int, dtype=np.float64) -> tuple[np.ndarray, np.ndarray]:
    """``xs``, ``ys`` spanning the (scaled) training and test inputs plus a 10 % margin."""
    parts = [data.inputs(data.x_train, dtype=np.float64)]
    if len(data.x_test):
        parts.append(data.inputs(data.x_test, dtype=np.float64))
    axes = []
    for col in range(2):
        lo = min(float(p[:, col].min()) for p in parts)
        hi = max(float(p[:, col].max()) for p in parts)
        pad = (hi - lo) * GRID_MARGIN if hi > lo else 1.0
        axes.append(np.linspace(lo - pad, hi + pad, size).astype(dtype))
    return axes[0], axes[1]


def compute_grid(net, xs: np.ndarray, ys: np.ndarray) -> dict:
    """Every dense layer's activation over the plane spanned by ``xs`` × ``ys``.

    ``units[l][j, iy, ix]`` is unit ``j`` of dense layer ``l`` at the point
    ``(xs[ix], ys[iy])`` (row = y, as ``np.meshgrid(xs, ys)``); ``output[iy, ix]`` is the
    single output, or the predicted class index (as a float) for several outputs.
    """
    gx, gy = np.meshgrid(xs, ys)
    pts = np.column_stack([gx.ravel(), gy.ravel()]).astype(net.dtype, copy=False)
    look = net.inspect(pts)
    out = look.output
    shape = (len(ys), len(xs))
    units = [np.ascontiguousarray(v.a.T).reshape(v.a.shape[1], *shape) for v in look.layers]
    if out.shape[1] == 1:
        output = out[:, 0].reshape(shape).copy()
    else:
        output = out.argmax(axis=1).astype(np.float64).reshape(shape)
    return {"xs": np.array(xs), "ys": np.array(ys), "units": units, "output": output}


# -- the snapshot --------------------------------------------------------------------------------
NORM_KEYS = ("gamma", "beta", "running_mean", "running_var")


def norm_state(net) -> list | None:
    """Copies of every dense layer's batch-norm parameters and running statistics (``None`` for
    a layer without it), or ``None`` for a network with no batch-norm at all (nothing copied)."""
    dense = net.dense_layers()
    if not any(getattr(l, "norm", None) is not None for l in dense):
        return None
    out = []
    for l in dense:
        if getattr(l, "norm", None) is None:
            out.append(None)
        else:
            out.append({"gamma": l.params["gamma"].copy(), "beta": l.params["beta"].copy(),
                        "running_mean": np.array(l.buffers["running_mean"]),
                        "running_var": np.array(l.buffers["running_var"])})
    return out


def target_rows(exp, rows) -> np.ndarray:
    """The training targets of ``rows`` (an index array or slice) as the network sees them."""
    if exp.trainer is not None:
        return np.array(exp.trainer.t_train[rows])
    return target_values(exp, exp.data.y_train[rows])


def target_values(exp, y) -> np.ndarray:
    """Labels ``y`` (as the data stores them) as the targets the network is trained on."""
    s = exp.settings
    return exp.data.targets(y, dtype=exp.net.dtype, off=s.target_off, on=s.target_on,
                            n_outputs=exp.net.n_outputs)


def as_loss_points(points) -> np.ndarray:
    """``(global_step, loss)`` pairs (any sequence, or an array) as a new float (n, 2) array."""
    return np.array(points, dtype=float).reshape(-1, 2)


def make_snapshot(exp, *, sample_index: int = 0, grid_size: int = 0, loss_points=(), epochs=(),
                  confusion=None, samples_per_s: float = 0.0, final: bool = False,
                  last_loss: float | None = None, grid_axes_cache: tuple | None = None) -> Snapshot:
    """A copy of ``exp``'s network state for the window (see :class:`Snapshot`).

    Parameters
    ----------
    sample_index : int
        Training sample shown in the diagram (clamped to the training set).
    grid_size : int
        Points per axis of the decision-boundary grid; 0 (or inputs that are not 2-D): none.
    loss_points, epochs, confusion, samples_per_s, final
        Passed through (copied) into the snapshot.
    last_loss : float, optional
        Defaults to the loss of the last of ``loss_points`` (NaN if there is none).
    grid_axes_cache : (xs, ys), optional
        Precomputed :func:`grid_axes` (the worker caches them per experiment).
    """
    # Values may overflow legitimately (a diverging network): show inf/nan, do not warn.
    with np.errstate(all="ignore"):
        return _make_snapshot(exp, sample_index, grid_size, loss_points, epochs, confusion,
                              samples_per_s, final, last_loss, grid_axes_cache)


def _make_snapshot(exp, sample_index, grid_size, loss_points, epochs, confusion, samples_per_s,
                   final, last_loss, grid_axes_cache) -> Snapshot:
    net, data, trainer = exp.net, exp.data, exp.trainer
    dense = net.dense_layers()
    n = len(data.x_train)
    i = min(max(int(sample_index), 0), n - 1) if n else 0
    loss_points = as_loss_points(loss_points)
    if last_loss is None:
        last_loss = loss_points[-1, 1] if len(loss_points) else float("nan")
    snap = Snapshot(
        epoch=trainer.epoch if trainer else 0,
        step=trainer.step_in_epoch if trainer else 0,
        global_step=trainer.global_step if trainer else 0,
        lr=float(exp.optimizer.lr), samples_per_s=float(samples_per_s), last_loss=float(last_loss),
        weights=[(l.W.copy(), l.b.copy()) for l in dense], norms=norm_state(net),
        grads=([(l.grads["W"].copy(), l.grads["b"].copy()) for l in dense]
               if trainer is not None and trainer.global_step > 0 else None),
        sample_index=i, loss_points=loss_points, epochs=[dict(e) for e in epochs],
        confusion=None if confusion is None else np.array(confusion), final=bool(final))
    if n:
        x = data.inputs(data.x_train[i:i + 1], dtype=net.dtype)
        t = target_rows(exp, slice(i, i + 1)).astype(net.dtype, copy=False)
        look = net.inspect(x, t)
        snap.x = x[0].copy()
        snap.z = [v.z[0] for v in look.layers]
        snap.a = [v.a[0] for v in look.layers]
        snap.target = t[0].copy()
        snap.delta = None if look.layers[0].delta is None else [v.delta[0] for v in look.layers]
    if grid_size and grid_size > 0 and net.n_inputs == 2:
        xs, ys = grid_axes_cache if grid_axes_cache is not None else grid_axes(data, grid_size, net.dtype)
        snap.grid = compute_grid(net, xs, ys)
    return snap


def merge_snapshots(snaps: list) -> "Snapshot":
    """One snapshot standing for several in a row: the newest state, with every batch loss and
    finished epoch of all of them (so no plot point is lost) and the newest confusion matrix."""
    switch = max((i for i, s in enumerate(snaps) if s.run_switch), default=None)
    if switch is not None:   # another race variant's whole history: what came before is of the old one
        snaps = snaps[switch:]
    newest = snaps[-1]
    confusion = next((s.confusion for s in reversed(snaps) if s.confusion is not None
                      and s.recorded_step == newest.recorded_step), None)  # (a moment's own)
    return dataclasses.replace(newest, loss_points=np.concatenate([as_loss_points(s.loss_points) for s in snaps]),
                               epochs=[e for s in snaps for e in s.epochs], confusion=confusion,
                               final=any(s.final for s in snaps), run_switch=switch is not None)
