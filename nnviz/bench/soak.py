"""The long-running figures of ``nnviz bench --gui``: memory and refcount drift over a long
MNIST run with live redraws (``--soak MINUTES``), and the time to the first window."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from nnviz.bench.window import bench_settings, open_window


def rss_mb() -> float:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def startup_seconds() -> float | None:
    """Seconds from starting ``python -m nnviz`` (first launch, no remembered settings) to its
    first shown window, as the app reports it."""
    env = dict(os.environ, NNVIZ_STARTUP_TIME="1", NNVIZ_QUIT_AFTER="0.3", NNVIZ_NO_DIALOGS="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as home:
        env["XDG_CONFIG_HOME"] = home
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

    win = open_window(app, bench_settings("mnist"))
    if win is None:
        return {"minutes": minutes, "skipped": "the MNIST files were not found (NNVIZ_DATA_DIR)"}
    refs0 = (sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False))
    rss = [(0.0, rss_mb())]
    t0 = time.perf_counter()
    win.model.controller.play()
    loop = QEventLoop()
    sampler = QTimer()
    sampler.timeout.connect(lambda: rss.append((time.perf_counter() - t0, rss_mb())))
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
