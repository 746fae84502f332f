"""A run's timeline: checkpoints of its exact state, dense early and thinning out later.

:class:`Timeline` keeps a :class:`Checkpoint` at each of the first ``DENSE_STEPS`` steps, then
at every power of two and every ``START_STRIDE``-th step (a checkpoint costs a copy; a step not
kept costs about a microsecond); when the timeline's bytes would pass the budget, it doubles
the stride (and halves the dense start) and drops the checkpoints off it until they fit again.
A checkpoint holds the state packed (:mod:`nnviz.timeline.packed`: two contiguous arrays and a
few small tuples), and ``nbytes`` counts what it really takes: arrays and Python objects. The first checkpoint and the newest are
always kept, so memory stays bounded whatever the run's length, the first steps (where
learning is fastest) stay dense, and any step is at most one stride of batches away from a
checkpoint (see :func:`nnviz.timeline.branch.replay_to`). The per-epoch metrics and the batch
losses are kept apart and never lose an epoch.
"""
from __future__ import annotations

import sys
import threading
from array import array

import numpy as np

from nnviz.timeline.packed import Packer, footprint, shared_of, shared_size

#: The default memory budget of a timeline's checkpoints.
DEFAULT_BUDGET = 256 * 2**20
#: At most this many (step, loss) rows are kept; beyond, every other one is dropped.
MAX_LOSS_ROWS = 2**18
#: Every step up to this one is kept at first (the dense start) ...
DENSE_STEPS = 64
#: ... and after it every ``stride``-th step (and every power of two), doubling as memory fills.
START_STRIDE = 16


class Checkpoint:
    """The run at one moment: ``step`` = the trainer's ``global_step`` (0: before the first
    batch), the epochs completed, the batches of the current epoch, its metrics (``loss``,
    and at an epoch's end ``train_loss``, ``train_acc``, ``test_loss``, ``test_acc``, ``lr``),
    the parameters (read-only) and the exact state (:func:`capture_state`'s dict; a recorded
    checkpoint holds it packed (:class:`~nnviz.timeline.packed.Packed`) and builds the dict
    when asked)."""

    __slots__ = ("step", "epoch", "step_in_epoch", "metrics", "params", "_state", "packed", "_bytes")

    def __init__(self, step: int, epoch: int, step_in_epoch: int, metrics: dict,
                 params: np.ndarray, state: dict | None = None, packed=None):
        self.step, self.epoch, self.step_in_epoch = step, epoch, step_in_epoch
        self.metrics, self.params, self._state, self.packed = metrics, params, state, packed
        self._bytes = None

    @property
    def state(self) -> dict:
        return self._state if self.packed is None else self.packed.state()

    def __repr__(self) -> str:
        return (f"Checkpoint(step={self.step}, epoch={self.epoch}, "
                f"step_in_epoch={self.step_in_epoch}, metrics={self.metrics!r})")


def _dict_bytes(d: dict) -> int:
    return sys.getsizeof(d) + sum(map(sys.getsizeof, d.values())) + 16 * (1 + len(d))


def _is_pow2(n: int) -> bool:
    return n > 0 and n & (n - 1) == 0


class Timeline:
    """The checkpoints of one run (thread-safe: one thread, the worker, records; others, the
    window, read. A step not kept appends its loss without the lock, see :meth:`record`).

    ``nbytes`` (the checkpoints' arrays and Python objects, what several share counted once, the
    batch losses and the epochs' metrics: the memory the timeline holds, checked against
    tracemalloc) stays at most ``budget_bytes`` whenever the budget holds the first and the
    newest checkpoint; ``stride``
    is the spacing of the checkpoints kept after the first powers of two. ``preset`` names the
    preset whose data the run used (for :func:`~nnviz.timeline.branch.replay_to` without data).
    """

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET, settings=None, preset: str | None = None):
        self.budget_bytes = int(budget_bytes)
        self.settings = settings
        self.preset = preset          # the preset the run's data came from (None: the dataset)
        self._gap = (0, 0)                 # no step strictly between these two is kept
        self.stride = START_STRIDE
        self.dense = DENSE_STEPS           # every step below this one is kept (halves as it thins)
        self.steps_per_epoch: int | None = None
        self.last_step = -1
        self.epochs: list[dict] = []
        self._cps: list[Checkpoint] = []
        self.pinned: set[int] = set()      # steps never thinned (where settings changed live)
        self._refs: dict[int, list] = {}   # id(obj) → [obj, count, bytes]: shared objects once
        self._nbytes = 0                   # the checkpoints' bytes (arrays and Python objects)
        self._epoch_bytes = sys.getsizeof(self.epochs)
        self._packer = Packer()
        self._fp: dict = {}                # footprint per checkpoint kind (see _footprint)
        self._lsteps, self._lvals = array("d"), array("d")   # the batch losses, cheap to append
        self._last_lstep = -1
        self._loss_every = 1
        self._lock = threading.RLock()

    @property
    def stride(self) -> int:
        return self._stride

    @stride.setter
    def stride(self, value: int) -> None:
        self._stride, self._gap = value, (0, 0)   # (the gap is found again)

    @property
    def dense(self) -> int:
        return self._dense

    @dense.setter
    def dense(self, value: int) -> None:
        self._dense, self._gap = value, (0, 0)

    # -- recording --------------------------------------------------------------------------
    def _keeps(self, step: int) -> bool:
        return step < self._dense or step % self._stride == 0 or _is_pow2(step)

    def _next_kept(self, step: int) -> int:
        """The first step after ``step`` that :meth:`_keeps` (``step`` ≥ 0)."""
        stride = self._stride
        nxt = min((step // stride + 1) * stride, 1 << step.bit_length())
        return step + 1 if step + 1 < self._dense else nxt

    def _add_loss(self, step: int, loss: float) -> None:
        if step % self._loss_every or step == self._last_lstep:
            return
        if len(self._lsteps) >= MAX_LOSS_ROWS:
            self._loss_every *= 2
            rows = self.losses
            rows = rows[rows[:, 0] % self._loss_every == 0]
            self._put_losses(rows)
            if step % self._loss_every:
                return
        self._lsteps.append(step)
        self._lvals.append(loss)
        self._last_lstep = step

    def _put_losses(self, rows: np.ndarray) -> None:
        self._lsteps = array("d", rows[:, 0].tobytes()) if len(rows) else array("d")
        self._lvals = array("d", rows[:, 1].tobytes()) if len(rows) else array("d")
        self._last_lstep = int(rows[-1, 0]) if len(rows) else -1

    def _footprint(self, cp: Checkpoint) -> int:
        """:func:`footprint`, measured on every 32nd checkpoint of a layout (the others hold
        the same objects; the largest measured is used)."""
        if cp.packed is None:
            return footprint(cp)
        key = (id(cp.packed.layout), cp.packed.rest.nbytes, len(cp.metrics), cp.params.nbytes)
        n = self._fp.get(key)
        if n is None or n[1] % 32 == 0:
            n = [max(footprint(cp), 0 if n is None else n[0]), 0 if n is None else n[1]]
            self._fp[key] = n
        n[1] += 1
        return n[0]

    def _ref(self, cp: Checkpoint, delta: int) -> None:
        if cp._bytes is None:
            cp._bytes = self._footprint(cp)
        self._nbytes += delta * cp._bytes
        for a in shared_of(cp):
            r = self._refs.get(id(a))
            if r is None:
                if delta > 0:
                    self._refs[id(a)] = [a, 1, shared_size(a)]
                    self._nbytes += self._refs[id(a)][2]
                continue
            r[1] += delta
            if r[1] <= 0:
                del self._refs[id(a)]
                self._nbytes -= r[2]

    def record(self, trainer, loss: float | None = None, epoch_result=None, force: bool = False,
               pin: bool = False) -> bool:
        """Note the trainer's state after a batch (and after ``finish_epoch`` when the batch
        ended an epoch, with its ``epoch_result``); ``True`` if a checkpoint was kept. Call
        once before training (``force=True``) and after every batch: a step not kept costs
        no copy. ``pin=True`` keeps the checkpoint for good: record one so right after
        changing a setting live (a replay starts from the newest checkpoint before a step and
        trains with the settings that checkpoint holds)."""
        step = int(trainer.global_step)
        lo, hi = self._gap
        if lo < step < hi and epoch_result is None and not (force or pin) \
                and self.steps_per_epoch is not None:
            # A step not kept (most batches): its loss, without the lock. Only this thread
            # changes the losses; a reader (``losses``) takes as many steps as values, and the
            # values come second; the gap only widens as the timeline thins.
            if loss is not None and step != self._last_lstep and not step % self._loss_every:
                ls = self._lsteps
                if len(ls) >= MAX_LOSS_ROWS:   # (thinning the losses: with the lock)
                    with self._lock:
                        return self._record(trainer, step, loss, epoch_result, force, pin)
                ls.append(step)
                self._lvals.append(float(loss))
                self._last_lstep = step
            if step > self.last_step:
                self.last_step = step
            if not len(self._lsteps) & 1023 and self.nbytes > self.budget_bytes:
                with self._lock:
                    self._thin()   # the losses grew
            return False
        with self._lock:
            return self._record(trainer, step, loss, epoch_result, force, pin)

    def _record(self, trainer, step: int, loss, epoch_result, force: bool, pin: bool) -> bool:
        """:meth:`record` with the lock held (and the gap after ``step`` found: the steps up to
        the next one kept take the quick way)."""
        if loss is not None and step != self._last_lstep:
            self._add_loss(step, float(loss))
        if epoch_result is not None:
            d = epoch_result.as_dict() if hasattr(epoch_result, "as_dict") else dict(epoch_result)
            if not self.epochs or self.epochs[-1].get("epoch") != d.get("epoch"):
                self.epochs.append(d)
                self._epoch_bytes += _dict_bytes(d) + 8
        if step > self.last_step:
            self.last_step = step
        if self.steps_per_epoch is None or epoch_result is not None:
            self.steps_per_epoch = int(trainer.steps_per_epoch)
        stride, dense = self._stride, self._dense
        if force or pin or step < dense or not step % stride or not step & (step - 1):
            kept = True   # (_keeps, inline)
            if pin:
                self.pinned.add(step)
            metrics = {"loss": None if loss is None else float(loss)}
            if epoch_result is not None:
                d = self.epochs[-1]
                metrics.update({k: d.get(k) for k in ("train_loss", "train_acc", "test_loss",
                                                      "test_acc", "lr")})
            pk = self._packer.pack(trainer)
            cp = Checkpoint(step, int(trainer.epoch), int(trainer.step_in_epoch), metrics,
                            pk.params, packed=pk)
            self._append(cp)
        else:
            kept = False
            if (epoch_result is not None or not len(self._lsteps) & 1023) \
                    and self._held() > self.budget_bytes:
                self._thin()   # the losses or the epochs grew
        lo, hi = self._gap   # (a new stride or dense start has emptied it)
        if step >= 0 and not lo < step + 1 < hi:   # (_next_kept, inline)
            stride, dense = self._stride, self._dense
            nxt = min((step // stride + 1) * stride, 1 << step.bit_length())
            self._gap = (step, step + 1 if step + 1 < dense else nxt)
        return kept

    def _append(self, cp: Checkpoint, thin: bool = True) -> None:
        if self._cps and self._cps[-1].step >= cp.step:  # the same step again: the newer state
            while self._cps and self._cps[-1].step >= cp.step:
                self._ref(self._cps.pop(), -1)
        self._cps.append(cp)
        self._ref(cp, +1)
        if thin and self._held() > self.budget_bytes:
            self._thin()

    def _thin(self) -> None:
        while self._held() > self.budget_bytes and len(self._cps) > 2:
            if self.stride <= max(1, self._cps[-1].step):
                self.stride *= 2
                self.dense //= 2
                last = len(self._cps) - 1
                keep = [cp for i, cp in enumerate(self._cps)
                        if i in (0, last) or cp.step in self.pinned or self._keeps(cp.step)]
            else:  # only powers of two are left: drop the oldest after the first
                loose = [i for i, cp in enumerate(self._cps[1:-1], 1) if cp.step not in self.pinned]
                if not loose:
                    return
                keep = self._cps[:loose[0]] + self._cps[loose[0] + 1:]
            kept = {id(cp) for cp in keep}
            for cp in self._cps:
                if id(cp) not in kept:
                    self._ref(cp, -1)
            self._cps = keep

    def add_checkpoint(self, cp: Checkpoint, thin: bool = True) -> None:
        """Put back a checkpoint (from a file), in step order."""
        with self._lock:
            self._append(cp, thin)
            self.last_step = max(self.last_step, cp.step)

    def set_epochs(self, epochs: list[dict]) -> None:
        with self._lock:
            self.epochs = list(epochs)
            self._epoch_bytes = sys.getsizeof(self.epochs) + sum(_dict_bytes(e) + 8 for e in self.epochs)

    def set_losses(self, rows: np.ndarray) -> None:
        with self._lock:
            rows = np.asarray(rows, np.float64).reshape(-1, 2)
            self._put_losses(rows)

    # -- reading ----------------------------------------------------------------------------
    def checkpoints(self) -> list[Checkpoint]:
        with self._lock:
            return list(self._cps)

    def steps(self) -> np.ndarray:
        with self._lock:
            return np.array([cp.step for cp in self._cps], dtype=np.int64)

    def at(self, step: int) -> Checkpoint:
        """The newest checkpoint at or before ``step`` (the first one for an earlier step)."""
        with self._lock:
            if not self._cps:
                raise LookupError("the timeline is empty")
            steps = [cp.step for cp in self._cps]
            i = int(np.searchsorted(steps, int(step), side="right")) - 1
            return self._cps[max(i, 0)]

    def params_at(self, step: int) -> np.ndarray:
        return self.at(step).params

    @property
    def nbytes(self) -> int:
        """The memory the timeline holds: every checkpoint's arrays and Python objects (an
        object several share counted once), the batch losses and the per-epoch metrics."""
        with self._lock:
            return self._held()

    def _held(self) -> int:
        """:attr:`nbytes` (with the lock held)."""
        return (self._nbytes + sys.getsizeof(self._lsteps) + sys.getsizeof(self._lvals)
                + self._epoch_bytes + 8 * len(self._cps))

    @property
    def losses(self) -> np.ndarray:
        with self._lock:   # (record appends a step, then its value, without the lock)
            steps, values = self._lsteps, self._lvals
            n = len(values)
            out = np.empty((n, 2), np.float64)
            out[:, 0] = steps[:n]   # copies: the arrays themselves must not be lent out while
            out[:, 1] = values[:n]  # record may append to them
            return out

    def truncated(self, step: int, budget_bytes: int | None = None) -> "Timeline":
        """A new timeline with this one's record up to ``step`` (a branch's history)."""
        with self._lock:
            tl = Timeline(self.budget_bytes if budget_bytes is None else budget_bytes,
                          self.settings, self.preset)
            tl.stride, tl.dense = self.stride, self.dense
            tl.pinned = {p for p in self.pinned if p <= step}
            for cp in self._cps:
                if cp.step <= step:
                    tl._append(cp, thin=False)
            tl._thin()
            tl.last_step = min(self.last_step, int(step))
            tl.steps_per_epoch = self.steps_per_epoch
            done = self._epoch_at(step) if self._cps else 0
            tl.set_epochs([dict(e) for e in self.epochs if e.get("epoch", 0) <= done])
            rows = self.losses
            tl.set_losses(rows[rows[:, 0] <= step])
            return tl

    def _epoch_at(self, step: int) -> int:
        """Epochs completed at ``step``."""
        if self.steps_per_epoch:
            return int(step) // self.steps_per_epoch
        return self.at(step).epoch

    def __len__(self) -> int:
        return len(self._cps)

    def __repr__(self) -> str:
        return (f"Timeline({len(self._cps)} checkpoints up to step {self.last_step}, "
                f"{self.nbytes} bytes of {self.budget_bytes})")
