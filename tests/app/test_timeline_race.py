"""Races on the worker thread: every variant equals the same setup trained alone (issue 20)."""
import numpy as np
import pytest

from nnviz.app.training import commands as cmd
from nnviz.app.training.controller import TrainingController
from nnviz.experiment import Settings, build
from nnviz.timeline import Race


def _setup():
    s = Settings(dataset="circle", hidden=[4, 3], epochs=6, batch_size=10, lr=0.05, seed=3,
                 data_options={"n_samples": 120})
    from nnviz.experiment import load_data
    return s, load_data(s)


def _solo_params(s, data, steps):
    """Parameters of ``s`` trained alone, at each of ``steps`` (sorted global steps)."""
    exp = build(s, data=data)
    out, tr = {}, exp.trainer
    if 0 in steps:
        out[0] = exp.net.flat_params.copy()
    while tr.global_step < max(steps):
        r = tr.train_batch()
        if r.epoch_done:
            tr.finish_epoch()
        if tr.global_step in steps:
            out[tr.global_step] = exp.net.flat_params.copy()
    return out


@pytest.mark.parametrize("vary", [{"optimizer": ["sgd", "momentum", "rmsprop", "adam"]},
                                  {"activation": ["sigmoid", "relu"]},
                                  {"lr": [0.3, 0.03]}])
def test_window_race_variants_equal_their_solo_runs(qtbot, vary):
    s, data = _setup()
    race = Race(s, vary, data=data)
    ctl = TrainingController(build(s, data=data))
    snaps, states = [], []
    ctl.snapshot.connect(snaps.append)
    ctl.signals.stateChanged.connect(states.append)
    try:
        qtbot.waitUntil(lambda: len(snaps) >= 1, timeout=20000)
        ctl.post(cmd.StartRace(race, 1))
        qtbot.waitUntil(lambda: any(getattr(x, "run_switch", False) for x in snaps), timeout=20000)
        ctl.play()
        qtbot.waitUntil(lambda: "finished" in states, timeout=20000)
    finally:
        assert ctl.shutdown(3000)
    spe = race.experiments[0].trainer.steps_per_epoch
    for k, exp in enumerate(race.experiments):
        tl = race.timelines[k]
        assert exp.trainer.epoch == s.epochs and tl.last_step == s.epochs * spe
        assert len(tl.epochs) == s.epochs
        steps = [int(x) for x in tl.steps()]
        solo = _solo_params(exp.settings, data, set(steps))
        for step in steps:
            assert np.array_equal(tl.params_at(step), solo[step]), (race.names[k], step)
        assert np.array_equal(exp.net.flat_params, solo[steps[-1]])
    # the snapshots showed the selected variant: its epochs, in order, once each
    shown = [e["epoch"] for x in snaps for e in x.epochs]
    assert shown[-s.epochs:] == list(range(1, s.epochs + 1))
    assert snaps[-1].global_step == s.epochs * spe
    assert np.array_equal(snaps[-1].weights[0][0], race.experiments[1].net.dense_layers()[0].W)


def test_selecting_a_variant_sends_its_whole_history(qtbot):
    s, data = _setup()
    race = Race(s, {"optimizer": ["sgd", "adam"]}, data=data)
    ctl = TrainingController(build(s, data=data))
    snaps, states = [], []
    ctl.snapshot.connect(snaps.append)
    ctl.signals.stateChanged.connect(states.append)
    try:
        qtbot.waitUntil(lambda: len(snaps) >= 1, timeout=20000)
        ctl.post(cmd.StartRace(race, 0))
        ctl.step_epoch()
        qtbot.waitUntil(lambda: states[-1:] == ["paused"] and race.experiments[0].trainer.epoch == 1,
                        timeout=10000)
        n = len(snaps)
        ctl.post(cmd.SelectVariant(1))
        qtbot.waitUntil(lambda: len(snaps) > n and getattr(snaps[-1], "run_switch", False), timeout=20000)
    finally:
        assert ctl.shutdown(3000)
    snap = snaps[-1]
    adam = race.experiments[1]
    assert [e["epoch"] for e in snap.epochs] == [1]
    assert snap.epochs[0]["train_loss"] == race.timelines[1].epochs[0]["train_loss"]
    assert len(snap.loss_points) == adam.trainer.global_step
    W0 = adam.net.dense_layers()[0].W
    assert np.array_equal(snap.weights[0][0], W0)
