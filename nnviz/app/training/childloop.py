"""The training child process's loop (no Qt: it runs in a ``multiprocessing`` spawn child).

A free run at full speed trains here, in another process, so the window's Python never waits
for the trainer's GIL (issue 19). :mod:`nnviz.app.training.engine` is the parent's side; the
worker thread keeps owning the experiment, and the child only ever trains a copy of it.

Protocol (one :class:`multiprocessing.connection.Connection`, every message a pickled tuple;
what the child caches is referred to by a token, see :func:`dumps` / :func:`loads`):

* parent → child: ``("put", token, obj)`` caches a large object (the data, the targets) once
  per experiment; ``("drop", tokens)``; ``("run", exp, params)`` trains ``exp`` (pickled with
  its cached parts as tokens: its exact state travels every time); ``("ack",)`` the window drew
  a snapshot (one may follow); ``("keep", dense, stride)`` the timeline thinned out (fewer
  states to send); ``("stop",)`` ends the run; ``("quit",)``.
* child → parent: ``("ready", pid)`` once; ``("tick", tick)`` every snapshot interval while
  training and once at the end (``tick["end"]`` is then the reason: ``"stopped"``, ``"paused"``,
  ``"finished"``, ``"diverged"``, ``"error"``).

A tick holds the batches since the last one (their steps and losses), the exact state at the
steps the parent's timeline keeps and at the tick's end (:class:`~nnviz.timeline.packed.Packed`,
its ``.state()`` that of :func:`~nnviz.timeline.state.capture_state`, with the epoch's order,
the last confusion matrix and the last epoch's result as tokens, sent once each in ``objs``),
the epochs finished (with their confusion matrices) and the counters;
when the window has drawn the last snapshot, also the gradients, and the parent's worker makes
the snapshot from the tick's state (the child spends no time on pictures).
"""
from __future__ import annotations

import io
import os
import pickle
import time
from array import array

import numpy as np

from nnviz.timeline.packed import Packed, Packer

_PACKED_SLOTS = Packed.__slots__
SMALL_ARRAY = 1 << 14   # bytes: arrays up to this size are pickled as bytes (_TickPickler)
TICK_SECONDS = 0.033   # the snapshot interval
CHECK_SECONDS = 0.005  # how often the child looks at its pipe while training
_clock = time.perf_counter


# -- pickling with cached objects ---------------------------------------------------------------
class _Pickler(pickle.Pickler):
    def __init__(self, f, tokens: dict):
        super().__init__(f, protocol=pickle.HIGHEST_PROTOCOL)
        self._tokens = tokens

    def persistent_id(self, obj):
        return self._tokens.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, f, cache: dict):
        super().__init__(f)
        self._cache = cache

    def persistent_load(self, pid):
        return self._cache[pid]


class _TickPickler(pickle.Pickler):
    """Pickles small NumPy arrays as their bytes: NumPy's own pickling takes ~17 µs for a
    small array, and a toy's tick holds a hundred (each kept state's weights, each epoch's
    order and confusion matrix); the bytes take under a microsecond. A large array (MNIST's
    weights) goes NumPy's way, written once (``tobytes`` would copy it once more into fresh
    pages: MNIST's ticks took 1.5 times as long)."""

    def __init__(self, f):
        super().__init__(f, protocol=pickle.HIGHEST_PROTOCOL)

    def reducer_override(self, obj):
        kind = type(obj)
        if kind is np.ndarray and obj.nbytes <= SMALL_ARRAY and not obj.dtype.hasobject:
            return _array, (obj.dtype.str, obj.shape, obj.tobytes())
        if kind is Packed:   # (its slots as a tuple: half the time of pickle's own way)
            return _packed, tuple(map(obj.__getattribute__, _PACKED_SLOTS))
        return NotImplemented


def _array(dtype: str, shape: tuple, data: bytes) -> np.ndarray:
    """An array :class:`_TickPickler` pickled (a writable copy, as NumPy's unpickling gives)."""
    return np.frombuffer(data, dtype=dtype).reshape(shape).copy()


def _packed(*values) -> Packed:
    p = Packed()
    for k, v in zip(_PACKED_SLOTS, values):
        setattr(p, k, v)
    return p


def dump_tick(obj) -> bytes:
    f = io.BytesIO()
    _TickPickler(f).dump(obj)
    return f.getvalue()


def dumps(obj, tokens: dict) -> bytes:
    """``obj`` pickled; an object whose ``id`` is in ``tokens`` is written as its token."""
    f = io.BytesIO()
    _Pickler(f, tokens).dump(obj)
    return f.getvalue()


def loads(data: bytes, cache: dict):
    return _Unpickler(io.BytesIO(data), cache).load()


# -- the exact state, with shared objects as tokens --------------------------------------------
class _Tokens:
    """A token per object, new whenever the trainer holds another object (as the timeline's
    packer sees it: by identity). Token 0 is what the parent held when the run started."""

    def __init__(self, trainer):
        self.src = {"order": trainer._order, "conf": trainer.last_confusion,
                    "epoch": trainer.last_epoch}
        self.tok = {k: (None if v is None else 0) for k, v in self.src.items()}
        self.next = 1
        self.new: dict = {}   # token → object, not sent yet

    def token(self, kind: str, obj):
        if obj is not self.src[kind]:
            self.src[kind] = obj
            if obj is None:
                self.tok[kind] = None
            else:
                self.tok[kind] = t = self.next
                self.next += 1
                self.new[t] = obj
        return self.tok[kind]


def state_of(trainer, tokens: _Tokens, packer):
    """The exact state as the timeline keeps it (a :class:`~nnviz.timeline.packed.Packed`:
    ``.state()`` is :func:`~nnviz.timeline.state.capture_state`'s dict), with the shared
    objects as tokens. (``capture_state`` itself took ~35 µs in the toy's loop, a twentieth of
    its time, and its nested dicts twice as long to pickle.)"""
    p = packer.pack(trainer)
    p.order = tokens.token("order", trainer._order)
    p.confusion = tokens.token("conf", trainer.last_confusion)
    p.last_epoch = tokens.token("epoch", trainer.last_epoch)
    return p


# -- the loop ---------------------------------------------------------------------------------
def main(conn) -> None:
    """The child's entry point: serve ``conn`` until ``quit`` or the parent is gone."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the window's to handle (it ends us)
    ppid = os.getppid()
    cache: dict = {}
    conn.send(("ready", os.getpid()))
    sender = _Sender(conn)
    try:
        while not sender.broken:
            if not conn.poll(0.5):
                if os.getppid() != ppid:
                    return  # the parent died
                continue
            msg = loads(conn.recv_bytes(), cache)
            kind = msg[0]
            if kind == "put":
                cache[msg[1]] = msg[2]
            elif kind == "drop":
                for t in msg[1]:
                    cache.pop(t, None)
            elif kind == "run":
                with np.errstate(all="ignore"):
                    if not _Run(sender, msg[1], msg[2]).go():
                        return
            elif kind == "quit":
                return
    except (EOFError, OSError, KeyboardInterrupt):
        return
    finally:
        sender.close()


class _Sender:
    """Sends on its own thread, so training never waits for the parent to read (the parent's
    worker needs its GIL to read, which the window may hold); at most ``MAX_QUEUED`` messages
    wait (then training does)."""

    MAX_QUEUED = 64

    def __init__(self, conn):
        import queue
        import threading

        self.conn, self.broken = conn, False
        self.queue = queue.Queue(self.MAX_QUEUED)
        self.thread = threading.Thread(target=self._loop, name="nnviz-send", daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        while True:
            data = self.queue.get()
            if data is None:
                return
            try:
                self.conn.send_bytes(data)
            except (OSError, ValueError):
                self.broken = True
                return

    def send_bytes(self, data: bytes) -> None:
        if self.broken:
            raise EOFError("the parent is gone")
        self.queue.put(data)

    def poll(self, timeout=0.0) -> bool:
        return self.conn.poll(timeout)

    def recv_bytes(self) -> bytes:
        return self.conn.recv_bytes()

    def close(self) -> None:
        try:
            self.queue.put(None, timeout=0.5)
        except Exception:  # noqa: BLE001 - full: the thread is stuck on a parent that reads nothing
            return
        self.thread.join(0.5)


class _Run:
    """One run: trains ``exp`` like ``TrainingWorker._run_burst`` until stopped or it ends."""

    def __init__(self, conn, exp, p: dict):
        exp.net._link_views()  # (unpickled, the layers' params are copies, not views of flat_params)
        self.conn, self.exp, self.p = conn, exp, p
        self.trainer = exp.trainer
        self.tokens = _Tokens(self.trainer)
        self.packer = Packer()
        self.credit = 1
        self._new_tick()

    def _new_tick(self) -> None:
        self.steps, self.losses = array("q"), array("d")
        self.kept: dict = {}     # batch index → state (the steps the timeline keeps)
        self.epochs: dict = {}   # batch index → (epoch summary, confusion or None)
        self.counts = {"batches": 0, "samples": 0, "train_seconds": 0.0, "snapshot_seconds": 0.0}

    def go(self) -> bool:
        """Train; ``False`` if the parent asked to quit (or is gone)."""
        from nnviz.core.errors import Diverged

        trainer, p, clock, train = self.trainer, self.p, _clock, self.trainer.train_batch
        record, epoch_limit, until_epoch_end = p["record"], p["epoch_limit"], p["until_epoch_end"]
        next_tick = clock() + TICK_SECONDS
        end = exc_out = None
        while end is None:
            steps, losses, kept = self.steps, self.losses, self.kept
            add_step, add_loss = steps.append, losses.append
            dense, stride = (p["dense"], p["stride"]) if record else (-1, 1 << 62)
            batches = samples = 0
            inside = 0.0
            check = clock() + CHECK_SECONDS
            while True:
                t = clock()
                try:
                    result = train()
                except Diverged as exc:
                    end, exc_out = "diverged", exc
                    break
                except Exception as exc:  # noqa: BLE001 - the parent handles it as the thread would
                    end, exc_out = "error", exc
                    break
                now = clock()
                inside += now - t
                batches += 1
                samples += result.samples
                step = result.global_step
                add_step(step)
                add_loss(float(result.loss))
                # the timeline's rule (Timeline._keeps) with the dense start and stride it had at
                # the run's start or last told: it only thins later, so this is a superset
                keep = record and (step < dense or not step % stride or not step & (step - 1))
                if result.epoch_done:
                    i = len(steps) - 1
                    finished = trainer.finish_epoch()
                    if keep:
                        kept[i] = state_of(trainer, self.tokens, self.packer)
                    conf = None
                    if trainer.classification:
                        conf = (trainer.last_confusion if len(self.exp.data.x_test)
                                else trainer.confusion("train"))
                    self.epochs[i] = (finished.as_dict(), conf)
                    if until_epoch_end or trainer.epoch >= epoch_limit:
                        end = "paused" if until_epoch_end else "finished"
                        break
                    now = clock()
                elif keep:
                    kept[len(steps) - 1] = state_of(trainer, self.tokens, self.packer)
                if now >= check:
                    break
            c = self.counts
            c["batches"] += batches
            c["samples"] += samples
            c["train_seconds"] += inside
            if end is None:
                end = self._look()
                if end is None and clock() >= next_tick:
                    next_tick = clock() + TICK_SECONDS
                    self._send_tick(None)
        if end == "quit":
            return False
        self._send_tick(end, exc_out)
        return True

    def _look(self):
        """Read what the parent sent; a reason to end the run, or ``None``."""
        conn = self.conn
        while conn.poll(0):
            msg = pickle.loads(conn.recv_bytes())
            kind = msg[0]
            if kind == "ack":
                self.credit = 1
            elif kind == "keep":   # the parent's timeline thinned out: fewer states to send
                self.p["dense"], self.p["stride"] = msg[1], msg[2]
            elif kind == "stop":
                return "stopped"
            elif kind == "quit":
                return "quit"
        return None

    def _send_tick(self, end, exc=None) -> None:
        t = _clock()
        snap = end is not None or self.credit > 0   # the parent draws this tick's state
        if snap and end is None:
            self.credit = 0
        tick = {"end": end, "steps": self.steps, "losses": self.losses, "kept": self.kept,
                "epochs": self.epochs, "counts": self.counts, "snapshot": snap,
                "state": state_of(self.trainer, self.tokens, self.packer),  # (also what a dead child leaves)
                "grads": self.exp.net.flat_grads.copy() if snap else None}
        if end is not None:
            tick["exc"] = None if exc is None else (type(exc), exc.args, dict(vars(exc)))
        tick["objs"], self.tokens.new = self.tokens.new, {}
        try:
            data = dump_tick(("tick", tick))
        except Exception:  # noqa: BLE001 - an exception that does not pickle: its kind at least
            tick["exc"] = (RuntimeError, (type(exc).__name__,), {})
            data = dump_tick(("tick", tick))
        self.conn.send_bytes(data)
        self._new_tick()
        self.counts["snapshot_seconds"] = _clock() - t   # (counted with the next tick)


def exception(packed):
    """The exception a tick carries (``(type, args, attributes)``), rebuilt without calling its
    ``__init__`` (``Diverged`` and other errors take arguments ``args`` does not hold)."""
    if packed is None:
        return None
    cls, args, attrs = packed
    exc = cls.__new__(cls)
    exc.args = args
    exc.__dict__.update(attrs)
    return exc
