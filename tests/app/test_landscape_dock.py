"""The loss landscape dock (issue 22): computed off the UI thread from the window's snapshots,
drawn as a heat map with the path, live for small networks, in both languages."""
import numpy as np
import pytest

from nnviz.app.landscape import LandscapeView
from nnviz.app.landscape.job import Request, compute
from nnviz.app.landscape.source import SnapshotPath, flat_weights, network_from, training_rows
from nnviz.app.training.snapshots import make_snapshot
from nnviz.app.experimentinfo import describe
from nnviz.experiment import build
from nnviz.presets import get_preset, preset_data


def xor_experiment(epochs=20):
    p = get_preset("xor")
    exp = build(p.settings.replace(lr=2.0, batch_size=None), data=preset_data(p))
    for _ in range(epochs):
        exp.trainer.run_epoch()
    return exp


def test_scratch_network_from_a_snapshot_has_the_same_loss():
    exp = xor_experiment()
    info, snap = describe(exp), make_snapshot(exp)
    net = network_from(info, snap)
    assert net is not exp.net and np.array_equal(net.flat_params, exp.net.flat_params)
    assert np.array_equal(flat_weights(snap), exp.net.flat_params)
    x, t, used = training_rows(info, net)
    assert used == 4
    req = Request(net, x, t, "w:0:0:0,w:0:1:0", 1.0, 5)
    res = compute(req)
    assert res.surface.loss[2, 2] == pytest.approx(exp.trainer.evaluate("train")[0], rel=1e-12)


def test_batchnorm_snapshot_network_keeps_running_statistics():
    s = get_preset("xor").settings.replace(dataset="circle", data_options={}, hidden=[5], batchnorm=True,
                                           loss="bce", batch_size=10)
    exp = build(s)
    exp.trainer.run_epoch()
    net = network_from(describe(exp), make_snapshot(exp))
    x = exp.data.inputs(exp.data.x_train, dtype=net.dtype)
    assert np.allclose(net.forward(x), exp.net.forward(x))
    assert np.array_equal(flat_weights(make_snapshot(exp)), exp.net.flat_params)


def test_snapshot_path_is_thinned_and_keeps_the_newest():
    p = SnapshotPath(10)
    p.max_points = 16
    for i in range(100):
        p.add(np.full(10, float(i)))
    assert len(p.points) <= 17 and p.points[0][0] == 0 and p.points[-1][0] == 99


def test_view_computes_off_the_ui_thread_and_draws_the_path(qtbot, english):
    exp = xor_experiment(0)
    view = LandscapeView()
    qtbot.addWidget(view)
    view.set_info(describe(exp))
    assert view.controls.axes.currentData() == "axes"          # a small net: two weights
    view.controls.axes.setCurrentIndex(2)                        # principal directions
    for _ in range(6):
        exp.trainer.run_epoch()
        view.set_snapshot(make_snapshot(exp))
    with qtbot.waitSignal(view.job.finished, timeout=20000):
        view.compute()
    res = view.plot._result
    assert res.surface.directions.kind == "pca"
    (name, colour, coords) = res.paths[0]
    assert np.allclose(coords[-1], 0.0, atol=1e-9)
    assert view.plot.image.image.shape == (41, 41)
    assert "Loss over 4 of 4" in view.status.text()
    assert "loss" in view.plot.hover_text(0.0, 0.0)
    view.plot.set_log(True)
    assert view.plot.colorbar.axis.labelText.startswith("log")


def test_cancel_and_a_bad_plane_say_so(qtbot, english):
    exp = xor_experiment(1)
    view = LandscapeView()
    qtbot.addWidget(view)
    view.set_info(describe(exp))
    view.controls.axes.setCurrentIndex(2)                        # PCA without a path
    view._snap = make_snapshot(exp)
    with qtbot.waitSignal(view.job.failed, timeout=20000):
        view.compute()
    assert "path" in view.status.text()


def test_live_recompute_in_the_window(open_window, qtbot, english):
    w = open_window()
    dock = w.landscape_dock
    assert dock.toggleViewAction() in w.view_menu.actions()
    dock.toggleViewAction().trigger()
    qtbot.waitUntil(dock.isVisible, timeout=20000)
    done = []
    dock.view.job.finished.connect(done.append)
    w.model.toggle_play()
    qtbot.waitUntil(lambda: len(done) >= 2, timeout=10000)
    w.model.toggle_play()
    assert dock.view.plot._result is not None


def test_texts_switch_language_on_the_same_widgets(qtbot, english):
    from nnviz.app.landscape import LandscapeDock
    from nnviz.app.translation import apply_language

    dock = LandscapeDock()
    qtbot.addWidget(dock)
    dock.view.set_info(describe(xor_experiment(0)))
    try:
        apply_language("zh_CN")
        assert dock.windowTitle() == "损失曲面"
        assert dock.view.controls.compute.text() == "计算"
        assert dock.view.controls.axes.itemText(0) == "两个权重"
        assert dock.view.controls.first.itemText(0).startswith("权重 输入层")
    finally:
        apply_language("en")
    assert dock.windowTitle() == "Loss landscape"
    assert dock.view.controls.axes.itemText(0) == "Two weights"
    assert "input" in dock.view.controls.first.itemText(0)


def test_each_visible_run_draws_its_path_in_its_colour(qtbot, english):
    from nnviz.app.runs import RunList
    from nnviz.timeline import Timeline

    exp = xor_experiment(0)
    runs = RunList()
    tl = Timeline(settings=exp.settings)
    tl.record(exp.trainer, force=True)
    for _ in range(5):
        r = exp.trainer.train_batch()
        res = exp.trainer.finish_epoch() if r.epoch_done else None
        tl.record(exp.trainer, loss=r.loss, epoch_result=res)
    a = runs.add(exp.settings, tl)
    hidden = runs.add(exp.settings, tl, select=False)
    runs.set_visible(hidden.id, False)
    view = LandscapeView()
    qtbot.addWidget(view)
    view.set_info(describe(exp))
    view.set_runs(runs)
    view.controls.live.setChecked(False)
    view.set_snapshot(make_snapshot(exp))
    with qtbot.waitSignal(view.job.finished, timeout=20000):
        view.compute()
    paths = view.plot._result.paths
    assert [(n, c) for n, c, _xy in paths] == [(a.name, a.colour)]
    assert np.allclose(paths[0][2][-1], 0.0, atol=1e-9)
