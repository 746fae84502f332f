"""The training loop, one batch at a time, so a terminal and a worker thread drive it alike.

``Trainer.train_batch()`` runs exactly one batch and returns what happened; at the end of an
epoch it also evaluates the test set and returns an :class:`EpochResult`. Nothing here
sleeps, prints or knows about threads: the CLI loops over it, the window's worker calls it
between checks of its pause/stop flags.

The data object is duck-typed (``nnviz.data.Dataset`` fits): ``x_train, y_train, x_test,
y_test``, ``inputs(x, dtype)``, ``targets(y, dtype, off, on, n_outputs)``,
``is_classification``.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from nnviz.core.compact import CompactState
from nnviz.core.errors import N_, Diverged, NNVizError, ShapeError, Text, shown
from nnviz.core.network import Network
from nnviz.core.optim import Optimizer
from nnviz.core.schedules import Schedule, get_schedule

BATCH_MODES = ("full", "sgd", "mini")
_clock = time.perf_counter

#: A run has blown up when its batch loss stays above ``max(BLOWUP_FACTOR × start,
#: start + BLOWUP_MARGIN)`` (``start``: the first batch's loss) for ``BLOWUP_PATIENCE``
#: batches in a row, or when a weight grows ``WEIGHT_BLOWUP`` times larger than the largest
#: one at the start (a saturated output can hide a blow-up from the loss). A finite loss of
#: 10²⁰ is as diverged as a NaN; a short spike that recovers is not.
BLOWUP_FACTOR = 1e3
BLOWUP_MARGIN = 100.0
BLOWUP_PATIENCE = 10
WEIGHT_BLOWUP = 1e6
#: Weights are checked every this many batches while training looks healthy, and after
#: every batch (with a copy of the weights before it, to restore) once the loss is
#: ``SUSPICIOUS`` times its start or a weight has grown a thousandfold. (A per-sample loss
#: is often above the first sample's: a lower factor would copy the weights needlessly.)
WEIGHT_CHECK_EVERY = 8
SUSPICIOUS = 10.0


def divergence_hint(optimizer: Optimizer) -> Text:
    """What to change when training diverged: the penalty when it alone drives the weights
    apart (each step multiplies a weight by ``1 − lr·λ₂``, which grows in size once
    ``lr·λ₂ > 2``; L1 moves every weight by ``lr·λ₁`` a step), else the learning rate."""
    lr, wd, l1 = optimizer.lr, optimizer.weight_decay, optimizer.l1
    if wd and lr * wd > 1:
        return Text(N_("the weight decay {wd} is too large for learning rate {lr} (lr × weight "
                       "decay = {product}, keep it below 1)"), wd=f"{wd:g}", lr=f"{lr:g}",
                    product=f"{lr * wd:g}")
    if l1 and lr * l1 > 0.1:
        return Text(N_("the L1 penalty {l1} is too large for learning rate {lr} (lr × L1 = "
                       "{product} moves every weight that much per step)"), l1=f"{l1:g}",
                    lr=f"{lr:g}", product=f"{lr * l1:g}")
    return Text(N_("try a smaller learning rate than {lr}"), lr=f"{lr:g}")


@dataclass
class BatchResult:
    epoch: int          # 1-based
    step: int           # 1-based within the epoch
    global_step: int    # batches since the start
    loss: float
    samples: int
    epoch_done: bool


@dataclass
class EpochResult:
    epoch: int
    train_loss: float
    train_acc: float | None
    test_loss: float | None
    test_acc: float | None
    seconds: float      # training time of this epoch alone (no evaluation)
    lr: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)  # flat fields: a plain copy (dataclasses.asdict is much slower, and this runs every epoch)


def batch_mode(batch_size: int | None, n: int) -> str:
    """``"full"`` (whole set per step), ``"sgd"`` (one sample) or ``"mini"``."""
    if not batch_size or batch_size >= n:
        return "full"
    return "sgd" if batch_size == 1 else "mini"


def _largest(p: np.ndarray) -> float:
    return float(max(p.max(), -p.min())) if p.size else 0.0


class BlowUpWatch(CompactState):
    """Watches a run for a blow-up (see ``BLOWUP_FACTOR``): the first batch's loss
    (``start_loss``), the batches in a row far above it (``high``), whether the next batch
    keeps a copy of the weights to restore (``suspicious``, ``backup``) and the largest weight
    at the start (``start_weight``). (Its own object: CPython keeps at most 30 attributes of
    an object in the fast compact storage, see :mod:`nnviz.core.compact`.)"""

    def __init__(self, flat_params: np.ndarray):
        self.start_loss: float | None = None
        self.high = 0
        self.suspicious = False
        self.backup: np.ndarray | None = None
        self.start_weight = max(1.0, _largest(flat_params))

    def check(self, loss: float, global_step: int, flat_params: np.ndarray) -> Text | None:
        """Why the finite ``loss`` (and the weights after its update) show a blown-up run,
        or ``None``. Also decides whether the next batch keeps a copy of the weights."""
        if self.start_loss is None:
            self.start_loss = loss
        start = self.start_loss
        bound = max(BLOWUP_FACTOR * start, start + BLOWUP_MARGIN)
        self.high = self.high + 1 if loss > bound else 0
        suspicious = loss > SUSPICIOUS * start
        reason = None
        if self.high >= BLOWUP_PATIENCE:
            reason = Text(N_("loss {loss} for {n} batches, far above its start {start}"),
                          loss=f"{loss:.4g}", n=self.high, start=f"{start:.4g}")
        if suspicious or self.suspicious or global_step % WEIGHT_CHECK_EVERY == 0:
            largest = _largest(flat_params)
            if not largest <= WEIGHT_BLOWUP * self.start_weight:  # also NaN
                reason = Text(N_("a weight grew to {largest}, from at most {start} at the start"),
                              largest=f"{largest:.4g}", start=f"{self.start_weight:.4g}")
            elif largest > BLOWUP_FACTOR * self.start_weight:
                suspicious = True
        self.suspicious = suspicious or reason is not None
        return reason


class Trainer(CompactState):
    """Trains ``net`` on ``data`` with ``optimizer``.

    Parameters
    ----------
    batch_size : int or None
        ``None``/0 or ≥ n: full batch; 1: per-sample (stochastic); else mini-batches.
    shuffle : bool
        Reshuffle the training order each epoch from ``np.random.default_rng(seed)``;
        ``False`` keeps the data's own order.
    target_off, target_on : float
        Target values for the wrong and the right class (0/1, or 0.01/0.99 in the seeds' MNIST).
    transform : callable, optional
        ``transform(x_raw, rng)`` applied to each training batch's raw inputs before scaling
        (augmentation); evaluation always sees the data as it is.
    """

    def __init__(self, net: Network, data, optimizer: Optimizer, batch_size: int | None = 32,
                 shuffle: bool = True, seed: int = 0, schedule: Schedule | str | None = None,
                 target_off: float = 0.0, target_on: float = 1.0, eval_batch: int = 2000,
                 transform=None):
        self.net, self.data, self.optimizer = net, data, optimizer
        # transform(x_raw, rng) -> x_raw: e.g. augmentation, fresh for every training batch; its
        # own generator, so the shuffle order is the same with and without it
        self.transform = transform
        self.transform_rng = np.random.default_rng([seed, 1])
        self.schedule = get_schedule(schedule)
        self.base_lr = optimizer.lr
        for what, v in (("weight decay", optimizer.weight_decay), ("L1 penalty", optimizer.l1)):
            if not (math.isfinite(v) and v >= 0):
                raise NNVizError(N_("the {what} must be a finite number ≥ 0, got {v}"), what=what, v=shown(v))
        if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
            raise NNVizError(N_("the seed must be a whole number ≥ 0, got {seed}"), seed=shown(seed))
        self.shuffle, self.rng = shuffle, np.random.default_rng(seed)
        self.target_off, self.target_on = float(target_off), float(target_on)
        self.eval_batch = int(eval_batch)
        n = len(data.x_train)
        if n == 0:
            raise NNVizError(N_("the training set is empty"))
        if data.x_train.shape[1] != net.n_inputs:
            raise ShapeError(N_("the data has {shape} input features but layer 0 ({name}) expects {n_inputs}"), shape=data.x_train.shape[1], name=net.layers[0].name, n_inputs=net.n_inputs)
        self.n_train = n
        self.batch_size = n if not batch_size or batch_size >= n else int(batch_size)
        if self.batch_size < 1:
            raise NNVizError(N_("batch size must be at least 1, got {batch_size}"), batch_size=batch_size)
        self.t_train = self._targets(data.y_train)
        self.t_test = self._targets(data.y_test) if len(data.y_test) else None
        self.epoch = 0          # epochs completed
        self.step_in_epoch = 0  # batches done in the current epoch
        self.global_step = 0
        self.last_epoch: EpochResult | None = None
        self.last_confusion: np.ndarray | None = None
        self._order = None
        self.watch = BlowUpWatch(net.flat_params)
        self._begin_epoch_stats()

    # -- helpers -------------------------------------------------------------------------
    def _targets(self, y):
        t = self.data.targets(y, dtype=self.net.dtype, off=self.target_off, on=self.target_on,
                              n_outputs=self.net.n_outputs)
        if t.shape[1] != self.net.n_outputs:
            raise ShapeError(N_("the data has {shape} target columns but the last layer ({name}) has {n_outputs} outputs"), shape=t.shape[1], name=self.net.layers[-1].name, n_outputs=self.net.n_outputs)
        return t

    @property
    def classification(self) -> bool:
        return bool(getattr(self.data, "is_classification", False))

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(self.n_train / self.batch_size)

    @property
    def mode(self) -> str:
        return batch_mode(self.batch_size, self.n_train)

    def predict_labels(self, y: np.ndarray) -> np.ndarray:
        """Class labels from outputs: argmax, or a threshold halfway between off and on."""
        if y.shape[1] == 1:
            return (y[:, 0] > (self.target_off + self.target_on) / 2).astype(np.int64)
        return y.argmax(axis=1)

    def _begin_epoch_stats(self):
        self._loss_sum = 0.0
        self._correct = 0
        self._seen = 0
        self._seconds = 0.0

    # -- one batch ------------------------------------------------------------------------
    def next_batch_indices(self) -> np.ndarray | slice:
        if self.step_in_epoch == 0:
            self.optimizer.lr = self.schedule.lr(self.epoch, self.base_lr)
            self._order = self.rng.permutation(self.n_train) if self.shuffle else None
        s = self.step_in_epoch * self.batch_size
        e = min(s + self.batch_size, self.n_train)
        return slice(s, e) if self._order is None else self._order[s:e]

    def train_batch(self, trace=None) -> BatchResult:
        """Train on the next batch; returns its result (``epoch_done`` on the epoch's last)."""
        steps = -(-self.n_train // self.batch_size)  # steps_per_epoch, once
        if self.step_in_epoch >= steps:  # the caller skipped finish_epoch()
            self.last_epoch = self.finish_epoch()
        t0 = _clock()
        net, data = self.net, self.data
        idx = self.next_batch_indices()
        x_raw = data.x_train[idx]
        if self.transform is not None:
            x_raw = self.transform(x_raw, self.transform_rng)
        x = data.inputs(x_raw, dtype=net.dtype)
        t = self.t_train[idx]
        watch = self.watch
        backed_up = watch.suspicious
        if backed_up:
            if watch.backup is None or watch.backup.shape != net.flat_params.shape:
                watch.backup = np.empty_like(net.flat_params)
            np.copyto(watch.backup, net.flat_params)
        try:
            loss = net.train_step(x, t, self.optimizer, trace=trace,
                                  step=self.step_in_epoch, epoch=self.epoch + 1)
        except Diverged as exc:
            raise Diverged(self.epoch + 1, self.step_in_epoch + 1, exc.loss,
                           reason=Text(N_("the loss became {loss}"), loss=exc.loss),
                           hint=divergence_hint(self.optimizer)) from None
        reason = watch.check(loss, self.global_step, net.flat_params)
        if reason is not None and backed_up:  # (else: raised after the next batch, backed up)
            np.copyto(net.flat_params, watch.backup)  # the weights before this step
            raise Diverged(self.epoch + 1, self.step_in_epoch + 1, loss, reason=reason,
                           hint=divergence_hint(self.optimizer))
        n = len(x)
        # Running training metrics from the outputs this batch computed before its update.
        self._loss_sum += loss * n if net.loss.reduction == "mean" else loss
        if self.classification:
            labels = np.asarray(data.y_train[idx])
            self._correct += int(np.count_nonzero(self.predict_labels(net.layers[-1].a) == labels))
        self._seen += n
        self.step_in_epoch = step = self.step_in_epoch + 1
        self.global_step += 1
        self._seconds += _clock() - t0
        return BatchResult(self.epoch + 1, step, self.global_step, loss, n, step >= steps)

    def finish_epoch(self) -> EpochResult:
        """Close the epoch: running train metrics, test metrics, and reset for the next."""
        per_mean = self.net.loss.reduction == "mean"
        train_loss = self._loss_sum / self._seen if per_mean else self._loss_sum
        train_acc = self._correct / self._seen if self.classification else None
        test_loss, test_acc = self.evaluate("test") if self.t_test is not None else (None, None)
        res = EpochResult(self.epoch + 1, train_loss, train_acc, test_loss, test_acc,
                          self._seconds, self.optimizer.lr)
        self.last_epoch = res
        self.epoch += 1
        self.step_in_epoch = 0
        self._begin_epoch_stats()
        return res

    def train_for(self, seconds: float) -> tuple[int, int, float]:
        """Train batch after batch (closing epochs as they end) for about ``seconds``; returns
        ``(batches, samples, elapsed seconds)`` — what benchmarks measure."""
        batches = samples = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            r = self.train_batch()
            batches += 1
            samples += r.samples
            if r.epoch_done:
                self.finish_epoch()
        return batches, samples, time.perf_counter() - t0

    def run_epoch(self, on_batch=None) -> EpochResult:
        """Train one whole epoch (calling ``on_batch(BatchResult)`` after each batch)."""
        while True:
            r = self.train_batch()
            if on_batch is not None:
                on_batch(r)
            if r.epoch_done:
                return self.finish_epoch()

    # -- evaluation ------------------------------------------------------------------------
    def outputs(self, split: str = "test") -> np.ndarray:
        """Network outputs (evaluation mode) for a whole split, in chunks."""
        x_raw = self.data.x_test if split == "test" else self.data.x_train
        outs = [self.net.forward(self.data.inputs(x_raw[s:s + self.eval_batch], dtype=self.net.dtype))
                for s in range(0, len(x_raw), self.eval_batch)]
        return np.concatenate(outs) if outs else np.zeros((0, self.net.n_outputs), self.net.dtype)

    def evaluate(self, split: str = "test") -> tuple[float, float | None]:
        """``(loss, accuracy)`` over a split (accuracy ``None`` for regression).

        For classification the same pass also counts the confusion matrix, kept in
        ``last_confusion`` (``C[true, predicted]``).
        """
        x_raw = self.data.x_test if split == "test" else self.data.x_train
        y_raw = self.data.y_test if split == "test" else self.data.y_train
        t_all = self.t_test if split == "test" else self.t_train
        total, n = 0.0, len(x_raw)
        per_mean = self.net.loss.reduction == "mean"
        k = max(int(self.data.n_classes), 2) if self.classification else 0
        counts = np.zeros(k * k, dtype=np.int64) if k else None
        for s in range(0, n, self.eval_batch):
            x = self.data.inputs(x_raw[s:s + self.eval_batch], dtype=self.net.dtype)
            y = self.net.forward(x)
            loss = self.net.loss_value(y, t_all[s:s + self.eval_batch])
            total += loss * len(x) if per_mean else loss
            if k:
                true = np.asarray(y_raw[s:s + self.eval_batch], dtype=np.int64)
                counts += np.bincount(true * k + self.predict_labels(y), minlength=k * k)
        loss = total / n if per_mean else total
        if not k:
            return loss, None
        self.last_confusion = counts.reshape(k, k)
        return loss, float(np.trace(self.last_confusion)) / n

    def confusion(self, split: str = "test") -> np.ndarray | None:
        """Confusion matrix ``C[true, predicted]`` over a split (classification only)."""
        if not self.classification:
            return None
        y_raw = np.asarray(self.data.y_test if split == "test" else self.data.y_train, dtype=np.int64)
        pred = self.predict_labels(self.outputs(split))
        k = max(int(self.data.n_classes), 2)
        return np.bincount(y_raw * k + pred, minlength=k * k).reshape(k, k)
