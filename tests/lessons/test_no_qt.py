"""The lessons package is Qt-free (app → lessons → (data, core))."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_lessons_import_no_qt():
    code = ("import sys, nnviz.lessons, nnviz.lessons.cli, nnviz.lessons.gradcheck\n"
            "from nnviz.lessons.catalog import load_lessons\n"
            "from nnviz.lessons.demos import run_demo\n"
            "for l in load_lessons():\n"
            "    if l.name in ('apple', 'linear', 'optimizers', 'schedules', 'gates', 'network-2-2-1'):\n"
            "        run_demo(l)\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
            "print(','.join(bad))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == ""
    for f in (ROOT / "nnviz" / "lessons").rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert "PySide6" not in text and "pyqtgraph" not in text and "nnviz.app" not in text, f
