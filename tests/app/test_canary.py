"""Canary: the installed PySide6 + CPython must not lose references to None/True/False.

PySide6 6.12 on CPython 3.11 drops one reference to None per void Qt call and one to True per
emit to a Python slot, so every Qt app aborts within seconds (../shared/PLATFORM.md). The
workload runs in a subprocess so that such an abort fails this test instead of killing pytest.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_qt_binding_keeps_refcounts():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    p = subprocess.run([sys.executable, str(HERE / "canary_workload.py"), "1500"], capture_output=True,
                       text=True, env=env, timeout=300)
    assert p.returncode == 0, f"the Qt workload crashed (exit {p.returncode}): {p.stderr[-2000:]}"
    res = json.loads(p.stdout.strip().splitlines()[-1])
    assert res["received"] == {"data": 1500, "flag": 1500}
    # A healthy binding keeps these counts (or leaks a few); the broken one loses ~170 per iteration.
    for name, delta in res["delta"].items():
        assert delta > -300, f"references to {name} fell by {-delta} over {res['iterations']} iterations: {res}"
