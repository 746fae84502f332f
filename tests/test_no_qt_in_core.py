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
    "exercises": (
        "import sys, nnviz.exercises, nnviz.exercises.cli, nnviz.exercises.seeds\n"
        "from nnviz.exercises import questions_for, grade, GateExercise\n"
        "from nnviz.lessons.stepping import step_preset\n"
        "qs = questions_for(step_preset('network-2-2-1')[1]); grade(qs[0], '3')\n"
        "GateExercise('and').set(0.5, 0.5, -0.7)\n"),
    "timeline": (
        "import sys, nnviz.timeline\n"
        "from nnviz.experiment import Settings, build\n"
        "from nnviz.timeline import Timeline, branch\n"
        "s = Settings(dataset='xor', epochs=2); e = build(s); tl = Timeline(settings=s)\n"
        "tl.record(e.trainer, force=True); e.trainer.run_epoch(); tl.record(e.trainer, force=True)\n"
        "branch(tl, 1, data=e.data)\n"),
    "landscape": (
        "import sys, nnviz.landscape, nnviz.landscape.cli\n"
        "from nnviz.experiment import build\n"
        "from nnviz.presets import get_preset, preset_data\n"
        "from nnviz.landscape import compute_surface, make_directions\n"
        "p = get_preset('xor'); e = build(p.settings, data=preset_data(p)); e.trainer.run_epoch()\n"
        "x = e.data.inputs(e.data.x_train, dtype=e.net.dtype)\n"
        "compute_surface(e.net, x, e.trainer.t_train, make_directions(e.net, 'random'), grid=5)\n"),
    "training child": (   # nnviz.app.training.childloop runs in a spawn child: no Qt there
        "import sys, pickle\n"
        "from nnviz.app.training import childloop\n"
        "from nnviz.experiment import Settings, build\n"
        "e = build(Settings(dataset='xor', epochs=2))\n"
        "class C:\n"
        "    sent = []\n"
        "    def send_bytes(self, b): self.sent.append(b)\n"
        "    def poll(self, t=0): return False\n"
        "c = C(); p = dict(record=True, dense=64, stride=16, epoch_limit=2, until_epoch_end=False)\n"
        "childloop._Run(c, pickle.loads(pickle.dumps(e)), p).go()\n"
        "assert pickle.loads(c.sent[-1])[1]['end'] == 'finished'\n"),
}


@pytest.mark.parametrize("what", sorted(WORK))
def test_importing_and_running_loads_no_qt(what):
    code = WORK[what] + QT + "print(','.join(bad))"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == ""


@pytest.mark.parametrize("pkg", ["core", "data", "lessons", "exercises", "timeline", "landscape"])
def test_no_qt_import_lines(pkg):
    for f in (ROOT / "nnviz" / pkg).rglob("*.py"):
        text = f.read_text(encoding="utf-8")
        assert "PySide6" not in text and "pyqtgraph" not in text and "nnviz.app" not in text, f
