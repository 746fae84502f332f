"""A trace: every intermediate value of forward, loss, backward and update, as copies.

A training step is recorded as a list of phase records, in the order they happen::

    {"step": 0, "phase": "forward",  "layer": 0, "z": ..., "a": ...}
    ...
    {"step": 0, "phase": "loss",     "layer": L-1, "value": 0.1, "grad": ∂L/∂output}
    {"step": 0, "phase": "backward", "layer": L-1, "delta": ∂L/∂z, "dW": ..., "db": ...}
    ...
    {"step": 0, "phase": "update",   "layer": 0, "W": ..., "b": ..., "state": {...}}

``layer`` is the one layer index used everywhere: the 0-based index of the dense layer
(``net.layers[layer]``); the loss record carries the last layer's. Arrays are copies taken
when recorded, so the UI can replay, rewind and show any number later without recomputing,
and later training never changes them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

PHASES = ("forward", "loss", "backward", "update")


@dataclass
class Trace:
    """Records of one or more steps; see the module docstring for their shape."""

    records: list[dict] = field(default_factory=list)

    def add(self, step: int, phase: str, layer: int, **values) -> None:
        rec = {"step": int(step), "phase": phase, "layer": int(layer)}
        for k, v in values.items():
            if isinstance(v, np.ndarray):
                v = v.copy()
            elif isinstance(v, dict):
                v = {kk: (vv.copy() if isinstance(vv, np.ndarray) else vv) for kk, vv in v.items()}
            rec[k] = v
        self.records.append(rec)

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self):
        return iter(self.records)

    def select(self, step: int | None = None, phase: str | None = None, layer: int | None = None) -> list[dict]:
        """The records matching every given field."""
        return [r for r in self.records
                if (step is None or r["step"] == step) and (phase is None or r["phase"] == phase)
                and (layer is None or r["layer"] == layer)]

    def output(self, step: int = 0) -> np.ndarray:
        """The network's output (last forward ``a``) of ``step``."""
        fwd = self.select(step=step, phase="forward")
        return fwd[-1]["a"]

    @property
    def steps(self) -> int:
        return 1 + max((r["step"] for r in self.records), default=-1)

    def to_json(self) -> list[dict]:
        """Records with arrays as nested lists (floats kept exact by ``json``'s repr)."""
        return [to_jsonable(r) for r in self.records]


def to_jsonable(obj):
    """Arrays → lists and NumPy scalars → Python numbers, recursively."""
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, dict):
        return {k: to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    return obj
