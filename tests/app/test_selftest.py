"""End to end: the real app started in a subprocess, as the packaged executable will be."""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_trains_through_the_worker_and_exits_0(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    p = subprocess.run([sys.executable, "-m", "nnviz", "--self-test"], capture_output=True, text=True,
                       env=env, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    res = json.loads(p.stdout.strip().splitlines()[-1])
    assert res["self_test"] == "passed" and all(res["checks"].values()) and res["batches"] >= 30
    assert "Traceback" not in p.stderr


def test_app_starts_and_quits_cleanly(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path),
               NNVIZ_QUIT_AFTER="0.5", NNVIZ_STARTUP_TIME="1")
    p = subprocess.run([sys.executable, "main.py"], capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    assert "first window after" in p.stderr and "Traceback" not in p.stderr
    assert (tmp_path / "nnviz" / "nnviz.conf").is_file()          # settings were remembered


def test_an_unknown_language_is_a_one_line_error(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    p = subprocess.run([sys.executable, "-m", "nnviz", "--lang", "xx"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == ["nnviz: error: no translation for language 'xx'; available: en, zh_CN"]


def test_english_runs_the_self_test(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    p = subprocess.run([sys.executable, "-m", "nnviz", "--lang", "en", "--self-test"], capture_output=True,
                       text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    assert json.loads(p.stdout.strip().splitlines()[-1])["self_test"] == "passed"


def test_chinese_runs_the_self_test_with_chinese_menus(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    p = subprocess.run([sys.executable, "-m", "nnviz", "--lang", "zh_CN", "--self-test"], capture_output=True,
                       text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    result = json.loads(p.stdout.strip().splitlines()[-1])
    assert result["self_test"] == "passed" and result["language"] == "zh_CN"
    assert result["checks"]["menus_translated"] and result["checks"]["chinese_font"]


def test_the_language_is_remembered(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path),
               NNVIZ_QUIT_AFTER="0.3")
    p = subprocess.run([sys.executable, "-m", "nnviz", "--lang", "en"], capture_output=True, text=True,
                       env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    conf = (tmp_path / "nnviz" / "nnviz.conf").read_text()
    assert "[ui]" in conf and "lang=en" in conf
