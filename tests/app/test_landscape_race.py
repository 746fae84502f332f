"""The loss landscape dock on a race in the window (issues 20 + 22): every racing run's path
comes from its recorded timeline, one path per visible run, in the run's colour, all four on
one plane; the selected run's path ends at the current point."""
import numpy as np
import pyqtgraph as pg

from nnviz.landscape import project

OPTIMIZERS = ["sgd", "momentum", "rmsprop", "adam"]


def _race(w, qtbot, epochs=3):
    ui = w.runs_ui.race_ui
    made = ui.start({"optimizer": OPTIMIZERS}, play=False)
    assert made is not None and len(made) == 4
    for _ in range(epochs):
        w.model.controller.step_epoch()
        qtbot.waitUntil(lambda: all(r.timeline.last_step > 0 for r in made), timeout=10000)
    race = ui.race
    qtbot.waitUntil(lambda: race.experiments[0].trainer.epoch >= 1, timeout=10000)
    return made, race


def test_dock_draws_one_path_per_racing_run_from_its_timeline(open_window, qtbot, english):
    w = open_window()
    dock = w.landscape_dock
    dock.toggleViewAction().trigger()
    qtbot.waitUntil(dock.isVisible, timeout=20000)
    view = dock.view
    view.controls.live.setChecked(False)
    made, race = _race(w, qtbot)
    qtbot.waitUntil(lambda: w.model.last_snapshot is not None
                    and w.model.last_snapshot.global_step == race.timelines[0].last_step, timeout=10000)
    view.controls.axes.setCurrentIndex(view.controls.axes.findData("pca"))
    with qtbot.waitSignal(view.job.finished, timeout=10000) as blocker:
        view.compute()
    result = blocker.args[0]
    paths = result.paths
    assert [(n, c) for n, c, _xy in paths] == [(r.name, r.colour) for r in made]
    d = result.surface.directions
    assert d.kind == "pca"
    center = result.request.net.flat_params
    np.testing.assert_array_equal(center, race.experiments[0].net.flat_params)
    for run, (_n, _c, xy) in zip(made, paths):
        cps = np.array([c.params for c in run.timeline.checkpoints()])   # the timeline, not snapshots
        want = project(cps, center, d.d1, d.d2)[0]
        np.testing.assert_allclose(xy[:len(want)], want, atol=1e-9)
        np.testing.assert_allclose(xy[0], paths[0][2][0], atol=1e-9)       # one shared start
    np.testing.assert_allclose(paths[0][2][-1], [0.0, 0.0], atol=1e-9)       # the selected run is now
    assert "this run" not in [n for n, _c, _xy in paths]
    # the plot shows them: one line per run in its colour, a legend entry each, the current point
    lines = view.plot.paths[::2]
    assert len(lines) == 4
    for item, run in zip(lines, made):
        assert item.opts["pen"].color().name() == pg.mkColor(run.colour).name()
        assert item.opts["name"] == run.name
    assert len(view.plot.legend.items) == 4
    xs, ys = view.plot.current.getData()
    assert list(xs) == [0.0] and list(ys) == [0.0]
    # a hidden run drops out
    w.model.runs.set_visible(made[2].id, False)
    with qtbot.waitSignal(view.job.finished, timeout=10000) as blocker:
        view.compute()
    assert [n for n, _c, _xy in blocker.args[0].paths] == [made[i].name for i in (0, 1, 3)]
