"""Helpers of the window benchmarks: a fresh window on a given setup, the event loop for a
while, percentiles, and a probe for how late a fast UI timer fires."""
from __future__ import annotations

import os
import tempfile
import time

import numpy as np


def percentiles(values) -> dict:
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return {"p50": None, "p95": None, "max": None, "n": 0}
    return {"p50": round(float(np.percentile(v, 50)), 2), "p95": round(float(np.percentile(v, 95)), 2),
            "max": round(float(v.max()), 2), "n": int(v.size)}


def bench_settings(kind: str):
    """``"toy"``: the window's default problem with 8-8 hidden units; ``"mnist"``: mnist-fast
    with 100 hidden units. Both train far longer than any measurement."""
    from nnviz.app.window.mainwindow import DEFAULT_SETTINGS
    from nnviz.presets import get_preset

    if kind == "toy":
        return DEFAULT_SETTINGS.replace(hidden=[8, 8], epochs=100000)
    return get_preset("mnist-fast").settings.replace(hidden=[100], epochs=1000)


def spin(ms: int) -> None:
    """Run the event loop for ``ms`` milliseconds."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(int(ms), loop.quit)
    loop.exec()


def spin_until(predicate, timeout_s: float) -> bool:
    end = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > end:
            return False
        spin(10)
    return True


def new_window(qsettings_dir: str | None = None):
    """A shown 1400×860 main window on its default problem, with throw-away settings."""
    from PySide6.QtCore import QSettings

    from nnviz.app.window.mainwindow import DEFAULT_SETTINGS, MainWindow

    ini = os.path.join(qsettings_dir or tempfile.mkdtemp(prefix="nnviz-bench-"), "s.ini")
    win = MainWindow(DEFAULT_SETTINGS, qsettings=QSettings(ini, QSettings.IniFormat), restore=False)
    win.resize(1400, 860)
    win.show()
    return win


def open_window(app, s, timeout_s: float = 120.0):
    """A window training ``s`` (paused), set up the way a user would: ``request_settings``.
    None if the window could not install it (e.g. MNIST not found)."""
    win = new_window()
    app.processEvents()
    installed = []
    win.model.experimentReplaced.connect(installed.append)
    win.model.request_settings(s, confirm=False)
    if not spin_until(lambda: installed, timeout_s) or installed[-1].settings.dataset != s.dataset:
        win.close()
        app.processEvents()
        return None
    spin_until(lambda: win.model.controller is not None and win.model.controller.state == "paused", 5.0)
    win.speed.setValue(win.speed.maximum())  # full speed (the window starts at a speed to watch)
    return win


def batch_size(win) -> int:
    """Samples per batch of the window's experiment (no batch size: the whole training set)."""
    info = win.model.info
    b = info.settings.batch_size
    return info.n_train if not b else min(int(b), info.n_train)


def pause(app, win, timeout_s: float = 2.0) -> None:
    win.model.controller.pause()
    end = time.monotonic() + timeout_s
    while win.model.controller.state == "running" and time.monotonic() < end:
        app.processEvents()


class LatenessProbe:
    """A ``timer_ms`` precise QTimer on the UI thread recording how late each tick fires (ms)."""

    def __init__(self, timer_ms: int = 5):
        from PySide6.QtCore import QElapsedTimer, Qt, QTimer

        self.timer_ms = timer_ms
        self.late: list[float] = []
        self.ticks = 0
        self._clock = QElapsedTimer()
        self._clock.start()
        self._last = self._clock.nsecsElapsed()
        self._timer = QTimer()
        self._timer.setTimerType(Qt.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed()
        self.late.append(max(0.0, (now - self._last) / 1e6 - self.timer_ms))
        self._last = now
        self.ticks += 1

    def start(self) -> None:
        self._last = self._clock.nsecsElapsed()
        self._timer.start(self.timer_ms)

    def stop(self) -> None:
        self._timer.stop()
