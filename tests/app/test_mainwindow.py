"""The main window, driven as a user would: keyboard, clicks, files; training on its real thread."""
import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from nnviz.app import mainwindow
from nnviz.app.mainwindow import DEFAULT_SETTINGS, MainWindow
from nnviz.experiment import Settings


@pytest.fixture
def win(qtbot, tmp_path):
    w = MainWindow(DEFAULT_SETTINGS.replace(epochs=100000), qsettings=QSettings(str(tmp_path / "s.ini"),
                                                                               QSettings.IniFormat), restore=False)
    qtbot.addWidget(w)
    w.resize(1300, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: w._last_snapshot is not None, timeout=5000)
    yield w
    w.close()


@pytest.fixture
def errors(monkeypatch):
    """Dialogs the window would show, recorded instead of blocking the test."""
    seen = []
    monkeypatch.setattr(mainwindow.QMessageBox, "warning", lambda parent, title, text: seen.append((title, text)))
    return seen


def _press(qtbot, win, key, modifier=Qt.NoModifier):
    qtbot.keyClick(win.diagram, key, modifier)


def test_first_view_is_a_toy_problem_ready_to_play(win):
    assert win.exp.data.name.startswith("circle")
    assert win.exp.net.sizes == [2, 4, 4, 1]
    assert win.act_play.isEnabled() and win._state == "paused"
    assert win.controller.global_step == 0


def test_play_pause_with_the_keyboard(qtbot, win):
    before = win.diagram.grab().toImage()
    with qtbot.waitSignal(win.controller.signals.stateChanged, check_params_cb=lambda s: s == "running", timeout=3000):
        _press(qtbot, win, Qt.Key_Space)
    qtbot.waitUntil(lambda: len(win.plots.epochs()) >= 2, timeout=10000)
    qtbot.waitUntil(lambda: win.controller.global_step > 50, timeout=10000)
    with qtbot.waitSignal(win.controller.signals.stateChanged, check_params_cb=lambda s: s == "paused", timeout=3000):
        _press(qtbot, win, Qt.Key_Space)
    qtbot.waitUntil(lambda: win._last_snapshot.final, timeout=3000)
    steps = win.controller.global_step
    qtbot.wait(150)
    assert win.controller.global_step == steps                       # paused means paused
    assert win.diagram.grab().toImage() != before                    # the diagram's colours moved
    x, y = win.plots.train_loss_curve.getData()
    assert len(x) >= 2 and np.all(np.isfinite(y))
    assert "Epoch" in win.lbl_epoch.text() and win.act_play.text() == "Play"


def test_step_runs_exactly_one_batch(qtbot, win):
    start = win.controller.global_step
    _press(qtbot, win, Qt.Key_Right)
    qtbot.waitUntil(lambda: win.controller.global_step == start + 1, timeout=3000)
    qtbot.wait(200)
    assert win.controller.global_step == start + 1
    assert win._state == "paused"
    _press(qtbot, win, Qt.Key_Right, Qt.ShiftModifier)             # one epoch: to the epoch's end
    spe = win.exp.trainer.steps_per_epoch
    qtbot.waitUntil(lambda: win.controller.global_step == spe, timeout=5000)
    qtbot.waitUntil(lambda: len(win.plots.epochs()) == 1, timeout=3000)


def test_edit_a_bias_by_clicking_reaches_the_worker(qtbot, win):
    diagram = win.diagram
    # click the first hidden layer's neuron 0: its bias b[0] of dense layer 0
    qtbot.mouseClick(diagram.view.viewport(), Qt.LeftButton, pos=diagram.neuron_view_pos(0, 0))
    editor = diagram.editor
    assert editor.isVisible()
    editor.spin.lineEdit().selectAll()
    qtbot.keyClicks(editor.spin, "3.5")
    with qtbot.waitSignal(win.controller.snapshot, timeout=3000):
        qtbot.keyClick(editor.spin, Qt.Key_Return)
    qtbot.waitUntil(lambda: win._last_snapshot.weights[0][1][0] == 3.5, timeout=3000)
    snap = win._last_snapshot
    W, b = snap.weights[0]
    # the worker's network computed the shown sample with the edited bias
    np.testing.assert_allclose(snap.z[0], snap.x @ W + b, rtol=1e-12)
    # and trains from it: one SGD step moves b[0] by -lr * dL/db[0], starting at 3.5
    win.step_batch()
    qtbot.waitUntil(lambda: win.controller.global_step == 1 and win._last_snapshot.grads is not None,
                    timeout=3000)
    snap = win._last_snapshot
    lr = win.exp.settings.lr
    assert snap.weights[0][1][0] == pytest.approx(3.5 - lr * snap.grads[0][1][0], rel=1e-12)


def test_change_architecture_asks_then_rebuilds(qtbot, win, monkeypatch):
    win.step_batch()
    qtbot.waitUntil(lambda: win.controller.global_step == 1, timeout=3000)
    asked = []
    monkeypatch.setattr(MainWindow, "_confirm_discard", lambda self: asked.append(1) or False)
    win.controls.add_layer()
    assert asked and win.exp.net.sizes == [2, 4, 4, 1]               # cancelled: nothing lost
    assert win.controls.hidden_sizes() == [4, 4]
    monkeypatch.setattr(MainWindow, "_confirm_discard", lambda self: True)
    win.controls.add_layer()
    assert len(win.exp.net.sizes) == 5
    qtbot.waitUntil(lambda: len(win._last_snapshot.weights) == 4, timeout=3000)
    assert win.controller.global_step == 0


def test_save_and_reopen_a_model(qtbot, win, tmp_path, monkeypatch):
    win.step_epoch()
    # the epoch's own final snapshot (the worker's step count moves before it reaches the window)
    qtbot.waitUntil(lambda: win._last_snapshot.global_step == win.exp.trainer.steps_per_epoch
                    and win._last_snapshot.final, timeout=5000)
    saved_w = [w.copy() for w, _ in win._last_snapshot.weights]
    path = tmp_path / "circle.nnviz"
    with qtbot.waitSignal(win.controller.signals.saved, timeout=3000) as blocker:
        win.save_model(str(path))
    assert blocker.args == [str(path)] and path.is_file()
    monkeypatch.setattr(MainWindow, "_confirm_discard", lambda self: True)
    win.reset()
    qtbot.waitUntil(lambda: win.controller.global_step == 0, timeout=3000)
    win.open_model(str(path))
    for (W, _), saved in zip([(l.W, l.b) for l in win.exp.net.dense_layers()], saved_w):
        np.testing.assert_array_equal(W, saved)
    qtbot.waitUntil(lambda: np.array_equal(win._last_snapshot.weights[0][0], saved_w[0]), timeout=3000)
    assert str(path) in win.qs.value("recent")


def test_confusion_matrix_of_the_test_set_follows_the_epochs(qtbot, win):
    win.output_dock.raise_()                          # the matrix's tab behind "Data and output"
    qtbot.waitUntil(lambda: win.confusion.visibleRegion().isEmpty(), timeout=2000)
    assert win.confusion.matrix() is None
    win.step_epoch()
    qtbot.waitUntil(lambda: win._state == "paused" and win._last_snapshot.final
                    and win._last_snapshot.global_step == win.exp.trainer.steps_per_epoch, timeout=5000)
    assert win.confusion.matrix() is None             # not drawn while nobody can see it
    win.confusion_dock.raise_()                       # the user picks its tab
    qtbot.waitUntil(lambda: win.confusion.matrix() is not None, timeout=3000)
    C = win.confusion.matrix()
    n_test = len(win.exp.data.x_test)
    assert C.shape == (2, 2) and C.sum() == n_test
    acc = win.plots.epochs()[-1]["test_acc"]           # the same epoch's test accuracy
    assert abs(np.trace(C) / n_test - acc) < 1e-9


def test_corrupt_model_file_gives_a_dialog(win, tmp_path, errors):
    bad = tmp_path / "bad.nnviz"
    bad.write_bytes(b"PK\x03\x04 definitely not a model")
    win.open_model(str(bad))
    assert errors and "could not be opened" in errors[0][0] and "bad.nnviz" in errors[0][1]
    assert win.exp.net.sizes == [2, 4, 4, 1]


def test_nan_loss_pauses_with_a_message(qtbot, win):
    s = Settings(dataset="reg-plane", hidden=[8], activation="relu", output_activation="identity", loss="mse",
                 lr=1e6, batch_size=10, epochs=1000)
    win.request_settings(s, confirm=False)
    assert win.exp.settings.lr == 1e6
    with qtbot.waitSignal(win.controller.signals.diverged, timeout=5000) as blocker:
        win.toggle_play()
    assert "epoch" in blocker.args[0] and "smaller learning rate" in blocker.args[0]
    qtbot.waitUntil(lambda: win._state == "paused", timeout=3000)
    assert win.banner.isVisible() and "Lower the learning rate" in win.banner.text()
    qtbot.waitUntil(lambda: win._last_snapshot.final, timeout=3000)
    assert all(np.all(np.isfinite(W)) for W, _ in win._last_snapshot.weights)


def test_bad_csv_gives_a_dialog_and_keeps_the_network(qtbot, win, tmp_path, errors, monkeypatch):
    monkeypatch.setattr(MainWindow, "_confirm_discard", lambda self: True)
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,a\n3,oops,b\n5,6,a\n")
    win.open_dataset(str(bad))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    title, text = errors[0]
    assert "could not be loaded" in title and "line 3" in text
    assert win.exp.data.name.startswith("circle")


def test_good_csv_trains(qtbot, win, tmp_path, monkeypatch):
    monkeypatch.setattr(MainWindow, "_confirm_discard", lambda self: True)
    rng = np.random.default_rng(0)
    rows = ["a,b,c,label"] + [f"{x[0]:.3f},{x[1]:.3f},{x[2]:.3f},{'yes' if x.sum() > 0 else 'no'}"
                              for x in rng.normal(size=(60, 3))]
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(rows) + "\n")
    win.open_dataset(str(path))
    qtbot.waitUntil(lambda: win.exp.data.n_features == 3, timeout=5000)
    assert win.exp.net.sizes[0] == 3
    win.step_batch()
    qtbot.waitUntil(lambda: win.controller.global_step == 1, timeout=3000)


def test_live_settings_reach_the_worker_without_a_rebuild(qtbot, win):
    exp = win.exp
    win.controls.set_settings(exp.settings.replace(lr=0.5))
    win._on_controls_changed(exp.settings.replace(lr=0.5), False)
    win.step_batch()
    qtbot.waitUntil(lambda: win._last_snapshot.lr == 0.5 and win.controller.global_step == 1, timeout=3000)
    assert win.exp is exp                                            # same network, not rebuilt


def test_exports(qtbot, win, tmp_path):
    win.step_epoch()
    qtbot.waitUntil(lambda: len(win.plots.epochs()) == 1, timeout=5000)
    for what, kind in [("diagram", "png"), ("diagram", "svg"), ("plots", "png"), ("plots", "csv")]:
        path = tmp_path / f"{what}.{kind}"
        assert win.export(what, kind, str(path))
        assert path.stat().st_size > 100
    assert (tmp_path / "plots.csv").read_text().splitlines()[0].startswith("epoch,train_loss")


def test_settings_and_layout_are_remembered(qtbot, tmp_path):
    ini = str(tmp_path / "r.ini")
    s = DEFAULT_SETTINGS.replace(hidden=[6], lr=0.3)
    w1 = MainWindow(s, qsettings=QSettings(ini, QSettings.IniFormat), restore=False)
    qtbot.addWidget(w1)
    w1.show()
    w1.confusion_dock.hide()  # the user closed a dock
    w1.close()
    assert not QSettings(ini, QSettings.IniFormat).value("window/geometry").isEmpty()
    w2 = MainWindow(qsettings=QSettings(ini, QSettings.IniFormat))
    qtbot.addWidget(w2)
    assert w2.exp.settings.hidden == [6] and w2.exp.settings.lr == 0.3
    w2.show()
    assert w2.confusion_dock.isHidden() and not w2.plots_dock.isHidden()
    w2.close()


def test_close_mid_training_is_quick_and_clean(qtbot, tmp_path):
    w = MainWindow(DEFAULT_SETTINGS.replace(epochs=100000),
                   qsettings=QSettings(str(tmp_path / "c.ini"), QSettings.IniFormat), restore=False)
    qtbot.addWidget(w)
    w.show()
    w.toggle_play()
    qtbot.waitUntil(lambda: w.controller.global_step > 20, timeout=5000)
    worker = w.controller.worker
    t0 = time.perf_counter()
    w.close()
    assert time.perf_counter() - t0 < 1.0
    assert worker.state == "stopped"


def test_step_preset_shows_a_banner_and_cannot_play(qtbot, win):
    s = Settings(dataset="gate-and", hidden=[], activation="step", output_activation="step", loss="mse",
                 batch_size=None, weights=[[[[0.5], [0.5]], [-0.7]]])
    win.request_settings(s, confirm=False)
    assert not win.act_play.isEnabled() and win.banner.isVisible()
    qtbot.waitUntil(lambda: len(win._last_snapshot.weights) == 1, timeout=3000)
    np.testing.assert_array_equal(win._last_snapshot.weights[0][0].ravel(), [0.5, 0.5])


def test_edges_per_layer_is_adjustable(qtbot, win):
    win.step_batch()
    qtbot.waitUntil(lambda: win.controller.global_step == 1, timeout=3000)
    assert len(win.diagram.drawn_edges(0)[0]) == 8           # 2 × 4: every edge
    win.set_max_edges(3)
    i, j = win.diagram.drawn_edges(0)
    assert len(i) == 3
    W = win._last_snapshot.weights[0][0]
    assert set(np.abs(W[i, j])) == set(np.sort(np.abs(W).ravel())[-3:])   # the strongest three
    assert int(win.qs.value("view/max_edges")) == 3


def test_unexpected_errors_become_a_dialog_and_a_log(qtbot, tmp_path, monkeypatch, errors):
    import sys

    from nnviz.app.main import install_excepthook
    from nnviz.data import locate

    monkeypatch.setattr(locate, "cache_dir", lambda: tmp_path)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)   # restored after the test
    install_excepthook()
    try:
        raise ValueError("boom")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert errors and errors[0][0] == "Unexpected error" and "ValueError: boom" in errors[0][1]
    log = (tmp_path / "errors.log").read_text()
    assert "Traceback" in log and "boom" in log


@pytest.mark.mnist
def test_mnist_loads_on_a_thread_and_trains(qtbot, win, with_mnist, monkeypatch):
    from nnviz.presets import get_preset

    monkeypatch.setattr(MainWindow, "_confirm_discard", lambda self: True)
    s = get_preset("mnist-fast").settings.replace(hidden=[32], epochs=1)
    win.request_settings(s)
    assert win._loader is not None                              # not loaded on the UI thread
    qtbot.waitUntil(lambda: win.exp.data.name == "mnist", timeout=20000)
    assert win.exp.net.sizes == [784, 32, 10] and win.exp.data.image_shape == (28, 28)
    win.step_batch()
    qtbot.waitUntil(lambda: win.controller.global_step == 1 and win._last_snapshot.grads is not None,
                    timeout=5000)
    assert win.output.mode() == "sample" and len(win.output.bar_heights()) == 10


@pytest.mark.mnist
def test_opening_an_mnist_model_loads_its_data_on_a_thread(qtbot, win, with_mnist, tmp_path, monkeypatch):
    from nnviz.core.model_io import save_model
    from nnviz.experiment import make_network
    from nnviz.presets import get_preset

    s = get_preset("mnist-fast").settings.replace(hidden=[16], epochs=1, seed=7)
    net = make_network(s, 784, 10)
    path = tmp_path / "digits.nnviz"
    save_model(net, path, extra={"settings": s.to_dict()})
    monkeypatch.setattr(MainWindow, "_confirm_discard", lambda self: True)
    win.open_model(str(path))
    assert win._loader is not None and win.exp.data.name.startswith("circle")  # not on the UI thread
    qtbot.waitUntil(lambda: win.exp.data.name == "mnist", timeout=20000)
    assert win.exp.net.sizes == [784, 16, 10]
    np.testing.assert_array_equal(win.exp.net.dense_layers()[0].W, net.dense_layers()[0].W)


def test_missing_mnist_asks_to_download_and_keeps_the_network(qtbot, win, monkeypatch):
    import nnviz.data

    monkeypatch.setattr(nnviz.data, "dataset_info", lambda name: {"available": False, "download_to": "/x"})
    asked = []
    monkeypatch.setattr(MainWindow, "_ask_download", lambda self, name, info: asked.append(name) or False)
    win.request_settings(win.exp.settings.replace(dataset="mnist", hidden=[16]), confirm=False)
    assert asked == ["mnist"]
    assert win.exp.data.name.startswith("circle") and win._loader is None


def test_cancelled_load_keeps_the_network_without_an_error(qtbot, win, tmp_path, errors, monkeypatch):
    import nnviz.experiment

    monkeypatch.setattr(MainWindow, "_confirm_discard", lambda self: True)
    started = []

    def slow_load(s, progress=None, download=False):
        started.append(1)
        win._loader.cancel()          # the user presses Cancel while the file is read
        raise nnviz.experiment.NNVizError("interrupted")

    monkeypatch.setattr(nnviz.experiment, "load_data", slow_load)
    path = tmp_path / "big.csv"
    path.write_text("a,b,label\n1,2,x\n3,4,y\n")
    win.open_dataset(str(path))
    qtbot.waitUntil(lambda: bool(started) and not win._loader.is_running(), timeout=5000)
    qtbot.waitUntil(lambda: "cancelled" in win.statusBar().currentMessage(), timeout=3000)
    assert errors == [] and win.exp.data.name.startswith("circle")


def test_saving_to_a_missing_folder_says_so_and_keeps_training(qtbot, win, tmp_path, errors):
    win.toggle_play()
    qtbot.waitUntil(lambda: win._state == "running", timeout=3000)
    win.save_model(str(tmp_path / "no-such-folder" / "m.nnviz"))
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert errors[0][0] == "The model could not be saved" and "does not exist" in errors[0][1]
    steps = win.controller.global_step
    qtbot.waitUntil(lambda: win.controller.global_step > steps, timeout=3000)   # still training
    assert win._state == "running"
