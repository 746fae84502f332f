"""The PyInstaller bundle (dist/nnviz/, made by packaging/build.sh) runs without Python.

Skipped when no bundle has been built. The bundle was built from the checkout at some point, so
a failure here can also mean "rebuild it": `bash packaging/build.sh`.
"""
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLE = ROOT / "dist" / "nnviz" / "nnviz"

pytestmark = [
    pytest.mark.skipif(not (BUNDLE.is_file() and os.access(BUNDLE, os.X_OK)),
                       reason="no bundle: build it with `bash packaging/build.sh`"),
    pytest.mark.slow,
]


def _run(tmp_path, *args, timeout=180):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"),
               QT_QPA_PLATFORM="offscreen", LANG=env.get("LANG", "C.UTF-8"))
    return subprocess.run([str(BUNDLE), *args], capture_output=True, text=True, env=env,
                          timeout=timeout, cwd=tmp_path)


def test_the_bundle_passes_its_self_test_offscreen(tmp_path):
    p = _run(tmp_path, "--self-test")
    assert p.returncode == 0, p.stderr[-2000:]
    result = json.loads(p.stdout.strip().splitlines()[-1])
    assert result["self_test"] == "passed" and all(result["checks"].values())
    assert result["batches"] >= 30


def test_the_bundle_trains_xor_to_the_same_losses_as_the_source(tmp_path):
    p = _run(tmp_path, "train", "--preset", "xor", "--epochs", "10", "--json")
    assert p.returncode == 0, p.stderr[-2000:]
    bundled = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    assert [e["epoch"] for e in bundled] == list(range(1, 11))
    source = subprocess.run([sys.executable, "-m", "nnviz", "train", "--preset", "xor", "--epochs", "10",
                             "--json"], capture_output=True, text=True, cwd=ROOT, timeout=120, check=True)
    expected = [json.loads(line) for line in source.stdout.splitlines() if line.startswith("{")]
    for b, e in zip(bundled, expected, strict=True):
        # same engine, seed and float64 data; only the NumPy/BLAS builds may differ in the last bits
        assert math.isclose(b["train_loss"], e["train_loss"], rel_tol=1e-9), (b, e)
        assert b["train_acc"] == e["train_acc"]


def test_the_bundle_keeps_the_exit_codes_and_one_line_errors(tmp_path):
    p = _run(tmp_path, "train", "--preset", "no-such-preset")
    assert p.returncode == 2
    assert "unknown preset 'no-such-preset'" in p.stderr and "Traceback" not in p.stderr
    p = _run(tmp_path, "trace", "--preset", "network-2-2-1")
    assert p.returncode == 0 and p.stdout.strip(), p.stderr[-2000:]


def test_the_bundle_has_every_command_the_source_has(tmp_path):
    """The command packages are imported by name (nnviz.cli.COMMAND_MODULES): each must be in it."""
    p = _run(tmp_path, "exercise", "--preset", "network-2-2-1", "--answer", "a:1:0=0.7216", "--json")
    assert p.returncode == 0, p.stderr[-2000:]
    assert json.loads(p.stdout)[0]["correct"] is True
    p = _run(tmp_path, "landscape", "--preset", "xor", "--axes", "w:0:0:0,w:0:1:0", "--grid", "3", "--json")
    assert p.returncode == 0, p.stderr[-2000:]
    assert len(json.loads(p.stdout)["loss"]) == 3
    run = tmp_path / "run.npz"
    p = _run(tmp_path, "train", "--preset", "xor", "--epochs", "3", "--record", str(run))
    assert p.returncode == 0 and run.is_file(), p.stderr[-2000:]
    p = _run(tmp_path, "timeline", str(run), "--json")
    assert p.returncode == 0, p.stderr[-2000:]


def test_the_bundle_carries_the_resources_and_leaves_out_unused_qt(tmp_path):
    internal = BUNDLE.parent / "_internal"
    assert (internal / "resources" / "icons" / "nnviz.svg").is_file()
    assert (internal / "resources" / "nnviz.desktop").is_file()
    qt = internal / "PySide6" / "Qt"
    names = {p.name for p in qt.rglob("*")}
    assert "libqxcb.so" in names and "libqoffscreen.so" in names
    assert not {n for n in names if n.startswith(("libQt6Qml", "libQt6Quick", "libQt6Pdf", "libQt6Network"))}
    assert not any(n.endswith(".qm") and "zh_CN" not in n for n in names)


def test_the_bundle_stays_in_its_size_budget_with_a_cjk_font_that_covers_every_text(qapp):
    """150 MB unpacked (the spec's budget), a CJK font inside, and every character of nnviz's
    Chinese texts in that font: a machine without CJK fonts never shows a box."""
    total = sum(p.lstat().st_size for p in BUNDLE.parent.rglob("*") if p.is_file() and not p.is_symlink())
    assert total < 150 * 1024 * 1024, f"{total / 2**20:.1f} MB"
    fonts = sorted((BUNDLE.parent / "_internal" / "fonts").glob("*.tt[cf]"))
    assert fonts, "the bundle carries no CJK font"
    from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics

    fid = QFontDatabase.addApplicationFont(str(fonts[0]))
    assert fid >= 0
    metrics = QFontMetrics(QFont(QFontDatabase.applicationFontFamilies(fid)[0]))
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "resources" / "translations").glob("*.po")]
    texts += [p.read_text(encoding="utf-8") for p in (ROOT / "resources" / "lessons" / "zh_CN").glob("*.json")]
    cjk = {c for t in texts for c in t if ord(c) >= 0x2E80}
    missing = sorted(c for c in cjk if not metrics.inFontUcs4(ord(c)))
    assert len(cjk) > 500 and not missing, "".join(missing[:50])


def test_the_bundle_shows_chinese_with_its_own_font_where_the_system_has_none(tmp_path):
    conf = tmp_path / "fonts.conf"   # fontconfig that finds no font at all
    conf.write_text(f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/fc</cachedir></fontconfig>')
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), QT_QPA_PLATFORM="offscreen",
               FONTCONFIG_FILE=str(conf))
    p = subprocess.run([str(BUNDLE), "--self-test", "--lang", "zh_CN"], capture_output=True, text=True,
                       env=env, timeout=180, cwd=tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    result = json.loads(p.stdout.strip().splitlines()[-1])
    assert result["chinese_font"] == "bundled" and result["checks"]["menus_translated"]
