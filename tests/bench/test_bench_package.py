"""The benchmarks, run briefly: the JSON they print and that they measure what they say."""
import json

import numpy as np

from nnviz.cli import main
from nnviz.data.base import Dataset
from nnviz.experiment import Settings, build


def test_quick_headless_bench_prints_json_with_its_keys(capsys):
    assert main(["bench", "--quick", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"machine", "small_nets"}
    assert {"python", "numpy", "cpus", "platform"} <= set(doc["machine"])
    assert [r["net"] for r in doc["small_nets"]] == ["2-4-4-1 tanh, batch 10", "2-8-8-1 relu, batch 10",
                                                   "2-8-8-1 tanh, per-sample", "2-4-1 sigmoid, full batch"]
    assert all(r["batches_per_s"] > 0 for r in doc["small_nets"])


def test_timed_batches_counts_what_it_trained():
    from nnviz.bench.headless import timed_batches

    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 2))
    y = (x[:, 0] > 0).astype(np.int64)
    tr = build(Settings(hidden=[3], batch_size=10), data=Dataset("d", x, y, x, y, n_classes=2)).trainer
    batches, inside, wall = timed_batches(tr, 0.1)
    assert batches == tr.global_step > 0
    assert tr.epoch == batches // 4                 # 4 batches an epoch, each closed as it ended
    assert 0 < inside < wall and wall >= 0.1


def test_diagram_redraw_through_public_names():
    from nnviz.bench.diagram import measure_redraw, random_snapshot

    snap = random_snapshot([2, 3, 1], np.random.default_rng(0), grid_size=5)
    assert [W.shape for W, _ in snap.weights] == [(2, 3), (3, 1)]
    assert snap.grid["output"].shape == (5, 5)
    r = measure_redraw([2, 3, 1], n=3, grid_size=5)
    assert r["sizes"] == [2, 3, 1] and r["n"] == 3
    assert 0 < r["update_median_ms"] and 0 < r["paint_median_ms"]
    assert r["median_ms"] <= r["p95_ms"] + 1e-9


def test_gui_bench_keys_on_the_toy_net(qtbot):
    from nnviz.bench import gui

    doc = gui.run(seconds=0.3, pairs=2, kinds=("toy",), diagram=False, startup=False, block=0.3)
    toy = doc["throughput"]["toy"]
    assert toy["net"] == "2-8-8-1"
    for key in ("method", "ratio", "ratio_median", "ratio_quartiles", "ratios", "headless_samples_per_s",
                "gui_samples_per_s", "batch_us", "diagram_frames_per_s", "worker_time_gui_pct",
                "headless_in_train_batch_pct", "ui_cost_per_frame_ms", "snapshot_interval_ms"):
        assert key in toy, key
    assert len(toy["ratios"]) == 2 and toy["ratio"] > 0
    # the same counting in both arms: samples over wall seconds, batches timed inside train_batch
    assert toy["gui_samples_per_s"] > 0 and toy["headless_samples_per_s"] > 0
    assert toy["batch_us"]["gui"] > 0 and toy["batch_us"]["headless"] > 0
    shares = toy["worker_time_gui_pct"]
    assert 0 < shares["in_train_batch"] <= 100 and 0 <= shares["waiting_for_ui"] <= 100
    assert toy["snapshot_interval_ms"] >= 33
    assert doc["ui_latency_ms"]["toy"]["n"] > 0


def test_window_counts_the_samples_it_trained(qtbot):
    """The worker's counters add samples as well as batches (what the bench's window arm reads)."""
    from nnviz.bench.window import bench_settings, open_window, pause, spin
    from nnviz.app.main import make_app

    app = make_app()
    win = open_window(app, bench_settings("toy"))
    try:
        ctl = win.model.controller
        before = ctl.stats.copy()
        ctl.play()
        spin(300)
        pause(app, win)
        g = ctl.stats - before
        assert g.batches > 0 and g.samples == g.batches * 10  # 250 training points, batches of 10
    finally:
        win.close()


def test_copies_bench_trains_three_copies_and_prints_their_ratios(capsys):
    from nnviz.bench import copies

    assert copies.main(["2"]) == 0   # (2 rounds of 0.2 s each)
    doc = json.loads(capsys.readouterr().out)
    assert doc["net"] == "2-8-8-1"
    for k in ("built", "unpickled", "deep_copied"):
        assert doc[k]["batch_us_median"] > 0 and doc[k]["ratio_to_built_median"] > 0
    assert doc["built"]["ratio_to_built_median"] == 1.0
