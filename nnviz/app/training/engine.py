"""Free runs at full speed train in a child process (the parent's side; issue 19).

Training on the worker thread shares the GIL with the window: every frame's Python waits for
the trainer and the trainer for the frame. So a free run at full speed (``running``, no speed
delay, no race) trains in a child process (:mod:`nnviz.app.training.childloop`, started with
``spawn``, one per worker, lazily, reused) while the worker thread only relays:

* The worker still owns the experiment. A run ships its exact state to the child (the experiment
  pickled; the data and targets are sent once per experiment and referred to by token), the child
  trains bursts exactly as :meth:`TrainingWorker._run_burst` does and sends a tick every snapshot
  interval: the batches' steps and losses, the exact states at the steps the timeline keeps and
  at the tick's end, the epochs finished, the counters. The worker replays the ticks into the
  run's timeline (``Timeline.record`` on its own trainer, put in each kept state), its pending
  losses and epochs, and :class:`WorkerStats`; it puts the tick's state into its own network and
  sends the snapshot as the thread would. The child sends a tick fit for a snapshot (with the
  gradients) only once the window has drawn the last one (``ack``), so snapshots never pile up
  and training never waits.
* Any command or stop ends the child's run: it sends its exact state, the worker puts it into its
  own trainer and handles the command as always (commands, scrubbing, branching, saving, steps
  work unchanged). A run that ends in the child (epoch limit, step-epoch, divergence, error) ends
  on the worker the way the thread's would.
* Falls back to the thread silently (one log line) when the child cannot start, dies, or the
  ``training/child_process`` setting (or ``NNVIZ_CHILD_PROCESS=0``) turns it off. The child exits
  on ``quit``, when its pipe closes, or when its parent is gone.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import sys
import time
import types

import numpy as np

from nnviz.app.training import childloop

log = logging.getLogger(__name__)
#: Longest wait on the pipe between two looks at the worker's commands (releases the GIL).
POLL_SECONDS = 0.002
#: Longest wait for the window to draw a snapshot before the ticks are read anyway.
UI_WAIT = 0.25
#: Longest wait for the child's last tick after ``stop`` before it is given up.
STOP_TIMEOUT = 5.0
_clock = time.perf_counter


def enabled_by_default() -> bool:
    """The ``training/child_process`` setting (default on); ``NNVIZ_CHILD_PROCESS`` wins."""
    env = os.environ.get("NNVIZ_CHILD_PROCESS")
    if env is not None:
        return env.strip().lower() not in ("0", "false", "no", "off", "")
    try:
        from PySide6.QtCore import QSettings

        from nnviz.app.remembered import CHILD_PROCESS_KEY, Remembered
        return Remembered(QSettings()).flag(CHILD_PROCESS_KEY, True)
    except Exception:  # noqa: BLE001 - a setting never stops training
        return True


def run_burst(worker) -> None:
    """The worker's burst: its free run trains in the child until the run ends or a command
    comes, or (the child not usable, not yet started, or ``worker.use_child`` off, which the
    controller sets) the worker trains a burst itself (``TrainingWorker._run_burst``)."""
    if getattr(worker, "use_child", False):
        eng = getattr(worker, "_engine", None)
        if eng is None:
            eng = worker._engine = Engine()
        if eng.usable(worker) and eng.run(worker):
            return
    worker._run_burst()


def close(worker) -> None:
    eng = getattr(worker, "_engine", None)
    if eng is not None:
        eng.close()


class _Died(Exception):
    pass


class Engine:
    """One child process and what it holds (see the module's text)."""

    _logged = False

    def __init__(self):
        self.proc = self.conn = None
        self.ready = self.broken = False
        self.tokens: dict[int, int] = {}   # id(obj) → token, for objects the child holds
        self.held: dict[int, object] = {}  # token → obj (kept alive, so ids stay unique)
        self.next_token = 1
        self.runs = 0
        self.unsent = None   # an experiment that does not pickle

    # -- the child ----------------------------------------------------------------------------
    def _fail(self, what: str, exc=None) -> None:
        if not Engine._logged:
            Engine._logged = True
            log.warning("nnviz: training on the worker thread (%s%s)", what,
                        f": {exc!r}" if exc is not None else "")
        self.broken = True
        self.close()

    def _start(self) -> None:
        try:
            for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
                os.environ.setdefault(var, "1")   # (nnviz/__init__ sets them; the child inherits)
            ctx = multiprocessing.get_context("spawn")
            self.conn, child = ctx.Pipe()
            self.proc = ctx.Process(target=childloop.main, args=(child,), name="nnviz-training",
                                    daemon=True)
            # The child needs nothing of the parent's __main__ (a script that is not guarded by
            # ``if __name__ == "__main__"`` would run again in it): spawn is shown none.
            main = sys.modules["__main__"]
            sys.modules["__main__"] = types.ModuleType("__main__")
            try:
                self.proc.start()
            finally:
                sys.modules["__main__"] = main
            child.close()
        except Exception as exc:  # noqa: BLE001
            self._fail("the training process could not start", exc)

    def usable(self, worker) -> bool:
        if self.broken:
            return False
        if (worker._delay > 0 or worker._race is not None or worker._exp.trainer is None
                or worker._state != "running" or worker._exp is self.unsent):
            return False
        if self.proc is None:
            self._start()   # it boots while this run goes on on the thread
            return False
        if not self.ready:
            try:
                if self.conn.poll(0):
                    msg = self.conn.recv()
                    self.ready = msg[0] == "ready"
                elif not self.proc.is_alive():
                    self._fail("the training process ended at start")
            except (EOFError, OSError) as exc:
                self._fail("the training process ended at start", exc)
        return self.ready and not self.broken

    def close(self) -> None:
        """End the child (within about a second) and forget it."""
        proc, conn = self.proc, self.conn
        self.proc = self.conn = None
        self.ready = False
        self.tokens, self.held = {}, {}
        if conn is not None:
            try:
                conn.send_bytes(pickle.dumps(("quit",)))
            except (OSError, ValueError):
                pass
        if proc is not None:
            proc.join(0.5)
            if proc.is_alive():
                proc.terminate()
                proc.join(0.5)
            if proc.is_alive():  # pragma: no cover - a child that ignores SIGTERM
                proc.kill()
                proc.join(0.5)
        if conn is not None:
            conn.close()

    def _send(self, msg, shared: bool = False) -> None:
        self.conn.send_bytes(childloop.dumps(msg, self.tokens) if shared else
                             pickle.dumps(msg, protocol=pickle.HIGHEST_PROTOCOL))

    def _share(self, exp) -> None:
        """The child holds the experiment's data and targets (sent once per experiment)."""
        tr = exp.trainer
        want = [o for o in (exp.data, tr.t_train, tr.t_test) if o is not None]
        keep = {id(o) for o in want}
        old = [t for i, t in self.tokens.items() if i not in keep]
        if old:
            self._send(("drop", old))
            self.tokens = {i: t for i, t in self.tokens.items() if i in keep}
            self.held = {t: self.held[t] for t in self.tokens.values()}
        for o in want:
            if id(o) not in self.tokens:
                t = self.next_token
                self.next_token += 1
                self._send(("put", t, o))
                self.tokens[id(o)], self.held[t] = t, o

    # -- a run ---------------------------------------------------------------------------------
    def run(self, worker) -> bool:
        exp = worker._exp
        trainer, tl = exp.trainer, worker._timeline
        params = {"record": tl is not None, "dense": tl.dense if tl is not None else 0,
                  "stride": tl.stride if tl is not None else 1,
                  "epoch_limit": int(worker._epoch_limit), "until_epoch_end": bool(worker._until_epoch_end)}
        try:
            self._share(exp)
            self._send(("run", exp, params), shared=True)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            log.warning("nnviz: this experiment trains on the worker thread (%r)", exc)
            self.unsent = exp   # (this one only: a new experiment tries again)
            return False
        except (OSError, ValueError) as exc:
            self._fail("the training process is gone", exc)
            return False
        self.runs += 1
        worker.stats.child_runs += 1
        worker.stats.snapshot_interval = childloop.TICK_SECONDS  # (the child's, never adapted)
        run = _RunOnWorker(self, worker, trainer)
        worker.training_elsewhere = True   # (read by the window: its frames cost training nothing)
        try:
            run.relay()
        except _Died as exc:
            run.recover()
            self._fail("the training process ended", exc.__cause__)
        finally:
            worker.training_elsewhere = False
        return True


class _RunOnWorker:
    """The worker's side of one run in the child: relay ticks until the run ends."""

    def __init__(self, engine: Engine, worker, trainer):
        self.engine, self.worker, self.trainer = engine, worker, trainer
        self.start = {"order": trainer._order, "conf": trainer.last_confusion,
                      "epoch": trainer.last_epoch}
        self.objs: dict = {}
        self.last_state = None
        self.waiting_ack = False
        tl = worker._timeline
        self.keep = (tl.dense, tl.stride) if tl is not None else None

    def _obj(self, kind: str, tok):
        if tok is None:
            return None
        return self.start[kind] if tok == 0 else self.objs[tok]

    def put(self, st: dict) -> None:
        """Make the worker's trainer hold ``st`` (a tick's state, shared objects as tokens),
        keeping the objects it shares by identity (as the timeline's packer sees them)."""
        from nnviz.timeline.state import restore_state

        t = st["trainer"]
        toks = t["order"], t["last_confusion"], t["last_epoch"]
        restore_state(self.trainer, dict(st, trainer=dict(t, order=None, last_confusion=None,
                                                              last_epoch=None)))
        tr = self.trainer
        tr._order = self._obj("order", toks[0])
        tr.last_confusion = self._obj("conf", toks[1])
        tr.last_epoch = self._obj("epoch", toks[2])

    def show(self, st: dict, grads) -> None:
        """What a snapshot shows of ``st`` (weights, norms, gradients, counters, lr): cheaper
        than :meth:`put`; a later put or the run's end puts the whole state."""
        tr = self.trainer
        net = tr.net
        np.copyto(net.flat_params, st["params"])
        np.copyto(net.flat_grads, grads)
        for li, layer in enumerate(net.layers):
            for k in layer.buffers:
                layer.buffers[k][...] = st["buffers"][f"{li}.{k}"]
        t = st["trainer"]
        tr.epoch, tr.step_in_epoch, tr.global_step = t["epoch"], t["step_in_epoch"], t["global_step"]
        tr.optimizer.lr = st["optimizer"]["lr"]

    def relay(self) -> None:
        eng, w = self.engine, self.worker
        conn, wake, stop = eng.conn, w._wake, w._stop
        stop_sent, t_stop, t_alive = False, 0.0, _clock()
        while True:
            if (self.waiting_ack and w.wait_for_ui and not w._ui_ready.is_set() and not stop_sent
                    and _clock() - w._last_snapshot < UI_WAIT):
                # the window draws the last snapshot: leave it the GIL (ticks wait in the pipe,
                # the child trains on)
                w._ui_ready.wait(POLL_SECONDS)
            try:
                if conn.poll(0 if self.waiting_ack and not w._ui_ready.is_set() else POLL_SECONDS):
                    msg = pickle.loads(conn.recv_bytes())
                    if msg[0] == "tick" and self.tick(msg[1]):
                        return
                    tl = w._timeline
                    if tl is not None and (tl.dense, tl.stride) != self.keep:
                        self.keep = (tl.dense, tl.stride)
                        eng._send(("keep", tl.dense, tl.stride))
            except (EOFError, OSError) as exc:
                raise _Died() from exc
            try:
                if self.waiting_ack and (w._ui_ready.is_set() or not w.wait_for_ui):
                    self.waiting_ack = False
                    eng._send(("ack",))
                if not stop_sent and (wake.is_set() or stop.is_set()):
                    eng._send(("stop",))
                    stop_sent, t_stop = True, _clock()
            except (OSError, ValueError) as exc:
                raise _Died() from exc
            now = _clock()
            if now - t_alive > 0.1:
                t_alive = now
                if not eng.proc.is_alive():
                    raise _Died()
                if stop_sent and now - t_stop > (1.0 if stop.is_set() else STOP_TIMEOUT):
                    raise _Died()   # (recover() keeps the last state it sent)

    def recover(self) -> None:
        """The child died: the worker's trainer takes the last state the child sent."""
        if self.last_state is not None:
            self.put(self.last_state)

    def tick(self, tk: dict) -> bool:
        """Replay one tick into the worker; ``True`` when it ends the run."""
        w, tr = self.worker, self.trainer
        self.objs.update(tk["objs"])
        steps = np.frombuffer(tk["steps"], dtype=np.int64) if len(tk["steps"]) else np.zeros(0, np.int64)
        losses = tk["losses"]
        kept, epochs = tk["kept"], tk["epochs"]
        tl = w._timeline
        if tl is not None or epochs:
            self._replay(steps, losses, kept, epochs, tl)
        n = len(steps)
        if n:
            w._loss_steps.frombytes(steps.astype(np.float64).tobytes())
            w._loss_values.extend(losses)
            w._global_step, w._last_loss = int(steps[-1]), float(losses[-1])
        c, st = tk["counts"], w.stats
        st.batches += c["batches"]
        st.samples += c["samples"]
        st.train_seconds += c["train_seconds"]
        st.snapshot_seconds += c["snapshot_seconds"]
        st.child_batches += c["batches"]
        w._rate_samples += c["samples"]
        end = tk["end"]
        self.last_state = state = tk["state"].state()
        if end is None:
            if tk["snapshot"]:   # the worker draws the tick's state, as the thread would
                self.show(state, tk["grads"])
                spent = w.stats.snapshot_seconds
                w._emit_snapshot(True)
                w.stats.snapshot_seconds = spent  # (counted: the child's time, what training lost)
                self.waiting_ack = True
            return False
        self.put(state)
        np.copyto(tr.net.flat_grads, tk["grads"])
        exc = childloop.exception(tk.get("exc"))
        if end == "paused" or end == "finished":
            w._end_run(end)
        elif end == "diverged":
            w._on_diverged(exc)
        elif end == "error":
            raise exc
        return True

    def _replay(self, steps, losses, kept, epochs, tl) -> None:
        w, tr = self.worker, self.trainer
        record = tl.record if tl is not None else None
        special = set(kept) | set(epochs)
        for i in (range(len(steps)) if record is not None else sorted(epochs)):
            if i not in special:
                tr.global_step = int(steps[i])
                if record(tr, losses[i]):
                    _inexact(int(steps[i]))
                continue
            st = kept.get(i)
            if st is not None:
                self.put(st.state())
            else:
                tr.global_step = int(steps[i])
            e = epochs.get(i)
            if record is not None:
                took = record(tr, losses[i], epoch_result=e[0] if e is not None else None)
                if took and st is None:
                    _inexact(int(steps[i]))
            if e is not None:
                summary, conf = e
                w._pending_epochs.append(summary)
                if conf is not None:
                    w._pending_confusion = conf
                if w.signals.epochs_wanted:
                    w.signals.epochFinished.emit(dict(summary))


def _inexact(step: int) -> None:  # pragma: no cover - the timeline kept a step the child did not send
    log.error("nnviz: the timeline kept step %d without its state from the training process", step)
