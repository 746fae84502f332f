"""The training thread: real QThread, real throttle, driven the way the window drives it."""
import dataclasses
import time

import numpy as np
import pytest

from nnviz.app.training import commands as cmd
from nnviz.app.training.controller import TrainingController, shutdown_all
from nnviz.data.base import Dataset
from nnviz.experiment import Settings, build


def blobs(n=200, seed=0, dims=2):
    """Two Gaussian blobs, labels 0/1, half for training and half for testing."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    centers = np.array([[-2.0] * dims, [2.0] * dims])
    x = centers[y] + rng.normal(0, 1.0, size=(n, dims))
    return Dataset("blobs", x[: n // 2], y[: n // 2].astype(np.int64), x[n // 2:], y[n // 2:].astype(np.int64),
                   n_classes=2)


def plane(n=200, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-5, 5, size=(n, 2))
    t = (x.sum(axis=1, keepdims=True) / 10 + rng.normal(0, 0.05, size=(n, 1)))
    return Dataset("plane", x[: n // 2], t[: n // 2], x[n // 2:], t[n // 2:])


def settings(**kw):
    base = dict(dataset="blobs", hidden=[4], epochs=100_000, batch_size=10, lr=0.1)
    base.update(kw)
    return Settings(**base)


class Recorder:
    """Collects everything a controller emits (the worker's signals are connected directly)."""

    def __init__(self, ctl):
        self.snaps, self.states, self.epochs, self.errors, self.divergences = [], [], [], [], []
        self.saved, self.save_failed = [], []
        ctl.snapshot.connect(self.snaps.append)
        sig = ctl.signals
        sig.stateChanged.connect(self.states.append)
        sig.epochFinished.connect(self.epochs.append)
        sig.errored.connect(self.errors.append)
        sig.diverged.connect(self.divergences.append)
        sig.saved.connect(self.saved.append)
        sig.saveFailed.connect(self.save_failed.append)


@pytest.fixture
def start(qtbot):
    started = []

    def _start(s=None, data=None, **kw):
        exp = build(s or settings(), data=data if data is not None else blobs())
        ctl = TrainingController(exp, **kw)
        rec = Recorder(ctl)
        started.append(ctl)
        qtbot.waitUntil(lambda: len(rec.snaps) >= 1 and "paused" in rec.states, timeout=5000)
        return ctl, rec, exp

    yield _start
    for ctl in started:
        assert ctl.shutdown(2000)


def test_unknown_commands_raise_instead_of_being_dropped(start):
    ctl, rec, exp = start()
    for bad in ("play", ("set_lr", (0.5,)), object(), cmd.Command()):
        with pytest.raises(TypeError):
            ctl.post(bad)
    ctl.post(cmd.StepBatch())  # a real command still goes through


def test_commands_are_frozen_and_typed():
    c = cmd.SetParam("1", "b", np.array([0]), "12.5")
    assert (c.layer, c.name, c.index, c.value) == (1, "b", (0,), 12.5)
    assert cmd.SetParam(0, "W", [2, 1], 1).index == (2, 1)
    assert cmd.SetParam(0, "b", 3, 1).index == (3,) and cmd.SetParam(0, "W", None, 1).index is None
    assert cmd.SetSpeed("40").delay_ms == 40 and cmd.SaveModel("p", None).extra == {}
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.value = 1.0


def test_starts_paused_with_an_initial_snapshot(start):
    ctl, rec, exp = start()
    assert rec.states == ["paused"] and ctl.state == "paused" and ctl.global_step == 0
    snap = rec.snaps[0]
    assert snap.global_step == 0 and snap.final
    assert [w.shape for w, _ in snap.weights] == [(2, 4), (4, 1)]
    assert snap.grid["output"].shape == (40, 40)


def test_play_sends_advancing_snapshots_and_weights_change(start, qtbot):
    ctl, rec, exp = start()
    w0 = rec.snaps[0].weights[0][0].copy()
    ctl.play()
    qtbot.waitUntil(lambda: len(rec.snaps) >= 5 and rec.snaps[-1].epoch >= 2, timeout=5000)
    ctl.pause()
    qtbot.waitUntil(lambda: rec.states[-1] == "paused", timeout=2000)
    assert rec.states[:2] == ["paused", "running"]
    steps = [s.global_step for s in rec.snaps]
    assert steps == sorted(steps) and steps[-1] > steps[1] > 0
    assert rec.snaps[-1].epoch >= 2
    assert not np.allclose(rec.snaps[-1].weights[0][0], w0)
    assert rec.snaps[-1].final and rec.snaps[-1].global_step == ctl.global_step
    # losses of every batch reach the window exactly once, in order
    points = [p for s in rec.snaps for p in s.loss_points]
    assert [p[0] for p in points] == list(range(1, ctl.global_step + 1))
    # every finished epoch arrives both as a signal and inside a snapshot, with its confusion matrix
    in_snaps = [e["epoch"] for s in rec.snaps for e in s.epochs]
    assert in_snaps == [e["epoch"] for e in rec.epochs] == list(range(1, len(rec.epochs) + 1))
    assert any(s.confusion is not None and s.confusion.sum() == 100 for s in rec.snaps)


def test_pause_stops_training(start, qtbot):
    ctl, rec, exp = start()
    ctl.play()
    qtbot.waitUntil(lambda: ctl.global_step > 50, timeout=5000)
    ctl.pause()
    qtbot.waitUntil(lambda: rec.states[-1] == "paused", timeout=2000)
    frozen = ctl.global_step
    n_snaps = len(rec.snaps)
    qtbot.wait(100)  # event-loop wait: the worker would have run hundreds of batches by now
    assert ctl.global_step == frozen
    assert len(rec.snaps) == n_snaps
    assert rec.snaps[-1].global_step == frozen


def test_step_batch_trains_exactly_one_batch_and_the_stats_count_it(start, qtbot):
    ctl, rec, exp = start()
    before = ctl.stats.copy()
    for expected in (1, 2, 3):
        with qtbot.waitSignal(ctl.snapshot, timeout=2000) as blocker:
            ctl.step_batch()
        assert blocker.args[0].global_step == expected and blocker.args[0].final
    qtbot.wait(50)
    assert ctl.global_step == 3 and ctl.state == "paused"
    assert "running" not in rec.states
    d = ctl.stats - before
    assert d.batches == 3 and d.snapshots == 3 and d.frames == 3
    assert d.train_seconds > 0 and d.snapshot_seconds > 0 and d.frame_seconds > 0


def test_stats_follow_a_free_run(start, qtbot):
    ctl, rec, exp = start()
    ctl.play()
    qtbot.waitUntil(lambda: ctl.global_step > 300 and len(rec.snaps) > 5, timeout=5000)
    ctl.pause()
    qtbot.waitUntil(lambda: rec.states[-1] == "paused", timeout=2000)
    qtbot.wait(50)
    st = ctl.stats
    assert st.batches == ctl.global_step                # one experiment: every batch counted once
    assert st.snapshots == len(rec.snaps) >= st.frames > 0  # merged frames count once
    assert st.frame_cost_mean > 0 and st.snapshot_interval >= 0.033
    assert 0 < st.train_seconds and st.ui_wait_seconds >= 0
    assert st.as_dict()["batches"] == st.batches


def test_step_epoch_ends_at_an_epoch_boundary(start, qtbot):
    ctl, rec, exp = start()  # 100 training samples, batch 10: 10 batches an epoch
    ctl.step_batch()
    ctl.step_batch()
    ctl.step_batch()
    ctl.step_epoch()
    qtbot.waitUntil(lambda: rec.states[-1] == "paused" and "running" in rec.states, timeout=3000)
    qtbot.waitUntil(lambda: rec.snaps[-1].epoch == 1, timeout=1000)
    last = rec.snaps[-1]
    assert ctl.global_step == 10 and last.global_step == 10
    assert last.epoch == 1 and last.step == 0 and last.final
    assert [e["epoch"] for e in rec.epochs] == [1]
    ctl.step_epoch()
    qtbot.waitUntil(lambda: rec.snaps[-1].epoch == 2, timeout=3000)
    assert ctl.global_step == 20 and rec.snaps[-1].step == 0


def test_set_param_is_used_by_training(start, qtbot):
    ctl, rec, exp = start(settings(hidden=[4], output_activation="sigmoid", loss="bce", lr=0.1))
    # a huge output bias saturates the sigmoid output for every input
    with qtbot.waitSignal(ctl.snapshot, timeout=2000) as blocker:
        ctl.set_param(1, "b", (0,), 12.0)
    edited = blocker.args[0]
    assert edited.weights[1][1][0] == 12.0 and edited.global_step == 0
    assert edited.a[-1][0] > 0.999
    assert edited.grid["output"].min() > 0.99
    with qtbot.waitSignal(ctl.snapshot, timeout=2000) as blocker:
        ctl.step_batch()
    stepped = blocker.args[0]
    db = stepped.grads[1][1][0]
    # the update started from the edited value: b = 12 − lr·∂L/∂b (plain SGD)
    assert stepped.weights[1][1][0] == pytest.approx(12.0 - 0.1 * db, rel=1e-12)
    assert 0.1 < db <= 1  # outputs ≈ 1: ∂L/∂b = mean(y − t) ≈ the share of class-0 samples
    assert stepped.a[-1][0] > 0.999


def test_set_param_whole_array_and_bad_input(start, qtbot):
    ctl, rec, exp = start()
    with qtbot.waitSignal(ctl.snapshot, timeout=2000) as blocker:
        ctl.set_param(0, "W", None, 0.25)
    assert np.all(blocker.args[0].weights[0][0] == 0.25)
    with qtbot.waitSignal(ctl.signals.errored, timeout=2000) as blocker:
        ctl.set_param(0, "W", (7, 0), 1.0)
    assert "(7, 0)" in blocker.args[0]
    with qtbot.waitSignal(ctl.signals.errored, timeout=2000) as blocker:
        ctl.set_param(5, "W", (0, 0), 1.0)
    assert "layer 5" in blocker.args[0]
    with qtbot.waitSignal(ctl.signals.errored, timeout=2000) as blocker:
        ctl.set_param(0, "b", (0,), float("nan"))
    assert "finite" in blocker.args[0]
    assert ctl.state == "paused"


def test_huge_learning_rate_diverges_and_keeps_good_weights(start, qtbot):
    s = settings(dataset="plane", hidden=[4], activation="identity", output_activation="identity",
                 loss="mse", lr=1e6)
    ctl, rec, exp = start(s, data=plane())
    with qtbot.waitSignal(ctl.signals.diverged, timeout=5000) as blocker:
        ctl.play()
    message = blocker.args[0]
    assert "epoch" in message and "try a smaller learning rate" in message
    qtbot.waitUntil(lambda: rec.states[-1] == "paused", timeout=1000)
    assert ctl.state == "paused"
    last = rec.snaps[-1]
    assert last.final
    assert all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in last.weights)
    frozen = ctl.global_step
    qtbot.wait(50)
    assert ctl.global_step == frozen  # stays paused
    # stepping again from the (huge but finite) kept weights diverges again without any update
    with qtbot.waitSignal(ctl.signals.diverged, timeout=2000):
        ctl.step_batch()
    assert ctl.global_step == frozen and ctl.state == "paused"
    np.testing.assert_array_equal(rec.snaps[-1].weights[0][0], last.weights[0][0])


def test_untrainable_network_reports_an_error(start, qtbot):
    ctl, rec, exp = start(settings(activation="step", output_activation="step", loss="mse"))
    assert exp.trainer is None
    with qtbot.waitSignal(ctl.signals.errored, timeout=2000) as blocker:
        ctl.play()
    assert "step" in blocker.args[0] and "sigmoid" in blocker.args[0]
    qtbot.wait(50)
    assert ctl.state == "paused" and ctl.global_step == 0


def test_finishes_after_the_set_epochs_then_play_continues(start, qtbot):
    ctl, rec, exp = start(settings(epochs=3))
    with qtbot.waitSignal(ctl.signals.stateChanged, timeout=3000, check_params_cb=lambda s: s == "finished"):
        ctl.play()
    assert ctl.global_step == 30 and rec.snaps[-1].epoch == 3 and rec.snaps[-1].final
    with qtbot.waitSignal(ctl.signals.stateChanged, timeout=3000, check_params_cb=lambda s: s == "finished"):
        ctl.play()
    assert ctl.global_step == 60 and rec.snaps[-1].epoch == 6


def test_snapshot_rate_is_throttled(start, qtbot):
    ctl, rec, exp = start()
    ctl.play()
    qtbot.waitUntil(lambda: ctl.global_step > 20, timeout=3000)
    n0, step0 = len(rec.snaps), ctl.global_step
    qtbot.wait(1000)
    count = len(rec.snaps) - n0
    batches = ctl.global_step - step0
    assert 3 <= count <= 35, count
    assert batches > 5 * count  # many batches per snapshot: throttled, not one per batch
    assert rec.snaps[-1].samples_per_s > 0


def test_speed_delay_slows_training_and_shows_every_batch(start, qtbot):
    ctl, rec, exp = start()
    ctl.set_speed(100)
    ctl.play()
    qtbot.wait(350)
    assert 1 <= ctl.global_step <= 6
    ctl.pause()
    qtbot.waitUntil(lambda: rec.states[-1] == "paused", timeout=2000)
    # slowed down by the user, the throttle lets (nearly) every batch's picture through
    with_points = [len(s.loss_points) for s in rec.snaps if len(s.loss_points)]
    assert sum(with_points) == ctl.global_step and len(with_points) >= ctl.global_step - 1
    ctl.set_speed(0)
    ctl.play()
    qtbot.waitUntil(lambda: ctl.global_step > 100, timeout=3000)


def test_shutdown_mid_training_is_quick_and_joins_the_thread(qtbot):
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(3000, 784)).astype(np.uint8)
    y = rng.integers(0, 10, size=3000).astype(np.int64)
    data = Dataset("fake-mnist", x[:2000], y[:2000], x[2000:], y[2000:], n_classes=10, scaling="unit",
                   image_shape=(28, 28))
    exp = build(settings(hidden=[100], output_activation="softmax", loss="cross_entropy", batch_size=64,
                         lr=0.01), data=data)
    ctl = TrainingController(exp)
    rec = Recorder(ctl)
    ctl.play()
    qtbot.waitUntil(lambda: ctl.global_step > 5 and "running" in rec.states, timeout=5000)
    t0 = time.monotonic()
    ok = ctl.shutdown()
    elapsed = time.monotonic() - t0
    assert ok and elapsed < 1.0
    assert ctl.state == "stopped"   # run() has returned: the thread was joined
    steps = ctl.global_step
    qtbot.waitUntil(lambda: "stopped" in rec.states, timeout=1000)
    assert ctl.shutdown()  # idempotent
    ctl.play()  # commands after shutdown are harmless no-ops
    qtbot.wait(50)
    assert ctl.global_step == steps


def test_the_registry_shuts_down_forgotten_controllers(qtbot):
    ctl = TrainingController(build(settings(), data=blobs()))
    ctl.play()
    qtbot.waitUntil(lambda: ctl.global_step > 5, timeout=3000)
    shutdown_all(2000)  # what aboutToQuit / atexit call
    assert ctl.state == "stopped"
    assert ctl.shutdown()


def test_live_settings_sample_and_new_experiment(start, qtbot):
    ctl, rec, exp = start()
    with qtbot.waitSignal(ctl.snapshot, timeout=2000) as blocker:
        ctl.apply_settings(exp.settings.replace(lr=0.5, optimizer="sgd"))
    assert blocker.args[0].lr == 0.5
    w_before = blocker.args[0].weights[0][0]
    with qtbot.waitSignal(ctl.snapshot, timeout=2000) as blocker:
        ctl.step_batch()
    stepped = blocker.args[0]
    # plain SGD with the new rate: W ← W − 0.5·∂L/∂W
    np.testing.assert_allclose(stepped.weights[0][0], w_before - 0.5 * stepped.grads[0][0], rtol=1e-12)
    with qtbot.waitSignal(ctl.snapshot, timeout=2000) as blocker:
        ctl.set_sample(5)
    snap = blocker.args[0]
    assert snap.sample_index == 5
    np.testing.assert_array_equal(snap.x, exp.data.x_train[5])
    new = build(settings(hidden=[3, 2], seed=5), data=blobs(seed=1))
    with qtbot.waitSignal(ctl.snapshot, timeout=2000) as blocker:
        ctl.replace_experiment(new)
    snap = blocker.args[0]
    assert [w.shape for w, _ in snap.weights] == [(2, 3), (3, 2), (2, 1)]
    assert snap.global_step == 0 and ctl.global_step == 0
    np.testing.assert_array_equal(snap.weights[0][0], new.net.dense_layers()[0].W)
    ctl.step_batch()
    qtbot.waitUntil(lambda: ctl.global_step == 1, timeout=2000)
    assert new.trainer.global_step == 1


def test_save_model_writes_between_batches_or_says_why_not(start, qtbot, tmp_path):
    ctl, rec, exp = start()
    ctl.step_batch()
    target = tmp_path / "m.npz"
    with qtbot.waitSignal(ctl.signals.saved, timeout=2000) as blocker:
        ctl.save_model(str(target), {"note": "x"})
    assert blocker.args[0].endswith("m.npz") and target.exists()
    from nnviz.core.model_io import load_model
    net, extra = load_model(str(target))
    assert extra == {"note": "x"}
    np.testing.assert_array_equal(net.dense_layers()[0].W, rec.snaps[-1].weights[0][0])
    with qtbot.waitSignal(ctl.signals.saveFailed, timeout=2000):
        ctl.save_model(str(tmp_path / "no" / "such" / "dir" / "m.npz"))
    assert ctl.state == "paused" and not rec.errors


def test_no_grid_for_wide_inputs_and_configurable_size(start):
    ctl, rec, exp = start(data=blobs(dims=3))
    assert rec.snaps[0].grid is None
    ctl2, rec2, _ = start(grid_size=12)
    assert rec2.snaps[0].grid["output"].shape == (12, 12)


def test_signals_reach_plain_callables_on_the_ui_thread(start, qtbot):
    import threading

    ctl, rec, exp = start()
    where = []
    ctl.signals.stateChanged.connect(lambda s: where.append(threading.get_ident()))
    ctl.signals.saveFailed.connect(lambda m: where.append(threading.get_ident()))
    ctl.step_epoch()
    ctl.save_model("/nonexistent-dir/x/m.npz")
    qtbot.waitUntil(lambda: len(where) >= 3, timeout=3000)  # running, paused, save failed
    assert set(where) == {threading.get_ident()}


def test_a_traced_step_changes_nothing_until_it_is_applied(start, qtbot):
    import copy

    ctl, rec, exp = start(settings(optimizer="adam", lr=0.05))
    ctl.step_batch()  # the optimizer has state (Adam's moments) before the traced step
    qtbot.waitUntil(lambda: ctl.global_step == 1, timeout=2000)
    qtbot.wait(50)
    before = rec.snaps[-1]
    with qtbot.waitSignal(ctl.signals.stepTraced, timeout=3000) as blocker:
        ctl.trace_step([3, 4])
    record = blocker.args[0]
    # the same step by hand, on the core, from the weights the window last saw
    net = copy.deepcopy(exp.net)  # the worker is paused: only the parameters are read
    for layer, (W, b) in zip(net.layers, before.weights):
        np.testing.assert_array_equal(layer.W, W)
    rows = np.array([3, 4])
    x = exp.data.inputs(exp.data.x_train[rows], dtype=net.dtype)
    opt = copy.deepcopy(exp.optimizer)
    net.train_step(x, exp.trainer.t_train[rows], opt)
    for i, layer in enumerate(net.layers):
        upd = record.trace.select(phase="update", layer=i)[0]
        np.testing.assert_allclose(upd["W"], layer.W, rtol=1e-13)
        np.testing.assert_allclose(upd["b"], layer.b, rtol=1e-13)
    with qtbot.waitSignal(ctl.snapshot, timeout=2000) as snap_blocker:
        ctl.set_sample(0)  # any forced snapshot: the network is still the one before the step
    for (W, _), (W0, _) in zip(snap_blocker.args[0].weights, before.weights):
        np.testing.assert_array_equal(W, W0)
    with qtbot.waitSignal(ctl.snapshot, timeout=2000) as snap_blocker:
        ctl.apply_traced_step()
    for layer, (W, b) in zip(net.layers, snap_blocker.args[0].weights):
        np.testing.assert_allclose(W, layer.W, rtol=1e-13)
        np.testing.assert_allclose(b, layer.b, rtol=1e-13)
    ctl.apply_traced_step()  # nothing left to apply: a message, training stays paused
    qtbot.waitUntil(lambda: len(rec.errors) == 1, timeout=2000)
    assert "no traced step" in rec.errors[0] and ctl.state == "paused"


def test_live_settings_apply_only_live_fields_and_move_the_run_end(start, qtbot):
    ctl, rec, exp = start(settings(epochs=3))
    s = exp.settings.replace(epochs=5, lr=0.05, hidden=[9], seed=123)  # hidden, seed: not live
    with qtbot.waitSignal(ctl.snapshot, timeout=2000):
        ctl.apply_settings(s)
    with qtbot.waitSignal(ctl.signals.stateChanged, timeout=3000, check_params_cb=lambda st: st == "finished"):
        ctl.play()
    snap = rec.snaps[-1]
    assert snap.epoch == 5 and ctl.global_step == 50 and snap.lr == 0.05
    assert [w.shape for w, _ in snap.weights] == [(2, 4), (4, 1)]  # the network was not rebuilt


def test_an_applied_traced_step_and_a_fine_tune_count_in_global_step(start, qtbot):
    """Steps taken outside the trainer's batches are training steps: the worker's global_step,
    the trainer's and the snapshots' all advance by them, and training goes on from there."""
    ctl, rec, exp = start()
    ctl.step_batch()
    qtbot.waitUntil(lambda: ctl.global_step == 1, timeout=2000)
    with qtbot.waitSignal(ctl.signals.stepTraced, timeout=3000):
        ctl.trace_step([0])
    assert ctl.global_step == 1                      # traced only: nothing happened yet
    with qtbot.waitSignal(ctl.snapshot, timeout=2000) as blocker:
        ctl.apply_traced_step()
    assert ctl.global_step == 2 and blocker.args[0].global_step == 2
    n0 = len(rec.snaps)
    rows = np.flatnonzero(exp.data.y_train == 0)[:3]   # (one output: the class-0 rows)
    ctl.post(cmd.FineTune(exp.data.x_train[rows], exp.data.y_train[rows], steps=5, lr=0.05, mix=4, batch=3))
    qtbot.waitUntil(lambda: len(rec.snaps) > n0 and rec.snaps[-1].final, timeout=5000)
    assert not rec.errors
    assert ctl.global_step == 7 and rec.snaps[-1].global_step == 7
    ctl.step_batch()                                 # the trainer counts on from there
    qtbot.waitUntil(lambda: ctl.global_step == 8, timeout=2000)
    qtbot.wait(50)
    assert rec.snaps[-1].global_step == 8 and ctl.state == "paused"
