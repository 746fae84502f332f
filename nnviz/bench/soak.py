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


def _launch_seconds(env: dict, cwd: str) -> float | None:
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, "-m", "nnviz"], stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
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


def startup_seconds(launches: int = 3) -> dict:
    """Seconds from starting ``python -m nnviz`` (no remembered settings) to its first shown
    window, as the app reports it.

    ``cached_s``: the median of ``launches`` launches with Python's bytecode cached (every
    launch after the first; a built bundle ships compiled bytecode), after one launch that fills
    a private cache. ``uncached_s``: one launch with the environment as it is (where
    ``PYTHONDONTWRITEBYTECODE`` is set, every module is compiled on every launch). Each child
    runs in an empty folder, so ``-m nnviz`` finds the installed package (or ``PYTHONPATH``'s),
    never the current directory's.
    """
    import statistics

    base = dict(os.environ, NNVIZ_STARTUP_TIME="1", NNVIZ_QUIT_AFTER="0.3", NNVIZ_NO_DIALOGS="1")
    base.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory() as home:
        base["XDG_CONFIG_HOME"] = home  # a first launch: no remembered settings
        cwd = os.path.join(home, "cwd")  # (the config folder holds an "nnviz" folder: not there)
        os.mkdir(cwd)
        uncached = _launch_seconds(base, cwd)
        cached_env = dict(base, PYTHONPYCACHEPREFIX=os.path.join(home, "pycache"))
        cached_env.pop("PYTHONDONTWRITEBYTECODE", None)
        _launch_seconds(cached_env, cwd)  # fills the cache
        times = [t for t in (_launch_seconds(cached_env, cwd) for _ in range(launches)) if t is not None]
    return {"cached_s": round(statistics.median(times), 3) if times else None, "launches": times,
            "uncached_s": uncached}


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
