"""Free runs in the training child process (nnviz.app.training.engine): the same bits as the
thread, commands and shutdown as before, a dead child replaced by the thread (issue 19)."""
import multiprocessing
import os
import signal

import numpy as np
import pytest

from nnviz.app.training import commands as cmd
from nnviz.app.training.controller import TrainingController
from nnviz.experiment import build
from nnviz.timeline import Timeline
from nnviz.timeline.state import capture_state

from test_worker import Recorder, blobs, settings

WAIT = 20000


def same(a, b, path="") -> None:
    """``a`` and ``b`` hold the same bits (times, ``seconds``, excepted)."""
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            if k != "seconds":
                same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True), path
    elif isinstance(a, float) and np.isnan(a):
        assert isinstance(b, float) and np.isnan(b), path
    else:
        assert a == b, path


def same_runs(ra, rb) -> None:
    """Two finished runs (``Run``) ended with the same bits: trainer, timeline, losses."""
    same(capture_state(ra.exp.trainer), capture_state(rb.exp.trainer))
    ta, tb = ra.timeline, rb.timeline
    assert [c.step for c in ta.checkpoints()] == [c.step for c in tb.checkpoints()]
    for ca, cb in zip(ta.checkpoints(), tb.checkpoints()):
        assert (ca.epoch, ca.step_in_epoch) == (cb.epoch, cb.step_in_epoch)
        same(ca.metrics, cb.metrics)
        same(ca.state, cb.state, f"step {ca.step}")
    same(ta.epochs, tb.epochs)
    assert np.array_equal(ta.losses, tb.losses)
    assert ta.pinned == tb.pinned and ta.nbytes == tb.nbytes and ta.stride == tb.stride


class Run:
    def __init__(self, qtbot, child: bool, budget=None, **kw):
        self.qtbot = qtbot
        self.exp = build(settings(**kw), data=blobs(n=4000))  # 200 batches an epoch
        self.ctl = TrainingController(self.exp)
        self.ctl.worker.use_child = child
        self.rec = Recorder(self.ctl)
        qtbot.waitUntil(lambda: "paused" in self.rec.states, timeout=WAIT)
        self.timeline = Timeline() if budget is None else Timeline(budget)
        self.ctl.post(cmd.RecordTimeline(self.timeline))

    def wait(self, cond):
        self.qtbot.waitUntil(cond, timeout=WAIT)

    def state(self, s):
        self.wait(lambda: self.rec.states[-1] == s)

    def in_child(self, batches=1):
        """Play; wait until the child has trained ``batches``."""
        n0 = self.ctl.stats.child_batches
        self.ctl.play()
        self.wait(lambda: self.ctl.stats.child_batches >= n0 + batches)

    def to_step(self, step):
        """(Thread) paused at exactly ``step``: step epochs, then batches."""
        spe = self.exp.trainer.steps_per_epoch
        while self.ctl.global_step + spe <= step:
            self.ctl.step_epoch()
            target = (self.ctl.global_step // spe + 1) * spe
            self.wait(lambda: self.ctl.global_step == target and self.rec.states[-1] == "paused")
        while self.ctl.global_step < step:
            target = self.ctl.global_step + 1
            self.ctl.step_batch()
            self.wait(lambda: self.ctl.global_step == target)


@pytest.fixture
def runs(qtbot):
    made = []

    def _run(child, budget=None, **kw):
        r = Run(qtbot, child, budget, **kw)
        made.append(r)
        return r

    yield _run
    for r in made:
        assert r.ctl.shutdown(2000)


def test_a_run_in_the_child_ends_with_the_threads_bits(runs):
    ref = runs(False, epochs=60)
    ref.ctl.play()
    ref.state("finished")
    run = runs(True, epochs=60)
    run.in_child(100)
    run.ctl.pause()            # a pause mid-epoch, and on
    run.state("paused")
    run.ctl.play()
    run.state("finished")
    assert run.ctl.stats.child_batches > 1000 and run.ctl.stats.batches == ref.ctl.stats.batches
    same_runs(ref, run)
    assert [e["epoch"] for e in run.rec.epochs] == list(range(1, 61))
    points = np.concatenate([s.loss_points for s in run.rec.snaps])
    assert np.array_equal(points, np.concatenate([s.loss_points for s in ref.rec.snaps]))
    assert run.rec.snaps[-1].final and run.rec.snaps[-1].global_step == 60 * 200
    for a, b in zip(ref.rec.snaps[-1].weights + ref.rec.snaps[-1].grads,
                    run.rec.snaps[-1].weights + run.rec.snaps[-1].grads):
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_a_timeline_thinning_while_the_child_trains_keeps_the_same_checkpoints(runs):
    ref = runs(False, budget=300_000, epochs=60)
    ref.ctl.play()
    ref.state("finished")
    run = runs(True, budget=300_000, epochs=60)
    run.in_child(100)
    stride = run.timeline.stride
    run.state("finished")
    assert run.timeline.stride > stride and run.ctl.stats.child_runs == 1
    same_runs(ref, run)


def test_a_live_setting_and_a_step_epoch_end_as_on_the_thread(runs):
    run = runs(True, epochs=60)
    run.in_child(300)
    s = run.exp.settings.replace(lr=0.05)
    run.ctl.apply_settings(s)   # live: the child stops, the worker applies it, the child goes on
    run.wait(lambda: run.ctl.stats.child_runs >= 2)
    run.state("finished")
    (pin,) = run.timeline.pinned
    ref = runs(False, epochs=60)
    ref.to_step(pin)
    ref.ctl.apply_settings(s)
    ref.ctl.play()
    ref.state("finished")
    same_runs(ref, run)
    # a step-epoch in the child pauses at the epoch's end, as on the thread
    run.ctl.step_epoch()
    run.wait(lambda: run.ctl.global_step == 61 * 200 and run.rec.states[-1] == "paused")
    ref.ctl.step_epoch()
    ref.wait(lambda: ref.ctl.global_step == 61 * 200 and ref.rec.states[-1] == "paused")
    same_runs(ref, run)


def test_divergence_in_the_child_keeps_the_same_weights_and_says_the_same(runs):
    net = dict(hidden=[8], activation="relu", output_activation="softmax", loss="cross_entropy",
               optimizer="adam", lr=0.01)
    run = runs(True, epochs=50, **net)
    run.in_child(300)
    run.ctl.pause()
    run.state("paused")
    step = run.ctl.global_step
    huge = run.exp.settings.replace(lr=1e6)
    run.ctl.apply_settings(huge)
    runs_before = run.ctl.stats.child_runs
    run.ctl.play()
    run.wait(lambda: bool(run.rec.divergences))
    assert run.ctl.stats.child_runs == runs_before + 1
    ref = runs(False, epochs=50, **net)
    ref.to_step(step)
    ref.ctl.apply_settings(huge)
    ref.ctl.play()
    ref.wait(lambda: bool(ref.rec.divergences))
    assert run.rec.divergences == ref.rec.divergences
    assert run.ctl.state == ref.ctl.state == "paused"
    same_runs(ref, run)


def _gone(pid) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_shutdown_mid_run_ends_the_child(runs, capfd):
    run = runs(True, epochs=1000)
    run.in_child(100)
    pid = run.ctl.worker._engine.proc.pid
    assert pid in [p.pid for p in multiprocessing.active_children()]
    assert run.ctl.shutdown(1000)
    assert _gone(pid) and pid not in [p.pid for p in multiprocessing.active_children()]
    assert "Traceback" not in capfd.readouterr().err


def test_closing_the_window_mid_run_ends_the_child(open_window, qtbot, capfd):
    w = open_window()
    ctl = w.model.controller
    ctl.worker.use_child = True
    ctl.set_speed(0)   # (the window starts slowed down: a speed a learner can watch)
    ctl.play()
    qtbot.waitUntil(lambda: ctl.stats.child_batches > 100, timeout=WAIT)
    pid = ctl.worker._engine.proc.pid
    w.close()
    qtbot.waitUntil(lambda: _gone(pid), timeout=1500)
    assert "Traceback" not in capfd.readouterr().err


def test_the_window_knows_while_training_runs_in_the_child(open_window, qtbot):
    """The frame drawer paces the plots by the UI thread's own share then (see frame.py)."""
    w = open_window()
    ctl = w.model.controller
    ctl.worker.use_child = True
    assert not w.model.training_elsewhere
    ctl.set_speed(0)
    ctl.play()
    qtbot.waitUntil(lambda: ctl.stats.child_batches > 100, timeout=WAIT)
    assert w.model.training_elsewhere and w.frame.training_elsewhere()
    ctl.pause()
    qtbot.waitUntil(lambda: ctl.state == "paused", timeout=WAIT)
    qtbot.waitUntil(lambda: not w.model.training_elsewhere, timeout=WAIT)


def test_a_killed_child_leaves_the_thread_to_go_on_exactly(runs, caplog):
    ref = runs(False, epochs=60)
    ref.ctl.play()
    ref.state("finished")
    run = runs(True, epochs=60)
    run.in_child(500)
    os.kill(run.ctl.worker._engine.proc.pid, signal.SIGKILL)
    run.state("finished")
    assert run.ctl.worker._engine.broken and run.ctl.stats.batches > run.ctl.stats.child_batches
    same_runs(ref, run)


def test_a_new_experiment_goes_to_the_same_child_with_its_data(runs):
    run = runs(True, epochs=60)
    run.in_child(100)
    eng = run.ctl.worker._engine
    pid = eng.proc.pid
    new = build(settings(epochs=60, hidden=[3]), data=blobs(n=4000, seed=1))
    run.ctl.replace_experiment(new)
    run.wait(lambda: run.ctl.worker._exp is new and run.rec.states[-1] == "paused")
    run.exp = new
    run.in_child(100)   # the same child, the new data (the old dropped)
    run.ctl.pause()
    run.state("paused")
    assert eng.proc.pid == pid and not eng.broken
    assert set(map(id, eng.held.values())) == {id(new.data), id(new.trainer.t_train), id(new.trainer.t_test)}


def test_the_child_ends_when_its_parent_dies():
    import subprocess
    import sys
    import time

    code = ("import os, sys, time\n"
            "from nnviz.app.training.engine import Engine\n"
            "e = Engine(); e._start(); e.conn.recv()\n"
            "print(e.proc.pid, flush=True)\n"
            "os.kill(os.getpid(), 9)\n")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=root)
    pid = int(p.stdout.split()[0])
    t = time.monotonic()
    while not _gone(pid) and time.monotonic() - t < 3:
        time.sleep(0.05)
    assert _gone(pid)


def test_dropout_batch_norm_and_adam_train_the_same_bits_in_the_child(runs):
    net = dict(hidden=[6, 4], batchnorm=True, dropout=0.2, optimizer="adam", lr=0.01, epochs=40)
    ref = runs(False, **net)
    ref.ctl.play()
    ref.state("finished")
    run = runs(True, **net)
    run.in_child(100)
    run.state("finished")
    assert run.ctl.stats.child_batches > 1000
    same_runs(ref, run)
