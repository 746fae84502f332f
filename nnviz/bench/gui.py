"""``nnviz bench --gui``: what the window costs training, and how smooth it stays.

Figures (one JSON document):
- ``throughput``: samples/s of the same net trained headless (the core's loop) and with the
  window open (the real worker thread, live redraws), counted the same way in 12 alternating
  pairs of 1.5 s blocks; ``ratio`` (pooled) is the headline, with the per-pair median and
  quartiles, one batch's time in each arm, the diagram's frames/s, the plots' updates/s and where the worker's time
  went (see :func:`interleaved_ratio`; PERFORMANCE.md says why one measurement replaced two);
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


def _headless_block(tr, seconds: float) -> dict:
    """The core's loop (``Trainer.train_for``'s) for ``seconds``, counted like the worker counts:
    batches, samples, seconds inside ``train_batch``, wall seconds."""
    clock = time.perf_counter
    batches = samples = 0
    inside = 0.0
    t0 = clock()
    while clock() - t0 < seconds:
        t = clock()
        r = tr.train_batch()
        inside += clock() - t
        batches += 1
        samples += r.samples
        if r.epoch_done:
            tr.finish_epoch()
    return {"batches": batches, "samples": samples, "inside": inside, "wall": clock() - t0}


def _window_block(app, win, seconds: float) -> tuple[dict, object]:
    """The window's worker for ``seconds`` (already running and settled), from its counters."""
    ctl = win.model.controller
    flushes = lambda: getattr(getattr(win, "frame", None), "plot_flushes", 0)  # noqa: E731
    before, f0, t0 = ctl.stats.copy(), flushes(), time.perf_counter()
    spin(int(seconds * 1000))
    wall = time.perf_counter() - t0
    g = ctl.stats - before
    samples = getattr(g, "samples", 0) or g.batches * batch_size(win)  # (older workers: no samples)
    return {"batches": g.batches, "samples": samples, "inside": g.train_seconds, "wall": wall,
            "plot_updates": flushes() - f0}, g


def interleaved_ratio(app, win, pairs: int = 12, block: float = 1.5, settle: float = 0.3) -> dict:
    """Window ÷ headless training throughput, the same work measured the same way in both arms.

    ``pairs`` pairs of ``block``-second blocks alternate (window first, then headless, then the
    other way round, so a drift of the machine's speed falls on both arms alike); each arm first
    runs ``settle`` seconds uncounted (the window: after Play, the headless loop: after the window
    paused), then counts batches and samples over the wall time of the block. The window arm
    reads the worker's counters, the headless arm counts the core's loop (``train_for``) the same
    way on the UI thread, with the same BLAS threads (the window's one).

    Figures: ``ratio`` (all window samples ÷ all window seconds over the same for headless:
    the headline), the median and quartiles of the per-pair ratios, the time of one batch in
    each arm (inside ``train_batch``), and where the worker's time went in the window blocks."""
    from nnviz.experiment import build

    tr = build(win.model.info.settings, data=win.model.info.data).trainer
    ctl = win.model.controller
    gui, head, g_all = [], [], None

    def window_arm():
        nonlocal g_all
        ctl.play()
        spin(int(settle * 1000))
        res, g = _window_block(app, win, block)
        pause(app, win)
        gui.append(res)
        g_all = g if g_all is None else _add(g_all, g)

    def headless_arm():
        tr.train_for(settle)
        head.append(_headless_block(tr, block))

    ctl.play()
    spin(500)
    pause(app, win)
    for i in range(pairs):
        for arm in ((window_arm, headless_arm) if i % 2 == 0 else (headless_arm, window_arm)):
            arm()
    rate = lambda blocks: sum(b["samples"] for b in blocks) / sum(b["wall"] for b in blocks)  # noqa: E731
    batch_us = lambda blocks: 1e6 * sum(b["inside"] for b in blocks) / max(1, sum(b["batches"] for b in blocks))  # noqa: E731
    ratios = [(g["samples"] / g["wall"]) / max(1e-9, h["samples"] / h["wall"]) for g, h in zip(gui, head)]
    wall = sum(b["wall"] for b in gui)
    st = ctl.stats
    pct = lambda v: round(100 * v / wall, 1)  # noqa: E731
    return {"net": "-".join(map(str, win.model.info.sizes)),
            "method": f"{pairs} alternating pairs of {block} s blocks after {settle} s uncounted",
            "ratio": round(rate(gui) / rate(head), 3),
            "ratio_median": round(float(np.median(ratios)), 3),
            "ratio_quartiles": [round(float(q), 3) for q in np.percentile(ratios, [25, 75])],
            "ratios": [round(r, 2) for r in ratios],
            "headless_samples_per_s": round(rate(head)), "gui_samples_per_s": round(rate(gui)),
            "batch_us": {"gui": round(batch_us(gui), 1), "headless": round(batch_us(head), 1)},
            "diagram_frames_per_s": round(g_all.frames / wall, 1),
            "plot_updates_per_s": round(sum(b["plot_updates"] for b in gui) / wall, 1),
            "worker_time_gui_pct": {"in_train_batch": pct(g_all.train_seconds),
                                    "waiting_for_ui": pct(g_all.ui_wait_seconds),
                                    "snapshots": pct(g_all.snapshot_seconds),
                                    "ui_frames": pct(g_all.frame_seconds)},
            "headless_in_train_batch_pct": round(100 * sum(b["inside"] for b in head)
                                                 / sum(b["wall"] for b in head), 1),
            "ui_cost_per_frame_ms": round(1000 * st.frame_cost_mean, 1),
            "snapshot_interval_ms": round(1000 * st.snapshot_interval, 1)}


def _add(a, b):
    """The sum of two counter differences (gauges: the later one's)."""
    from dataclasses import fields

    out = b.copy()
    for f in fields(a):
        if f.name not in a._GAUGES:
            setattr(out, f.name, getattr(a, f.name) + getattr(b, f.name))
    return out


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


def run(seconds: float = 3.0, soak_minutes: float | None = None, pairs: int = 12,
        kinds=("toy", "mnist"), diagram: bool = True, startup: bool = True, block: float = 1.5) -> dict:
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
        for step in ("ratio", "probe"):  # a fresh window for each, as a user would
            win = open_window(app, s)
            if step == "ratio":
                res = interleaved_ratio(app, win, pairs=pairs, block=block)
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
