"""Where the window's loss landscape gets its numbers (pure NumPy, no Qt): a scratch network
built from a snapshot's weights, the training rows the loss is taken over, the paths."""
from __future__ import annotations

import numpy as np

from nnviz.experiment import make_network

#: Networks up to this many parameters are recomputed live as training moves.
LIVE_PARAMS = 1000
#: Training sets bigger than this are represented by this many rows, drawn once (seed 0).
SUBSET = 1000
#: The path kept from snapshots (when no run has a timeline) is thinned to this many points,
#: and to at most :data:`PATH_BYTES` of weights.
MAX_PATH = 2000
PATH_BYTES = 16 * 2**20
#: A run's recorded path is drawn with at most this many of its checkpoints (evenly spread
#: over them, the first and the newest always kept): a timeline holds thousands after a
#: minute of fast training, and copying, projecting and drawing them all every live update
#: would stall the window and slow training.
MAX_RUN_POINTS = 400


def network_from(info, snap):
    """A new network of ``info``'s shape with ``snap``'s weights (and batch-norm state)."""
    s = info.settings.replace(hidden=list(info.sizes[1:-1]), weights=None,
                              activations=list(info.activations), inits=None, bias_inits=None)
    net = make_network(s, info.sizes[0], info.sizes[-1])
    for i, (W, b) in enumerate(snap.weights):
        net.set_param(i, "W", np.asarray(W))
        net.set_param(i, "b", np.asarray(b).reshape(-1))
    for layer, norm in zip(net.layers, snap.norms or []):
        if norm is not None and layer.norm is not None:
            layer.params["gamma"][...] = norm["gamma"]
            layer.params["beta"][...] = norm["beta"]
            layer.buffers["running_mean"][...] = norm["running_mean"]
            layer.buffers["running_var"][...] = norm["running_var"]
    return net


def training_rows(info, net, subset: int = SUBSET, seed: int = 0):
    """``(x, t, used)``: the inputs and targets the loss is taken over (all training rows, or
    ``subset`` of them drawn once) and how many that is."""
    from nnviz.landscape import subset_rows

    data, s = info.data, info.settings
    rows = subset_rows(len(data.x_train), subset, seed)
    x = data.inputs(data.x_train[rows], dtype=net.dtype)
    t = data.targets(data.y_train[rows], dtype=net.dtype, off=s.target_off, on=s.target_on,
                     n_outputs=net.n_outputs)
    return x, t, len(x)


def run_paths(runs, n_params: int, current=None, center: np.ndarray | None = None) -> list[tuple[str, str, np.ndarray]]:
    """``(name, colour, checkpoints (n, P))`` of every visible run whose timeline has at least
    two checkpoints of this network's size; the ``current`` run's path ends at ``center``
    (the newest weights, which its timeline may not have kept)."""
    out = []
    for run in runs:
        tl = getattr(run, "timeline", None)
        if not run.visible or tl is None:
            continue
        rows = [np.asarray(c.params, dtype=np.float64) for c in thin(tl.checkpoints(), MAX_RUN_POINTS)]
        rows = [r for r in rows if r.size == n_params]
        if run is current and center is not None and rows and not np.array_equal(rows[-1], center):
            rows.append(np.asarray(center, dtype=np.float64))
        if len(rows) >= 2:
            out.append((run.name, run.colour, np.array(rows)))
    return out


def thin(items: list, limit: int) -> list:
    """At most ``limit`` of ``items``, evenly spread, the first and the last always kept."""
    if len(items) <= limit:
        return list(items)
    idx = np.unique(np.linspace(0, len(items) - 1, max(limit, 2)).round().astype(int))
    return [items[i] for i in idx]


class SnapshotPath:
    """The current run's path as the snapshots saw it (when no timeline records it): flat
    weights, thinned to at most :data:`MAX_PATH` points (every other one dropped when full)."""

    def __init__(self, n_params: int = 0):
        self.max_points = max(16, min(MAX_PATH, PATH_BYTES // max(8 * n_params, 1)))
        self.points: list[np.ndarray] = []
        self._every = 1
        self._seen = 0

    def clear(self) -> None:
        self.points, self._every, self._seen = [], 1, 0

    def add(self, flat: np.ndarray) -> None:
        if self.points and np.array_equal(self.points[-1], flat):
            return
        self._seen += 1
        if self._seen % self._every and self.points:
            self.points[-1] = flat          # keep the newest in the last slot
            return
        self.points.append(np.array(flat, dtype=np.float64))
        if len(self.points) > self.max_points:
            self.points = self.points[::2]
            self._every *= 2

    def array(self) -> np.ndarray:
        return np.array(self.points) if self.points else np.zeros((0, 0))


def flat_weights(snap) -> np.ndarray:
    """The snapshot's parameters laid out like ``Network.flat_params`` (per layer W, b, and
    batch-norm's γ, β)."""
    parts = []
    norms = snap.norms or [None] * len(snap.weights)
    for (W, b), norm in zip(snap.weights, norms):
        parts += [np.ravel(W), np.ravel(b)]
        if norm is not None:
            parts += [np.ravel(norm["gamma"]), np.ravel(norm["beta"])]
    return np.concatenate(parts).astype(np.float64) if parts else np.zeros(0)
