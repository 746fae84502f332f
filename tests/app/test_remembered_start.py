"""Issue 18, defects 4-6, from their reproductions: bad remembered values never stop nnviz from
starting; the window says what was reset and the settings file is repaired."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QSettings

from nnviz.app.window.mainwindow import DEFAULT_SETTINGS, MainWindow

ROOT = Path(__file__).resolve().parents[2]


def _conf(home: Path, **values) -> Path:
    """Write ``values`` into the settings file ``nnviz`` reads with XDG_CONFIG_HOME=home."""
    qs = QSettings(str(home / "nnviz" / "nnviz.conf"), QSettings.IniFormat)
    for key, value in values.items():
        qs.setValue(key.replace("__", "/"), value)
    qs.sync()
    return home / "nnviz" / "nnviz.conf"


def _start(home: Path, *args, quit_after="1.5"):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(home),
               NNVIZ_QUIT_AFTER=quit_after, NNVIZ_NO_DIALOGS="1")
    return subprocess.run([sys.executable, "-m", "nnviz", *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=home)


def _settings_with(**changes) -> str:
    return json.dumps({**DEFAULT_SETTINGS.to_dict(), **changes})


@pytest.mark.parametrize("values", [
    {"last_settings": _settings_with(seed=-7)},
    {"last_settings": _settings_with(seed="abc")},
    {"last_settings": "[" * 100_000 + "]" * 100_000},
    {"step__digits": "abc"},
    {"step__digits": str(10 ** 30)},
    {"recent": json.dumps([{"path": 5, "kind": "data"}, {"path": "/x.csv"}])},
    {"last_settings": _settings_with(batch_size=10 ** 12)},                 # defect 6
    {"last_settings": _settings_with(data_options={"n_samples": 10 ** 9})},  # defect 5
], ids=["seed-7", "seed-abc", "deep-json", "digits-abc", "digits-1e30", "recent", "batch-1e12", "samples-1e9"])
def test_a_bad_remembered_value_does_not_stop_the_start_and_the_file_is_repaired(tmp_path, values):
    conf = _conf(tmp_path, **values)
    p = _start(tmp_path)
    assert p.returncode == 0, p.stderr[-1500:]
    assert "unexpected error" not in p.stderr and "Traceback" not in p.stderr and "Error" not in p.stderr
    again = _start(tmp_path)          # the file was repaired: the second start finds nothing to reset
    assert again.returncode == 0
    qs = QSettings(str(conf), QSettings.IniFormat)
    raw = qs.value("last_settings")
    if raw:
        d = json.loads(raw)
        assert 0 <= d["seed"] and (d["batch_size"] is None or d["batch_size"] <= 1_000_000)
        assert (d["data_options"] or {}).get("n_samples", 0) <= 100_000
    digits = qs.value("step/digits")
    assert digits is None or 2 <= int(digits) <= 17
    recent = json.loads(qs.value("recent", "[]"))
    assert all(isinstance(r["path"], str) and r["kind"] in ("data", "model") for r in recent)


def test_the_self_test_starts_with_bad_step_digits(tmp_path):
    _conf(tmp_path, step__digits="abc")
    p = _start(tmp_path, "--self-test")
    assert p.returncode == 0, p.stderr[-1500:]
    assert json.loads(p.stdout.strip().splitlines()[-1])["self_test"] == "passed"


def test_the_window_says_what_was_reset(qtbot, tmp_path):
    qs = QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat)
    qs.setValue("last_settings", _settings_with(seed=-7, lr=0.3))
    qs.setValue("view/max_edges", "many")
    w = MainWindow(qsettings=qs, restore=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: "last_settings.seed" in w.statusBar().currentMessage(), timeout=5000)
    assert "view/max_edges" in w.statusBar().currentMessage()
    assert w.model.settings().seed == 0 and w.model.settings().lr == 0.3     # the rest is kept
    w.close()


ANY = st.recursive(st.none() | st.booleans() | st.integers(-2 ** 62, 2 ** 62) | st.floats() | st.text(max_size=20),
                   lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                   max_leaves=8)
KEYS = ("last_settings", "step/digits", "recent", "view/max_edges", "window/geometry", "window/state",
        "ui/lang", "ui/welcomed", "paths/data", "paths/model", "paths/export")
FIELDS = [f for f in DEFAULT_SETTINGS.to_dict()]


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.dictionaries(st.sampled_from(KEYS), ANY.map(json.dumps) | ANY, min_size=1),
       field=st.sampled_from(FIELDS), field_value=ANY)
def test_random_values_of_random_types_in_every_remembered_setting_never_stop_the_window(
        qtbot, tmp_path, monkeypatch, values, field, field_value):
    from nnviz.app.window import dialogs

    shown = []   # a value that is fine alone but cannot be built gets one dialog, not a blocked start
    monkeypatch.setattr(dialogs.QMessageBox, "warning", lambda parent, title, text: shown.append(title))
    ini = tmp_path / "h.ini"
    ini.unlink(missing_ok=True)
    qs = QSettings(str(ini), QSettings.IniFormat)
    for key, value in values.items():
        qs.setValue(key, value)
    if "last_settings" not in values:   # and one field of an otherwise good record
        qs.setValue("last_settings", _settings_with(**{field: field_value}))
    w = MainWindow(qsettings=qs, restore=True)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.model.last_snapshot is not None, timeout=10000)
    assert w.model.info is not None and w.model.info.sizes[0] >= 1   # a network, whatever was read
    assert len(shown) <= 1
    w.close()


def test_a_big_toy_set_is_made_on_the_loader_thread_and_a_huge_one_refused(qtbot, tmp_path):
    from nnviz.data.toy import MAX_SAMPLES, make_toy
    from nnviz.core.errors import DataError

    w = MainWindow(DEFAULT_SETTINGS.replace(data_options={"n_samples": 50_000}),
                   qsettings=QSettings(str(tmp_path / "t.ini"), QSettings.IniFormat), restore=False)
    qtbot.addWidget(w)
    assert w.model.loading                      # not on the UI thread
    qtbot.waitUntil(lambda: w.model.last_snapshot is not None, timeout=10000)
    assert w.model.info.n_train == 25_000     # half of 50 000 for training
    w.close()
    with pytest.raises(DataError, match="at most 100000 points"):
        make_toy("circle", n_samples=MAX_SAMPLES + 1)


def test_ctrl_c_closes_nnviz_while_a_start_up_error_dialog_is_open(tmp_path):
    import signal
    import time

    # each value is fine on its own, but the circle takes no n_classes: the data cannot be made,
    # and the error dialog opens while the window is still being built
    _conf(tmp_path, last_settings=_settings_with(dataset="circle", data_options={"n_classes": 3}),
          ui__welcomed="true")
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    env.pop("NNVIZ_NO_DIALOGS", None)
    p = subprocess.Popen([sys.executable, "-m", "nnviz"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env, cwd=tmp_path)
    time.sleep(4)                      # the window is up and the loader's error dialog is open
    assert p.poll() is None
    p.send_signal(signal.SIGINT)
    try:
        _out, err = p.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        p.kill()
        pytest.fail("Ctrl+C did not close nnviz while its error dialog was open")
    assert p.returncode == 0, err[-1500:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_a_load_that_does_not_end_is_abandoned_cleanly_when_nnviz_exits(tmp_path):
    """Issue 18, defect 7: closing the window while the loader thread still works must not abort
    ("QThread: Destroyed while thread is still running")."""
    script = tmp_path / "abandon.py"
    script.write_text(
        "import sys, time\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from nnviz.app.training.dataloader import DatasetLoader\n"
        "import nnviz.experiment as experiment\n"
        "experiment.load_data = lambda s, progress=None, download=False: time.sleep(30)  # a load that lasts\n"
        "got = []\n"
        "loader = DatasetLoader(experiment.Settings())\n"
        "loader.loaded.connect(lambda *a: got.append(a))\n"
        "print('ended' if loader.wait(300) else 'still running', flush=True)\n"
        "sys.exit(0)\n", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    p = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert p.stdout.strip() == "still running"
    assert p.returncode == 0 and "QThread" not in p.stderr, p.stderr[-1000:]


def test_the_loader_still_delivers_its_data_on_the_ui_thread(qtbot):
    import threading

    from nnviz.app.training.dataloader import DatasetLoader
    from nnviz.experiment import Settings

    seen = []
    loader = DatasetLoader(Settings(), prepare=lambda data: threading.current_thread().name)
    loader.loaded.connect(lambda data, prepared, error: seen.append((prepared, threading.current_thread().name)))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [("nnviz-loader", threading.main_thread().name)]   # built there, delivered here
