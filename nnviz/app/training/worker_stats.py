"""Where the training thread's time goes: counters the worker loop keeps for benchmarks.

:class:`WorkerStats` is a plain Python object (not a ``QObject``: attribute access on one
costs several times as much, and the worker adds to these once per burst of batches). The
worker thread writes the training fields, the UI thread's snapshot relay the frame fields;
no field has two writers. Read a consistent-enough picture with :meth:`copy` and subtract
two copies to get what happened in between.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace


@dataclass
class WorkerStats:
    #: Batches trained on the worker thread (every experiment, steps included).
    batches: int = 0
    #: Samples in the batches of free runs (the step mode's batches are not counted here).
    samples: int = 0
    #: Seconds spent inside ``Trainer.train_batch``.
    train_seconds: float = 0.0
    #: Seconds the worker waited for the window to draw a snapshot (the GIL hand-over).
    ui_wait_seconds: float = 0.0
    #: Seconds spent building and sending snapshots.
    snapshot_seconds: float = 0.0
    #: Snapshots sent.
    snapshots: int = 0
    #: Frames drawn by the window (snapshots relayed to the views; merged ones count once).
    frames: int = 0
    #: Seconds the Python part of those frames took on the UI thread.
    frame_seconds: float = 0.0
    #: Moving average of one frame's cost (seconds); not a sum, so not subtracted.
    frame_cost_mean: float = 0.0
    #: Of ``batches``, those trained in the child process (nnviz.app.training.engine).
    child_batches: int = 0
    #: Free runs handed to the child process.
    child_runs: int = 0
    #: The throttle's current seconds between snapshots; not a sum, so not subtracted.
    snapshot_interval: float = 0.0

    _GAUGES = ("frame_cost_mean", "snapshot_interval")

    def copy(self) -> "WorkerStats":
        return replace(self)

    def __sub__(self, earlier: "WorkerStats") -> "WorkerStats":
        """What was counted since ``earlier`` (gauges keep this object's current value)."""
        out = {}
        for f in fields(self):
            now = getattr(self, f.name)
            out[f.name] = now if f.name in self._GAUGES else now - getattr(earlier, f.name)
        return WorkerStats(**out)

    def add_frame(self, cost: float) -> None:
        """One frame drawn by the UI thread, taking ``cost`` seconds."""
        self.frames += 1
        self.frame_seconds += cost
        m = self.frame_cost_mean
        self.frame_cost_mean = cost if m == 0.0 else 0.9 * m + 0.1 * cost

    def as_dict(self) -> dict:
        return asdict(self)
