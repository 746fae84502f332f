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

    doc = gui.run(seconds=0.3, pairs=1, kinds=("toy",), diagram=False, startup=False)
    toy = doc["throughput"]["toy"]
    assert toy["net"] == "2-8-8-1"
    for key in ("headless_samples_per_s_median", "gui_samples_per_s_median", "ratio_median",
                "ratio_geometric_mean", "ratios", "diagram_frames_per_s_median",
                "ui_cost_per_frame_ms", "snapshot_interval_ms", "worker_time"):
        assert key in toy, key
    wt = toy["worker_time"]
    assert wt["gui"]["batches_per_s"] > 0 and wt["headless"]["batches_per_s"] > 0
    assert 0 < wt["gui"]["in_train_batch_pct"] <= 100 and 0 <= wt["gui"]["waiting_for_ui_pct"] <= 100
    assert toy["gui_samples_per_s_median"] > 0 and toy["snapshot_interval_ms"] >= 33
    assert doc["ui_latency_ms"]["toy"]["n"] > 0


def test_canvas_ui_bench_times_strokes_and_the_event_loop(qtbot):
    from nnviz.bench.canvas import run_ui

    doc = run_ui(n_per_digit=1, max_drawings=2)
    assert doc["drawings"] == 2 and doc["mouse_events"] > 20
    strokes = doc["stroke_to_bars_ms"]
    assert strokes["n"] >= 2 and 0 < strokes["p50"] <= strokes["p95"] <= strokes["max"]
    late = doc["loop_lateness_ms"]
    assert late["n"] > 10 and 0 <= late["p50"] <= late["max"]
