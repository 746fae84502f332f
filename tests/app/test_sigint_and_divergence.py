"""Issue 10 in the window: Ctrl+C closes it cleanly, and a run that blows up without a NaN
pauses the worker with the divergence message like a NaN does."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from nnviz.app.training.controller import TrainingController
from nnviz.data.base import Dataset
from nnviz.experiment import Settings, build

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child needs POSIX")
def test_ctrl_c_closes_the_window_with_exit_0_and_nothing_on_the_console(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NNVIZ_STARTUP_TIME="1",
               XDG_CONFIG_HOME=str(tmp_path), XDG_CACHE_HOME=str(tmp_path), HOME=str(tmp_path),
               PYTHONPATH=str(ROOT))
    p = subprocess.Popen([sys.executable, "-m", "nnviz"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=env, cwd=str(tmp_path))
    try:
        ready = p.stderr.readline()  # "first window after ... s": the event loop is running
        assert ready.startswith("first window after"), ready
        time.sleep(0.3)
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0 and err == "" and out == ""


def blobs(n=200):
    rng = np.random.default_rng(0)
    y = np.arange(n) % 2
    x = np.array([[-2.0, -2.0], [2.0, 2.0]])[y] + rng.normal(size=(n, 2))
    return Dataset("blobs", x[:n // 2], y[:n // 2], x[n // 2:], y[n // 2:], n_classes=2)


def test_a_finite_blow_up_pauses_the_worker_with_the_divergence_banner(qtbot):
    s = Settings(hidden=[8], activation="relu", output_activation="softmax", loss="cross_entropy",
                 optimizer="adam", lr=1e6, batch_size=10, epochs=1000)
    exp = build(s, data=blobs())
    ctl = TrainingController(exp)
    states, errors = [], []
    ctl.signals.stateChanged.connect(states.append)
    ctl.signals.errored.connect(errors.append)
    try:
        qtbot.waitUntil(lambda: "paused" in states, timeout=3000)
        with qtbot.waitSignal(ctl.signals.diverged, timeout=5000) as blocker:
            ctl.play()
        assert "Training diverged at epoch" in blocker.args[0]
        qtbot.waitUntil(lambda: states[-1] == "paused", timeout=2000)
        assert not errors and np.isfinite(exp.net.flat_params).all()
    finally:
        assert ctl.shutdown(2000)
