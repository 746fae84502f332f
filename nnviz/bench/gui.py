"""``nnviz bench --gui``: what the window costs training, and how smooth it stays.

Figures (one JSON document):
- ``throughput``: samples/s of the same net trained headless (the core's loop) and with the
  window open (the real worker thread, live redraws), measured in 20 alternating blocks, and
  their ratio (``diagram_frames_per_s_median`` says how smooth the picture was), with
  ``worker_time``: where the training thread's time goes, window vs headless (less noisy);
- ``ui_latency_ms``: how late a 5 ms ``QTimer`` fires (p50/p95/max) while the window trains;
- ``switch_to_mnist_stall_ms``: the longest lateness of that timer while the window switches
  its dataset to MNIST (``MainWindow.request_settings``) until the new experiment is installed;
- ``diagram_redraw_ms``: update + paint of the diagram for 2-8-8-1 and 784-100-10;
- ``diagram_paint_without_gil``: how fast a Python thread runs while the diagram repaints
  non-stop, relative to an idle event loop (≈ 1: the paint does not hold the GIL);
- ``startup_s``: from starting ``python -m nnviz`` to the first shown window (``cached_s``: with
  Python's bytecode cached, as every launch after the first; ``uncached_s``: as the environment
  is, see :func:`nnviz.bench.soak.startup_seconds`);
- with ``--soak MINUTES`` (:mod:`nnviz.bench.soak`): resident memory growth and the change of
  the reference counts of None/True/False over a long MNIST run with live redraws.

Everything is measured through the worker's counters (``controller.stats``) and public API.
Runs offscreen unless a display is set. MNIST figures are left out (with a note) when the
MNIST files are not found.
"""
from __future__ import annotations

import json
import os
import time

import numpy as np

from nnviz.bench.window import (LatenessProbe, batch_size, bench_settings, new_window, open_window, pause,
                                percentiles, spin, spin_until)


def probed_run(app, win, seconds: float, timer_ms: int = 5) -> dict:
    """Train in ``win`` for ``seconds`` with a ``timer_ms`` lateness probe on the UI thread (the
    probe itself takes the GIL 200 times a second, so throughput is measured without it)."""
    batch = batch_size(win)
    probe = LatenessProbe(timer_ms)
    win.model.controller.play()
    spin(500)  # warm up
    step0, t0 = win.model.controller.global_step, time.perf_counter()
    probe.start()
    spin(int(seconds * 1000))
    probe.stop()
    rate = (win.model.controller.global_step - step0) * batch / (time.perf_counter() - t0)
    st = win.model.controller.stats
    pause(app, win)
    return {"samples_per_s": rate, "latency": percentiles(probe.late),
            "snapshot_interval_ms": round(1000 * st.snapshot_interval, 1),
            "ui_cost_ms": round(1000 * st.frame_cost_mean, 2)}


def interleaved_ratio(app, win, pairs: int = 20, block: float = 0.7) -> dict:
    """GUI ÷ headless samples/s, measured in alternating short blocks (a shared machine's speed
    drifts over seconds): the window trains for ``block`` seconds, pauses,
    then the same setup trains headless on the UI thread for ``block`` seconds, ``pairs`` times."""
    from nnviz.experiment import build

    tr = build(win.model.info.settings, data=win.model.info.data).trainer
    batch = batch_size(win)
    ctl = win.model.controller
    gui, head, fps = [], [], []
    win.model.controller.play()
    spin(500)
    for _ in range(pairs):
        if ctl.state != "running":
            win.model.controller.play()
        spin(150)
        step0, before, t0 = ctl.global_step, ctl.stats.copy(), time.perf_counter()
        spin(int(block * 1000))
        dt = time.perf_counter() - t0
        gui.append((ctl.global_step - step0) * batch / dt)
        fps.append((ctl.stats - before).frames / dt)
        pause(app, win)
        _, samples, elapsed = tr.train_for(block)
        head.append(samples / elapsed)
    st = ctl.stats
    ratios = [g / h for g, h in zip(gui, head)]
    return {"net": "-".join(map(str, win.model.info.sizes)),
            "headless_samples_per_s_median": round(float(np.median(head))),
            "gui_samples_per_s_median": round(float(np.median(gui))),
            "ratio_median": round(float(np.median(ratios)), 3),
            "ratio_geometric_mean": round(float(np.exp(np.mean(np.log(ratios)))), 3),
            "ratios": [round(r, 2) for r in ratios],
            "diagram_frames_per_s_median": round(float(np.median(fps)), 1),
            "ui_cost_per_frame_ms": round(1000 * st.frame_cost_mean, 1),
            "snapshot_interval_ms": round(1000 * st.snapshot_interval, 1)}


def worker_accounting(app, win, seconds: float = 3.0) -> dict:
    """Where the training thread's time goes with the window open (the worker's own counters),
    beside a headless run of the same length right after: shares of the wall time spent in
    ``Trainer.train_batch``, waiting for the UI to draw, and building snapshots, and the mean
    time of one batch in each.

    Less noisy than the throughput ratio: whatever this machine's speed does meanwhile shows up
    in both batch times, and the shares do not depend on it."""
    from nnviz.bench.headless import timed_batches
    from nnviz.experiment import build

    ctl = win.model.controller
    win.model.controller.play()
    spin(500)
    before, t0 = ctl.stats.copy(), time.perf_counter()
    spin(int(seconds * 1000))
    wall = time.perf_counter() - t0
    g = ctl.stats - before
    pause(app, win)
    spin(300)
    tr = build(win.model.info.settings, data=win.model.info.data).trainer
    tr.train_for(0.05)
    n_h, train_h, wall_h = timed_batches(tr, seconds)
    pct = lambda v, w: round(100 * v / w, 1)  # noqa: E731
    return {"gui": {"in_train_batch_pct": pct(g.train_seconds, wall),
                    "waiting_for_ui_pct": pct(g.ui_wait_seconds, wall),
                    "snapshots_pct": pct(g.snapshot_seconds, wall),
                    "batch_us": round(1e6 * g.train_seconds / max(1, g.batches), 1),
                    "batches_per_s": round(g.batches / wall),
                    "diagram_frames_per_s": round(g.frames / wall, 1),
                    "ui_frame_pct": pct(g.frame_seconds, wall)},
            "headless": {"in_train_batch_pct": pct(train_h, wall_h),
                         "batch_us": round(1e6 * train_h / max(1, n_h), 1),
                         "batches_per_s": round(n_h / wall_h)},
            "ratio": round((g.batches / wall) / max(1e-9, n_h / wall_h), 3)}


def switch_to_mnist_stall_ms(app, timeout_s: float = 120.0, timer_ms: int = 5) -> dict:
    """The longest lateness of a ``timer_ms`` UI timer while a window on its toy problem
    switches its dataset to MNIST (``request_settings(..., confirm=False)``), from the call until
    the new experiment is installed (``experimentReplaced``) and the event loop is back."""
    win = new_window()
    spin(300)
    s = bench_settings("mnist")
    installed = []
    win.model.experimentReplaced.connect(installed.append)
    probe = LatenessProbe(timer_ms)
    probe.start()
    spin(100)
    t0 = time.perf_counter()
    win.model.request_settings(s, confirm=False)
    ok = spin_until(lambda: installed, timeout_s)
    ticks = probe.ticks
    spin_until(lambda: probe.ticks > ticks + 1, 5.0)  # the tick after the install measures its stall
    seconds = time.perf_counter() - t0
    probe.stop()
    win.close()
    app.processEvents()
    return {"max": round(max(probe.late), 1) if probe.late else None, "installed": bool(ok),
            "seconds_to_install": round(seconds, 2), "latency": percentiles(probe.late),
            "via": "MainWindow.request_settings(mnist settings, confirm=False)"}


def mnist_available() -> bool:
    from nnviz.data.locate import find_dataset

    return find_dataset("mnist") is not None


def run(seconds: float = 3.0, soak_minutes: float | None = None, pairs: int = 20,
        kinds=("toy", "mnist"), diagram: bool = True, startup: bool = True) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["NNVIZ_NO_DIALOGS"] = "1"
    from nnviz.app.main import make_app
    from nnviz.bench.diagram import measure_redraw, paint_gil_check

    app = make_app()
    out: dict = {"platform": app.platformName()}
    if soak_minutes:
        from nnviz.bench.soak import soak
        out["soak"] = soak(app, soak_minutes)
        return out
    out["throughput"] = {}
    for kind in kinds:
        if kind == "mnist" and not mnist_available():
            out.setdefault("skipped", []).append("mnist: the MNIST files were not found (NNVIZ_DATA_DIR)")
            continue
        s = bench_settings(kind)
        res = {}
        for step in ("ratio", "accounting", "probe"):  # a fresh window for each, as a user would
            win = open_window(app, s)
            if step == "ratio":
                res = interleaved_ratio(app, win, pairs=pairs)
            elif step == "accounting":
                res["worker_time"] = worker_accounting(app, win, seconds)
            else:
                out.setdefault("ui_latency_ms", {})[kind] = probed_run(app, win, seconds)["latency"]
            win.close()
            app.processEvents()
        out["throughput"][kind] = res
    if "mnist" in kinds and mnist_available():
        out["switch_to_mnist_stall_ms"] = switch_to_mnist_stall_ms(app)
    if diagram:
        out["diagram_redraw_ms"] = {"2-8-8-1": measure_redraw([2, 8, 8, 1]),
                                    "784-100-10": measure_redraw([784, 100, 10])}
        # painting the diagram must leave Python (training) running: ratio ≈ 1
        out["diagram_paint_without_gil"] = {"2-8-8-1": paint_gil_check([2, 8, 8, 1]),
                                            "784-100-10": paint_gil_check([784, 100, 10])}
    if startup:
        from nnviz.bench.soak import startup_seconds
        out["startup_s"] = startup_seconds()
    return out


def main(args) -> int:
    res = run(seconds=getattr(args, "seconds", 3.0), soak_minutes=getattr(args, "soak", None))
    print(json.dumps(res, indent=1))
    return 0
