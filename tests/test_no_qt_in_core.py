"""The engine, the data package and the lessons never load Qt (they run headless, the CLI
prints what the window shows, and they stay testable without a display)."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
QT = "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
WORK = {
    "core and data": (
        "import sys, nnviz.core, nnviz.data, nnviz.experiment, nnviz.presets, nnviz.cli\n"
        "from nnviz.experiment import build\n"
        "from nnviz.presets import get_preset, preset_data\n"
        "p = get_preset('xor'); e = build(p.settings, data=preset_data(p)); e.trainer.run_epoch()\n"),
    "lessons": (
        "import sys, nnviz.lessons, nnviz.lessons.cli, nnviz.lessons.gradcheck\n"
        "from nnviz.lessons.catalog import load_lessons\n"
        "from nnviz.lessons.demos import run_demo\n"
        "for l in load_lessons():\n"
        "    if l.name in ('apple', 'linear', 'optimizers', 'schedules', 'gates', 'network-2-2-1'):\n"
        "        run_demo(l)\n"),
    "timeline": (
        "import sys, nnviz.timeline\n"
        "from nnviz.experiment import Settings, build\n"
        "from nnviz.timeline import Timeline, branch\n"
        "s = Settings(dataset='xor', epochs=2); e = build(s); tl = Timeline(settings=s)\n"
        "tl.record(e.trainer, force=True); e.trainer.run_epoch(); tl.record(e.trainer, force=True)\n"
        "branch(tl, 1, data=e.data)\n"),
}


@pytest.mark.parametrize("what", sorted(WORK))
def test_importing_and_running_loads_no_qt(what):
    code = WORK[what] + QT + "print(','.join(bad))"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == ""


@pytest.mark.parametrize("pkg", ["core", "data", "lessons", "timeline"])
def test_no_qt_import_lines(pkg):
    for f in (ROOT / "nnviz" / pkg).rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert "PySide6" not in text and "pyqtgraph" not in text and "nnviz.app" not in text, f
