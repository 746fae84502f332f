"""The timeline's memory bound, its thinning, its reading side, and run files."""
import json
import zipfile

import numpy as np
import pytest

from timeline_helpers import record_run, record_while_reading

from nnviz.core.errors import NNVizError
from nnviz.core.model_io import load_model, save_model
from nnviz.experiment import Settings, build
from nnviz.timeline import Race, Timeline, load_run, save_run


def small(**kw):
    base = dict(dataset="xor", data_options={"n_samples": 8}, hidden=[4], optimizer="adam", lr=0.05, epochs=400, batch_size=2, seed=1)
    return Settings(**{**base, **kw})


def test_memory_stays_under_the_budget_over_a_long_run():
    s = small()
    exp = build(s)
    budget = 400_000   # the checkpoints, the 800 losses and the 400 epochs' metrics
    tl = Timeline(budget, settings=s)
    tr = exp.trainer
    tl.record(tr, force=True)
    most = 0
    while tr.epoch < s.epochs:
        r = tr.train_batch()
        res = tr.finish_epoch() if r.epoch_done else None
        tl.record(tr, r.loss, res)
        most = max(most, tl.nbytes)
        assert tl.nbytes <= budget
    steps = tl.steps()
    assert tl.last_step == 800 and steps[0] == 0 and 800 - tl.stride < steps[-1] <= 800
    assert np.all(np.diff(steps) > 0)
    assert {1, 2, 4, 8}.issubset(steps.tolist())  # dense at the start
    assert most > budget // 2 and len(tl) > 10
    assert len(tl.epochs) == 400 and [e["epoch"] for e in tl.epochs] == list(range(1, 401))
    assert tl.losses.shape == (800, 2) and tl.losses[-1, 0] == 800


def test_a_step_not_kept_costs_no_copy():
    s = small(epochs=40)
    exp, tl = record_run(s, budget=3_000)
    tr = exp.trainer
    n = len(tl)
    stride = tl.stride
    assert stride > 1
    tr.train_batch()
    if tr.global_step % stride and tr.global_step & (tr.global_step - 1):
        assert tl.record(tr, 0.5) is False and len(tl) == n


def test_reading_the_timeline():
    exp, tl = record_run(small(epochs=5), budget=10**6)
    cps = tl.checkpoints()
    assert [c.step for c in cps] == list(range(11))
    assert cps[0].metrics == {"loss": None} and cps[0].epoch == 0
    end = cps[2]
    assert end.epoch == 1 and end.step_in_epoch == 0
    assert set(end.metrics) == {"loss", "train_loss", "train_acc", "test_loss", "test_acc", "lr"}
    assert tl.at(7).step == 7 and tl.params_at(7) is cps[7].params
    assert np.array_equal(tl.params_at(10), exp.net.flat_params)
    assert not cps[3].params.flags.writeable
    cut = tl.truncated(5)
    assert cut.last_step == 5 and len(cut.epochs) == 2 and cut.losses[-1, 0] == 5


def test_a_saved_run_reopens_identical(tmp_path):
    s = small(epochs=30, dropout=0.2, hidden=[6, 5], batchnorm=True)
    exp, tl = record_run(s, budget=150_000)
    path = save_run(tmp_path / "run.npz", exp.net, s, tl, extra={"note": "hello"})
    rf = load_run(path)
    assert rf.settings == s and rf.extra == {"note": "hello"}
    assert np.array_equal(rf.net.flat_params, exp.net.flat_params)
    a, b = tl.checkpoints(), rf.timeline.checkpoints()
    assert [c.step for c in a] == [c.step for c in b] and len(a) > 5
    for x, y in zip(a, b):
        assert (x.epoch, x.step_in_epoch, x.metrics) == (y.epoch, y.step_in_epoch, y.metrics)
        assert np.array_equal(x.params, y.params)
        _same_state(x.state, y.state)
    assert rf.timeline.epochs == tl.epochs and np.array_equal(rf.timeline.losses, tl.losses)
    assert abs(rf.timeline.nbytes - tl.nbytes) <= tl.nbytes // 5 and rf.timeline.last_step == tl.last_step
    net, extra = load_model(path)  # a run file is a model file too
    assert np.array_equal(net.flat_params, exp.net.flat_params) and extra["note"] == "hello"


def _same_state(a, b):
    if isinstance(a, np.ndarray):
        assert isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b)
    elif isinstance(a, dict):
        assert set(a) == set(b)
        for k in a:
            _same_state(a[k], b[k])
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same_state(x, y)
    else:
        assert a == b


def _recorded(tmp_path):
    s = small(epochs=3)
    exp, tl = record_run(s)
    return exp, save_run(tmp_path / "run.npz", exp.net, s, tl)


def _rewrite(src, dst, change):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))


def test_bad_run_files_give_one_line(tmp_path):
    exp, path = _recorded(tmp_path)
    bad = {}
    bad["missing"] = tmp_path / "nope.npz"
    truncated = tmp_path / "truncated.npz"
    truncated.write_bytes(path.read_bytes()[:len(path.read_bytes()) // 2])
    bad["truncated"] = truncated
    text = tmp_path / "text.npz"
    text.write_text("hello")
    bad["text"] = text
    model = save_model(exp.net, tmp_path / "model.npz")
    bad["model"] = model
    corrupt = tmp_path / "corrupt.npz"

    def spoil(name, data):
        if name == "tl:meta.npy":
            return data[:-5] + b"}}}}}"
        return data
    _rewrite(path, corrupt, spoil)
    bad["corrupt-json"] = corrupt
    for what, p in bad.items():
        with pytest.raises(NNVizError) as info:
            load_run(p)
        msg = str(info.value)
        assert "\n" not in msg and str(p) in msg, (what, msg)
    assert "no such" in _msg(bad["missing"]) and "without a recorded run" in _msg(model)
    assert "damaged" in _msg(corrupt)


def _msg(p):
    try:
        load_run(p)
    except NNVizError as exc:
        return str(exc)
    raise AssertionError("no error")


def test_race_variants_equal_their_solo_runs():
    s = Settings(dataset="circle", data_options={"n_samples": 200}, hidden=[5], epochs=3,
                 batch_size=10, seed=4, dropout=0.1)
    vary = {"optimizer": ["sgd", "momentum", "adam"]}
    race = Race(s, vary, budget_bytes=50_000)
    assert race.names == ["optimizer=sgd", "optimizer=momentum", "optimizer=adam"]
    starts = [e.net.flat_params.copy() for e in race.experiments]
    assert all(np.array_equal(starts[0], p) for p in starts)
    while not race.finished:
        out = race.step()
        assert len(out) == 3
    for name, exp, tl, opt in zip(race.names, race.experiments, race.timelines, vary["optimizer"]):
        solo, solo_tl = record_run(s.replace(optimizer=opt), data=race.data)
        assert np.array_equal(solo.net.flat_params, exp.net.flat_params), name
        assert [{k: v for k, v in e.items() if k != "seconds"} for e in solo_tl.epochs] == \
               [{k: v for k, v in e.items() if k != "seconds"} for e in tl.epochs]
        assert tl.steps()[-1] == tl.last_step == exp.trainer.global_step


@pytest.mark.parametrize("vary, words", [({}, "needs a setting"), ({"colour": [1]}, "unknown setting"),
                                         ({"lr": []}, "no values"), ({"dataset": ["xor"]}, "same data")])
def test_race_refuses_what_it_cannot_vary(vary, words):
    with pytest.raises(NNVizError, match=words):
        Race(small(), vary)


def test_a_diverging_variant_stops_alone():
    s = Settings(dataset="reg-plane", hidden=[8], activation="relu", output_activation="identity",
                 loss="mse", epochs=3, batch_size=10, seed=2)
    race = Race(s, {"lr": [0.01, 1e6]})
    while not race.finished:
        race.step()
    assert race.errors[0] is None and race.errors[1] is not None
    assert race.experiments[0].trainer.epoch == 3


def test_reading_while_recording_from_another_thread():
    s = small(epochs=300)
    exp = build(s)
    tl = Timeline(250_000, settings=s)
    tr = exp.trainer
    tl.record(tr, force=True)
    seen = []

    def look():
        cps = tl.checkpoints()
        steps = [c.step for c in cps]
        assert steps == sorted(steps) and steps[0] == 0
        tl.at(steps[-1] // 2)
        tl.losses
        seen.append(len(cps))
    problems = record_while_reading(tr, tl, s.epochs, look)
    assert not problems and seen and tl.nbytes <= 250_000


def test_the_benchmark_figures_on_a_toy_run():
    from nnviz.bench.timeline import branch_figures, file_figures, record

    s = small(epochs=60)
    exp, tl, rec = record(s, build(s).data, 60_000, None)
    assert rec["batches"] == 120 and tl.nbytes <= 60_000
    assert file_figures(exp, s, tl)["reopens_identical"]
    b = branch_figures(tl, exp.data, repeat=1)
    lo, hi = b["gap"]
    assert lo < b["middle"]["step"] < hi and b["worst"]["step"] == hi - 1


def test_the_loss_curve_is_thinned_evenly_when_long(monkeypatch):
    import nnviz.timeline.timeline as tlmod

    monkeypatch.setattr(tlmod, "MAX_LOSS_ROWS", 64)
    s = small(epochs=100)
    exp, tl = record_run(s, budget=10**6)
    rows = tl.losses
    assert len(rows) <= 64 and rows[-1, 0] == 200 - 200 % (rows[1, 0] - rows[0, 0])
    gaps = np.diff(rows[:, 0])
    assert np.all(gaps == gaps[0]) and gaps[0] > 1


def test_real_memory_of_a_long_recording_stays_under_the_budget():
    """``nbytes`` counts every checkpoint's Python objects too: what the recording really
    allocates (tracemalloc) stays under the budget over a long run of a small network."""
    import gc
    import tracemalloc

    from nnviz.app.experimentinfo import DEFAULT_SETTINGS

    s = DEFAULT_SETTINGS.replace(epochs=10**6)
    exp = build(s)
    tr = exp.trainer
    budget = 1_000_000
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        tl = Timeline(budget, settings=s)
        tl.record(tr, force=True)
        peak = 0
        for _ in range(6000):
            r = tr.train_batch()
            tl.record(tr, r.loss, tr.finish_epoch() if r.epoch_done else None)
            if tr.global_step % 500 == 0:
                gc.collect()
                peak = max(peak, tracemalloc.get_traced_memory()[0] - base)
                assert tl.nbytes <= budget
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert len(tl) > 20 and tl.stride > 8
    assert max(peak, grown) <= budget, (peak, grown, tl.nbytes)
