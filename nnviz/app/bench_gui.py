"""``nnviz bench --gui``: what the window costs training, and how smooth it stays.

Figures (one JSON document):
- ``throughput``: samples/s of the same net trained headless (the core's loop) and with the
  window open (the real worker thread, live redraws), and their ratio;
- ``ui_latency_ms``: how late a 5 ms ``QTimer`` fires (p50/p95/max) while the window trains MNIST;
  (20 alternating blocks; ``diagram_frames_per_s_median`` says how smooth the picture was), and
  ``worker_time``: where the training thread's time goes, window vs headless (less noisy);
- ``diagram_redraw_ms``: update + paint of the diagram for 2-8-8-1 and 784-100-10;
- ``diagram_paint_without_gil``: how fast a Python thread runs while the diagram repaints
  non-stop, relative to an idle event loop (≈ 1: the paint does not hold the GIL);
- ``startup_s``: from starting ``python -m nnviz`` to the first shown window;
- with ``--soak MINUTES``: resident memory growth and the change of the reference counts
  of None/True/False over a long MNIST run with live redraws.

Runs offscreen unless a display is set. MNIST figures fall back to synthetic 28×28 data of the
same shape when the files are not found.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np


def _rss_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _percentiles(values) -> dict:
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return {"p50": None, "p95": None, "max": None, "n": 0}
    return {"p50": round(float(np.percentile(v, 50)), 2), "p95": round(float(np.percentile(v, 95)), 2),
            "max": round(float(v.max()), 2), "n": int(v.size)}


def _settings(kind: str):
    from nnviz.app.mainwindow import DEFAULT_SETTINGS
    from nnviz.presets import get_preset

    if kind == "toy":
        return DEFAULT_SETTINGS.replace(hidden=[8, 8], epochs=100000)
    return get_preset("mnist-fast").settings.replace(hidden=[100], epochs=1000)


def _data(s):
    from nnviz.bench import _mnist
    from nnviz.experiment import load_data

    if s.dataset == "mnist":
        data, _ = _mnist()
        return data
    return load_data(s)


def headless_rate(s, data, seconds: float) -> float:
    from nnviz.experiment import build

    tr = build(s, data=data).trainer
    tr.train_for(0.05)  # warm up
    _, samples, elapsed = tr.train_for(seconds)
    return samples / elapsed


def _spin(ms: int) -> None:
    """Run the event loop for ``ms`` milliseconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _window(s, data):
    from PySide6.QtCore import QSettings

    from nnviz.app.mainwindow import MainWindow

    from nnviz.app.mainwindow import DEFAULT_SETTINGS

    ini = os.path.join(tempfile.mkdtemp(prefix="nnviz-bench-"), "s.ini")
    win = MainWindow(DEFAULT_SETTINGS, qsettings=QSettings(ini, QSettings.IniFormat), restore=False)
    win.model.install_data(s, data)
    win.resize(1400, 860)
    win.show()
    return win


def gui_run(app, s, data, seconds: float, timer_ms: int = 5, probe: bool = True) -> dict:
    """Train with the window open; measure samples/s, and with ``probe`` the lateness of a
    ``timer_ms`` timer (the probe itself takes the GIL 200 times a second, so throughput is
    measured in a run without it)."""
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    win = _window(s, data)
    app.processEvents()
    batch = s.batch_size
    late: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def tick():
        now = clock.nsecsElapsed()
        late.append(max(0.0, (now - last[0]) / 1e6 - timer_ms))
        last[0] = now

    timer = QTimer()
    timer.setTimerType(__import__("PySide6.QtCore", fromlist=["Qt"]).Qt.PreciseTimer)
    timer.timeout.connect(tick)
    win.model.toggle_play()
    loop = QEventLoop()
    # warm up half a second, then measure
    QTimer.singleShot(500, loop.quit)
    loop.exec()
    step0, t0 = win.model.controller.global_step, time.perf_counter()
    last[0] = clock.nsecsElapsed()
    if probe:
        timer.start(timer_ms)
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    timer.stop()
    steps = win.model.controller.global_step - step0
    rate = steps * batch / (time.perf_counter() - t0)
    stats = {"snapshot_interval_ms": round(1000 * win.model.controller.worker.snapshot_interval, 1),
             "ui_cost_ms": round(1000 * win.model.controller.worker.ui_cost_mean, 2)}
    win.close()
    app.processEvents()
    return {"samples_per_s": rate, "latency": _percentiles(late), **stats}


def startup_seconds() -> float | None:
    env = dict(os.environ, NNVIZ_STARTUP_TIME="1", NNVIZ_QUIT_AFTER="0.3", NNVIZ_NO_DIALOGS="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as home:
        env["XDG_CONFIG_HOME"] = home  # a first launch: no remembered settings
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-m", "nnviz"], stderr=subprocess.PIPE, text=True, env=env)
        try:
            for line in p.stderr:
                if line.startswith("first window after"):
                    t = time.perf_counter() - t0
                    p.wait(timeout=30)
                    return round(t, 3)
        finally:
            if p.poll() is None:
                p.kill()
    return None


def soak(app, minutes: float) -> dict:
    """Train MNIST with live redraws for ``minutes``; report memory and refcount drift."""
    from PySide6.QtCore import QEventLoop, QTimer

    s = _settings("mnist")
    data = _data(s)
    win = _window(s, data)
    app.processEvents()
    refs0 = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    rss = [(0.0, _rss_mb())]
    t0 = time.perf_counter()
    win.model.toggle_play()
    loop = QEventLoop()
    sampler = QTimer()
    sampler.timeout.connect(lambda: rss.append((time.perf_counter() - t0, _rss_mb())))
    sampler.start(10000)
    QTimer.singleShot(int(minutes * 60000), loop.quit)
    loop.exec()
    sampler.stop()
    steps = win.model.controller.global_step
    refs1 = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    win.close()
    app.processEvents()
    # growth after the first minute (caches, plots warming up) and over the whole run
    base = next((m for t, m in rss if t >= 60), rss[0][1])
    return {"minutes": minutes, "batches": steps, "rss_start_mb": round(rss[0][1], 1),
            "rss_end_mb": round(rss[-1][1], 1), "rss_growth_mb": round(rss[-1][1] - rss[0][1], 1),
            "rss_growth_after_1min_mb": round(rss[-1][1] - base, 1),
            "refcount_delta": {"None": refs1[0] - refs0[0], "True": refs1[1] - refs0[1],
                               "False": refs1[2] - refs0[2]},
            "crashed": False}


def interleaved_ratio(app, s, data, pairs: int = 20, block: float = 0.7) -> dict:
    """GUI ÷ headless samples/s, measured in alternating short blocks (this machine's speed
    drifts by tens of percent over seconds): the window trains for ``block`` seconds, pauses,
    then the same setup trains headless on the UI thread for ``block`` seconds, ``pairs`` times."""
    from nnviz.experiment import build

    win = _window(s, data)
    app.processEvents()
    tr = build(s, data=data).trainer
    batch = s.batch_size

    gui, head, fps = [], [], []
    win.model.toggle_play()
    _spin(500)
    for _ in range(pairs):
        if win.model.state != "running":
            win.model.toggle_play()
        _spin(150)
        step0, frames0, t0 = win.model.controller.global_step, win.model.controller.frames, time.perf_counter()
        _spin(int(block * 1000))
        dt = time.perf_counter() - t0
        gui.append((win.model.controller.global_step - step0) * batch / dt)
        fps.append((win.model.controller.frames - frames0) / dt)
        win.model.controller.pause()
        end = time.monotonic() + 2
        while win.model.state == "running" and time.monotonic() < end:
            app.processEvents()
        _, samples, elapsed = tr.train_for(block)
        head.append(samples / elapsed)
    cost = win.model.controller.worker.ui_cost_mean
    interval = win.model.controller.worker.snapshot_interval
    win.close()
    app.processEvents()
    ratios = [g / h for g, h in zip(gui, head)]
    return {"net": "-".join(map(str, win.model.info.sizes)),
            "headless_samples_per_s_median": round(float(np.median(head))),
            "gui_samples_per_s_median": round(float(np.median(gui))),
            "ratio_median": round(float(np.median(ratios)), 3),
            "ratio_geometric_mean": round(float(np.exp(np.mean(np.log(ratios)))), 3),
            "ratios": [round(r, 2) for r in ratios],
            "diagram_frames_per_s_median": round(float(np.median(fps)), 1),
            "ui_cost_per_frame_ms": round(1000 * cost, 1), "snapshot_interval_ms": round(1000 * interval, 1)}


def worker_accounting(app, s, data, seconds: float = 3.0) -> dict:
    """Where the training thread's time goes with the window open, beside a headless run of the
    same length right after: shares of the wall time spent in ``Trainer.train_batch``, waiting
    for the UI to draw, and building snapshots, and the mean time of one batch in each.

    Less noisy than the throughput ratio: whatever this machine's speed does meanwhile shows up
    in both batch times, and the shares do not depend on it."""
    import nnviz.app.worker as worker_mod
    from nnviz.core.training import Trainer
    from nnviz.experiment import build

    acc = {"train": 0.0, "n": 0, "wait": 0.0, "snap": 0.0}
    orig_batch, orig_emit = Trainer.train_batch, worker_mod.TrainingWorker._emit_snapshot

    def train_batch(self, *a, **k):
        t = time.perf_counter()
        r = orig_batch(self, *a, **k)
        acc["train"] += time.perf_counter() - t
        acc["n"] += 1
        return r

    def emit_snapshot(self, *a, **k):
        t = time.perf_counter()
        orig_emit(self, *a, **k)
        acc["snap"] += time.perf_counter() - t

    win = _window(s, data)
    app.processEvents()
    ready = win.model.controller.worker._ui_ready
    orig_wait = ready.wait

    def wait(timeout=None):
        t = time.perf_counter()
        r = orig_wait(timeout)
        acc["wait"] += time.perf_counter() - t
        return r

    ready.wait = wait
    Trainer.train_batch, worker_mod.TrainingWorker._emit_snapshot = train_batch, emit_snapshot
    try:
        win.model.toggle_play()
        _spin(500)
        acc.update(train=0.0, n=0, wait=0.0, snap=0.0)
        frames0, t0 = win.model.controller.frames, time.perf_counter()
        _spin(int(seconds * 1000))
        wall = time.perf_counter() - t0
        gui, frames = dict(acc), win.model.controller.frames - frames0
        win.model.controller.pause()
        _spin(300)
        tr = build(s, data=data).trainer
        tr.train_for(0.05)
        acc.update(train=0.0, n=0, wait=0.0, snap=0.0)
        _, _, wall_h = tr.train_for(seconds)
        head = dict(acc)
    finally:
        Trainer.train_batch, worker_mod.TrainingWorker._emit_snapshot = orig_batch, orig_emit
        win.close()
        app.processEvents()
    pct = lambda v, w: round(100 * v / w, 1)  # noqa: E731
    return {"gui": {"in_train_batch_pct": pct(gui["train"], wall), "waiting_for_ui_pct": pct(gui["wait"], wall),
                    "snapshots_pct": pct(gui["snap"], wall),
                    "batch_us": round(1e6 * gui["train"] / max(1, gui["n"]), 1),
                    "batches_per_s": round(gui["n"] / wall), "diagram_frames_per_s": round(frames / wall, 1)},
            "headless": {"in_train_batch_pct": pct(head["train"], wall_h),
                         "batch_us": round(1e6 * head["train"] / max(1, head["n"]), 1),
                         "batches_per_s": round(head["n"] / wall_h)},
            "ratio": round((gui["n"] / wall) / max(1e-9, head["n"] / wall_h), 3)}


def run(seconds: float = 3.0, soak_minutes: float | None = None, pairs: int = 20) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["NNVIZ_NO_DIALOGS"] = "1"
    from nnviz.app.diagram_bench import measure_redraw, paint_gil_check
    from nnviz.app.main import make_app

    app = make_app()
    out: dict = {"platform": app.platformName()}
    if soak_minutes:
        out["soak"] = soak(app, soak_minutes)
        return out
    out["throughput"] = {}
    for kind in ("toy", "mnist"):
        s = _settings(kind)
        data = _data(s)
        res = interleaved_ratio(app, s, data, pairs=pairs)
        res["worker_time"] = worker_accounting(app, s, data)
        probe = gui_run(app, s, data, seconds, probe=True)
        out["throughput"][kind] = res
        out.setdefault("ui_latency_ms", {})[kind] = probe["latency"]
    out["diagram_redraw_ms"] = {"2-8-8-1": measure_redraw([2, 8, 8, 1]),
                                "784-100-10": measure_redraw([784, 100, 10])}
    # painting the diagram must leave Python (training) running: ratio ≈ 1
    out["diagram_paint_without_gil"] = {"2-8-8-1": paint_gil_check([2, 8, 8, 1]),
                                        "784-100-10": paint_gil_check([784, 100, 10])}
    out["startup_s"] = startup_seconds()
    return out


def main(args) -> int:
    res = run(seconds=getattr(args, "seconds", 3.0), soak_minutes=getattr(args, "soak", None))
    print(json.dumps(res, indent=1))
    return 0
