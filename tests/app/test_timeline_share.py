"""Races from the window, the animation export (GIF, APNG, Cancel) and the runs' CSV (issue 20)."""
import csv

import numpy as np
import pytest
from PySide6.QtGui import QImage, QMovie

from nnviz.app.runs import RunList
from nnviz.app.timeline.export import export_animation, pick_frames, write_runs_csv
from nnviz.app.translation import apply_language
from nnviz.experiment import Settings, build, load_data
from nnviz.timeline import Timeline
from nnviz.timeline.apng import read_apng


class Progress:
    """A QProgressDialog stand-in that presses Cancel after ``cancel_at`` frames."""

    def __init__(self, cancel_at=None):
        self.value, self.cancel_at, self.maximum = 0, cancel_at, 0

    def setValue(self, v):  # noqa: N802
        self.value = v

    def setMaximum(self, m):  # noqa: N802
        self.maximum = m

    def wasCanceled(self):  # noqa: N802
        return self.cancel_at is not None and self.value >= self.cancel_at

    def close(self):
        pass


@pytest.fixture(scope="module")
def trained():
    s = Settings(dataset="circle", hidden=[3], epochs=4, batch_size=20, lr=0.3, data_options={"n_samples": 100})
    data = load_data(s)
    exp = build(s, data=data)
    tl = Timeline(settings=s)
    tl.record(exp.trainer, force=True)
    tr = exp.trainer
    while tr.epoch < s.epochs:
        r = tr.train_batch()
        tl.record(tr, r.loss, epoch_result=tr.finish_epoch() if r.epoch_done else None)
    return s, data, tl


def _run(trained, name="A"):
    s, data, tl = trained
    runs = RunList()
    return runs, runs.add(s, tl, name=name)


@pytest.mark.parametrize("fmt", ["gif", "apng"])
def test_animation_reads_back_in_qt(qapp, trained, tmp_path, fmt):
    runs, run = _run(trained)
    path = tmp_path / ("a.gif" if fmt == "gif" else "a.png")
    prog = Progress()
    n = export_animation(run, trained[1], path, fmt, progress=prog, max_frames=6, size=(480, 270))
    assert n == 6 and prog.value == prog.maximum
    data = path.read_bytes()
    first = QImage.fromData(data)
    assert first.width() == 480 and first.height() == 270
    if fmt == "gif":
        movie = QMovie(str(path))
        assert movie.frameCount() == 6
    else:
        count, pngs, delays = read_apng(data)
        assert count == 6 == len(pngs) and delays[-1] == 2.0
        frames = [QImage.fromData(p, "PNG") for p in pngs]
        assert all(not f.isNull() for f in frames)
        assert frames[0] == first.convertToFormat(frames[0].format())
        assert frames[0] != frames[-1]  # the network moved
    # the title's colour bar is the run's colour
    assert first.pixelColor(240, 32).name() == run.colour


@pytest.mark.parametrize("fmt", ["gif", "apng"])
def test_cancel_leaves_no_file(qapp, trained, tmp_path, fmt):
    from nnviz.app.timeline.export import Cancelled

    runs, run = _run(trained)
    path = tmp_path / "b.gif"
    path.write_bytes(b"old")  # an existing file stays as it was
    with pytest.raises(Cancelled):
        export_animation(run, trained[1], path, fmt, progress=Progress(cancel_at=2), max_frames=6,
                         size=(320, 180))
    assert path.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.gif"]


def test_pick_frames_spreads_and_keeps_the_ends():
    assert pick_frames(3, 10) == [0, 1, 2]
    f = pick_frames(1000, 80)
    assert f[0] == 0 and f[-1] == 999 and len(f) == 80


def test_runs_csv_one_row_per_run_per_epoch(qapp, trained, tmp_path):
    s, data, tl = trained
    runs = RunList()
    a = runs.add(s, tl)
    runs.add(s.replace(lr=0.01), tl, parent=a.id, name="A → lr 0.01")
    path = tmp_path / "runs.csv"
    write_runs_csv(runs.runs(), path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 2 * s.epochs
    assert [r["run"] for r in rows] == ["A"] * 4 + ["A → lr 0.01"] * 4
    assert rows[4]["parent"] == "A" and rows[0]["epoch"] == "1"
    assert float(rows[3]["train_loss"]) == tl.epochs[3]["train_loss"]


def test_window_race_of_four_optimizers(open_window, qtbot, english, tmp_path):
    w = open_window()
    ui = w.runs_ui
    assert not ui.dock.isVisible()  # one run: nothing to compare yet, the views keep their room
    made = ui.start_race({"optimizer": ["sgd", "momentum", "rmsprop", "adam"]})
    assert [r.name for r in made] == ["SGD", "Momentum", "RMSprop", "Adam"]
    assert all(r.race == 1 for r in made) and made[3].changes == {"optimizer": "adam"}
    assert w.model.runs.selected is made[0]
    assert ui.dock.isVisible()  # runs to compare: the run list opens
    qtbot.waitUntil(lambda: all(len(r.timeline.epochs) >= 3 for r in made), timeout=20000)
    assert ui.view.tree.topLevelItemCount() >= 4 and ui.is_live(made[2])
    # the other variants are overlaid, the selected one is the plots' own
    def overlaid(run):
        c = ui.overlay.curves(run.id)
        x = None if c is None else c.train_loss.getData()[0]
        return 0 if x is None else len(x)

    qtbot.waitUntil(lambda: overlaid(made[3]) >= 3, timeout=20000)
    assert ui.overlay.curves(made[0].id) is None or not ui.overlay.curves(made[0].id).train_loss.isVisible()
    # choosing Adam in the run list shows Adam: its whole history replaces the curves
    switches = []   # every snapshot that arrives: the switch may be followed by newer ones at once
    w.model.snapshot.connect(lambda snap: switches.append(bool(getattr(snap, "run_switch", False))))
    ui.view.tree.setCurrentItem(ui.view.item(made[3].id))
    qtbot.waitUntil(lambda: any(switches), timeout=20000)
    w.model.pause()
    qtbot.waitUntil(lambda: w.model.state == "paused", timeout=20000)
    adam = made[3].timeline
    qtbot.waitUntil(lambda: len(w.plots.epochs()) == len(adam.epochs), timeout=20000)
    assert [e["epoch"] for e in w.plots.epochs()] == [e["epoch"] for e in adam.epochs]
    # sharing: the CSV has every run; the animation of the selected run reads back
    assert ui.export_csv(str(tmp_path / "r.csv"))
    names = {row["run"] for row in csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8"))}
    assert {"SGD", "Momentum", "RMSprop", "Adam"} <= names
    assert ui.export_animation(str(tmp_path / "adam.gif"), "gif", progress=Progress())
    assert QMovie(str(tmp_path / "adam.gif")).frameCount() >= 2
    # the menus speak the window's language
    apply_language("zh_CN")
    assert ui.act_race.text() != "Race…" and ui.dock.windowTitle() != "Runs"
    apply_language("en")
    assert ui.act_race.text() == "Race…" and ui.dock.windowTitle() == "Runs"
