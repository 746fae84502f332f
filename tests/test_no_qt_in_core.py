"""The engine and the data package never load Qt (they must run headless and stay testable)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_core_and_data_import_no_qt():
    code = ("import sys, nnviz.core, nnviz.data, nnviz.experiment, nnviz.presets, nnviz.cli\n"
            "from nnviz.experiment import build\n"
            "from nnviz.presets import get_preset, preset_data\n"
            "p = get_preset('xor'); e = build(p.settings, data=preset_data(p)); e.trainer.run_epoch()\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
            "print(','.join(bad))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == ""


def test_no_qt_import_lines_in_core_or_data():
    for pkg in ("core", "data"):
        for f in (ROOT / "nnviz" / pkg).rglob("*.py"):
            text = f.read_text(encoding="utf-8")
            assert "PySide6" not in text and "pyqtgraph" not in text, f
