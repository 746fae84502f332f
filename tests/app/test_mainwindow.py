"""The main window, driven as a user would: keyboard, clicks, files; training on its real thread."""
import time

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from nnviz.app.window import dialogs
from nnviz.app.window.mainwindow import DEFAULT_SETTINGS, MainWindow
from nnviz.experiment import Settings


@pytest.fixture
def win(open_window):
    return open_window(1300, 800)


@pytest.fixture(autouse=True)
def label_choice(monkeypatch):
    """The CSV label-column dialog answers with the item at ``choice["index"]`` (0: let nnviz guess)."""
    choice = {"index": 0, "items": None}

    from nnviz.app.window.csvdialog import CsvDialog

    def answer(dlg):
        combo = dlg.label_combo
        choice["items"] = [combo.itemText(i) for i in range(combo.count())]
        combo.setCurrentIndex(choice["index"])
        return True

    monkeypatch.setattr(CsvDialog, "exec", answer)
    return choice


@pytest.fixture
def errors(monkeypatch):
    """Dialogs the window would show, recorded instead of blocking the test."""
    seen = []
    monkeypatch.setattr(dialogs.QMessageBox, "warning", lambda parent, title, text: seen.append((title, text)))
    return seen


def _press(qtbot, win, key, modifier=Qt.NoModifier):
    qtbot.keyClick(win.diagram, key, modifier)


def test_first_view_is_a_toy_problem_ready_to_play(win):
    assert win.model.info.data.name.startswith("circle")
    assert win.model.info.sizes == [2, 4, 4, 1]
    assert win.act_play.isEnabled() and win.model.state == "paused"
    assert win.model.global_step == 0


def test_play_pause_with_the_keyboard(qtbot, win):
    before = win.diagram.grab().toImage()
    with qtbot.waitSignal(win.model.stateChanged, check_params_cb=lambda s: s == "running", timeout=3000):
        _press(qtbot, win, Qt.Key_Space)
    qtbot.waitUntil(lambda: len(win.plots.epochs()) >= 2, timeout=10000)
    qtbot.waitUntil(lambda: win.model.global_step > 50, timeout=10000)
    with qtbot.waitSignal(win.model.stateChanged, check_params_cb=lambda s: s == "paused", timeout=3000):
        _press(qtbot, win, Qt.Key_Space)
    qtbot.waitUntil(lambda: win.model.last_snapshot.final, timeout=3000)
    steps = win.model.global_step
    qtbot.wait(150)
    assert win.model.global_step == steps                       # paused means paused
    assert win.diagram.grab().toImage() != before                    # the diagram's colours moved
    x, y = win.plots.train_loss_curve.getData()
    assert len(x) >= 2 and np.all(np.isfinite(y))
    assert "Epoch" in win.status.epoch_label.text() and win.act_play.text() == "Play"


def test_step_runs_exactly_one_batch(qtbot, win):
    start = win.model.global_step
    _press(qtbot, win, Qt.Key_Right)
    qtbot.waitUntil(lambda: win.model.global_step == start + 1, timeout=3000)
    qtbot.wait(200)
    assert win.model.global_step == start + 1
    assert win.model.state == "paused"
    _press(qtbot, win, Qt.Key_Right, Qt.ShiftModifier)             # one epoch: to the epoch's end
    spe = win.model.info.steps_per_epoch
    qtbot.waitUntil(lambda: win.model.global_step == spe, timeout=5000)
    qtbot.waitUntil(lambda: len(win.plots.epochs()) == 1, timeout=3000)


def test_edit_a_bias_by_clicking_reaches_the_worker(qtbot, win):
    diagram = win.diagram
    # click the first hidden layer's neuron 0: its bias b[0] of dense layer 0
    qtbot.mouseClick(diagram.view.viewport(), Qt.LeftButton, pos=diagram.neuron_view_pos(0, 0))
    editor = diagram.editor
    assert editor.isVisible()
    editor.spin.lineEdit().selectAll()
    qtbot.keyClicks(editor.spin, "3.5")
    with qtbot.waitSignal(win.model.snapshot, timeout=3000):
        qtbot.keyClick(editor.spin, Qt.Key_Return)
    qtbot.waitUntil(lambda: win.model.last_snapshot.weights[0][1][0] == 3.5, timeout=3000)
    snap = win.model.last_snapshot
    W, b = snap.weights[0]
    # the worker's network computed the shown sample with the edited bias
    np.testing.assert_allclose(snap.z[0], snap.x @ W + b, rtol=1e-12)
    # and trains from it: one SGD step moves b[0] by -lr * dL/db[0], starting at 3.5
    win.act_step.trigger()
    qtbot.waitUntil(lambda: win.model.global_step == 1 and win.model.last_snapshot.grads is not None,
                    timeout=3000)
    snap = win.model.last_snapshot
    lr = win.model.settings().lr
    assert snap.weights[0][1][0] == pytest.approx(3.5 - lr * snap.grads[0][1][0], rel=1e-12)


def test_change_architecture_asks_then_rebuilds(qtbot, win, monkeypatch):
    win.act_step.trigger()
    qtbot.waitUntil(lambda: win.model.global_step == 1, timeout=3000)
    asked = []
    monkeypatch.setattr(win.model, "confirm_discard", lambda: asked.append(1) or False)
    win.controls.add_layer()
    assert asked and win.model.info.sizes == [2, 4, 4, 1]               # cancelled: nothing lost
    assert win.controls.hidden_sizes() == [4, 4]
    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    win.controls.add_layer()
    assert len(win.model.info.sizes) == 5
    qtbot.waitUntil(lambda: win.model.last_snapshot is not None and len(win.model.last_snapshot.weights) == 4,
                    timeout=3000)
    assert win.model.global_step == 0


def test_save_and_reopen_a_model(qtbot, win, tmp_path, monkeypatch):
    win.act_epoch.trigger()
    # the epoch's own final snapshot (the worker's step count moves before it reaches the window)
    qtbot.waitUntil(lambda: win.model.last_snapshot.global_step == win.model.info.steps_per_epoch
                    and win.model.last_snapshot.final, timeout=5000)
    saved_w = [w.copy() for w, _ in win.model.last_snapshot.weights]
    path = tmp_path / "circle.nnviz"
    with qtbot.waitSignal(win.model.saved, timeout=3000) as blocker:
        win.save_model(str(path))
    assert blocker.args == [str(path)] and path.is_file()
    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    win.act_reset.trigger()
    qtbot.waitUntil(lambda: win.model.global_step == 0, timeout=3000)
    win.open_model(str(path))
    qtbot.waitUntil(lambda: win.model.last_snapshot is not None
                    and np.array_equal(win.model.last_snapshot.weights[0][0], saved_w[0]), timeout=3000)
    for (W, _), saved in zip(win.model.last_snapshot.weights, saved_w):
        np.testing.assert_array_equal(W, saved)
    assert str(path) in win.qs.value("recent")


def test_confusion_matrix_of_the_test_set_follows_the_epochs(qtbot, win):
    win.output_dock.raise_()                          # the matrix's tab behind "Data and output"
    qtbot.waitUntil(lambda: win.confusion.visibleRegion().isEmpty(), timeout=2000)
    assert win.confusion.matrix() is None
    win.act_epoch.trigger()
    qtbot.waitUntil(lambda: win.model.state == "paused" and win.model.last_snapshot.final
                    and win.model.last_snapshot.global_step == win.model.info.steps_per_epoch, timeout=5000)
    assert win.confusion.matrix() is None             # not drawn while nobody can see it
    win.confusion_dock.raise_()                       # the user picks its tab
    qtbot.waitUntil(lambda: win.confusion.matrix() is not None, timeout=3000)
    C = win.confusion.matrix()
    n_test = len(win.model.info.data.x_test)
    assert C.shape == (2, 2) and C.sum() == n_test
    acc = win.plots.epochs()[-1]["test_acc"]           # the same epoch's test accuracy
    assert abs(np.trace(C) / n_test - acc) < 1e-9


def test_corrupt_model_file_gives_a_dialog(win, tmp_path, errors):
    bad = tmp_path / "bad.nnviz"
    bad.write_bytes(b"PK\x03\x04 definitely not a model")
    win.open_model(str(bad))
    assert errors and "could not be opened" in errors[0][0] and "bad.nnviz" in errors[0][1]
    assert win.model.info.sizes == [2, 4, 4, 1]


def test_nan_loss_pauses_with_a_message(qtbot, win):
    s = Settings(dataset="reg-plane", hidden=[8], activation="relu", output_activation="identity", loss="mse",
                 lr=1e6, batch_size=10, epochs=1000)
    win.model.request_settings(s, confirm=False)
    assert win.model.settings().lr == 1e6
    with qtbot.waitSignal(win.model.diverged, timeout=5000) as blocker:
        win.act_play.trigger()
    assert "epoch" in blocker.args[0] and "smaller learning rate" in blocker.args[0]
    qtbot.waitUntil(lambda: win.model.state == "paused", timeout=3000)
    assert win.banner.isVisible() and "Lower the learning rate" in win.banner.text()
    qtbot.waitUntil(lambda: win.model.last_snapshot.final, timeout=3000)
    assert all(np.all(np.isfinite(W)) for W, _ in win.model.last_snapshot.weights)


def test_bad_csv_gives_a_dialog_and_keeps_the_network(qtbot, win, tmp_path, errors, monkeypatch):
    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n1,2,a\n3,oops,b\n5,6,a\n")
    win.open_dataset(str(bad))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    title, text = errors[0]
    assert "could not be loaded" in title and "line 3" in text
    assert win.model.info.data.name.startswith("circle")


def test_good_csv_trains(qtbot, win, tmp_path, monkeypatch):
    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    rng = np.random.default_rng(0)
    rows = ["a,b,c,label"] + [f"{x[0]:.3f},{x[1]:.3f},{x[2]:.3f},{'yes' if x.sum() > 0 else 'no'}"
                              for x in rng.normal(size=(60, 3))]
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(rows) + "\n")
    win.open_dataset(str(path))
    qtbot.waitUntil(lambda: win.model.info.data.n_features == 3, timeout=5000)
    assert win.model.info.sizes[0] == 3
    win.act_step.trigger()
    qtbot.waitUntil(lambda: win.model.global_step == 1, timeout=3000)


def test_data_loaded_on_a_thread_are_installed_over_several_turns_of_the_event_loop(qtbot, win, tmp_path,
                                                                                   monkeypatch):
    """The views get a turn of their own, before the controls and the first picture of a network
    built on the loader thread (the window never stalls for their sum); a command sent right
    after the views changed reaches the new network."""
    from PySide6.QtCore import QTimer

    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    rng = np.random.default_rng(2)
    rows = ["a,b,c,d,label"] + [",".join(f"{v:.3f}" for v in x) + f",{int(x.sum() > 0)}"
                                for x in rng.normal(size=(80, 4))]
    path = tmp_path / "four.csv"
    path.write_text("\n".join(rows) + "\n")
    ticks, seen = [0], []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start(0)
    m = win.model
    m.experimentReplaced.connect(lambda info: seen.append(("views", ticks[0], info.sizes[0])))
    m.settingsChanged.connect(lambda s: seen.append(("controls", ticks[0], s.dataset)))
    m.snapshot.connect(lambda snap: seen.append(("picture", ticks[0], snap.weights[0][0].shape[0])))
    m.experimentReplaced.connect(lambda info: win.act_step.trigger())
    win.open_dataset(str(path))
    qtbot.waitUntil(lambda: [e[0] for e in seen if e[0] == "picture"] == ["picture"] * 2, timeout=5000)
    timer.stop()
    first = {}
    for what, tick, _ in seen:
        first.setdefault(what, tick)
    assert first["views"] < first["controls"] and first["views"] < first["picture"], seen
    assert [e[2] for e in seen if e[0] == "picture"] == [4, 4]   # only the new network's pictures
    assert m.global_step == 1 and m.last_snapshot.global_step == 1  # the step went to the new network


def test_a_model_that_does_not_fit_its_data_file_is_refused_after_loading(qtbot, win, tmp_path, monkeypatch,
                                                                           errors):
    """The network is built on the loader thread: when it cannot be (a 2-input model whose
    settings name a 4-feature CSV), the window says so and keeps the network it had."""
    from nnviz.core.model_io import save_model
    from nnviz.experiment import make_network

    rng = np.random.default_rng(3)
    rows = ["a,b,c,d,label"] + [",".join(f"{v:.3f}" for v in x) + f",{int(x.sum() > 0)}"
                                for x in rng.normal(size=(40, 4))]
    csv = tmp_path / "four.csv"
    csv.write_text("\n".join(rows) + "\n")
    s = DEFAULT_SETTINGS.replace(dataset=str(csv), data_options={})
    path = tmp_path / "two-inputs.nnviz"
    save_model(make_network(DEFAULT_SETTINGS, 2, 1), path, extra={"settings": s.to_dict()})
    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    before = win.model.info
    win.open_model(str(path))
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    title, text = errors[0]
    assert "does not fit" in title and "2 inputs" in text and "4" in text
    assert win.model.info is before and win.model.info.sizes == [2, 4, 4, 1]
    win.act_step.trigger()
    qtbot.waitUntil(lambda: win.model.global_step == 1, timeout=3000)  # the old network still trains


def test_closing_the_window_while_a_loaded_network_is_being_installed(qtbot, open_window, tmp_path, monkeypatch):
    """Closed between the turns of installing data loaded on the thread: the remaining turns
    do nothing, the worker stops, and no error reaches a dialog or the terminal."""
    w = open_window(1300, 800)
    shown = []
    monkeypatch.setattr(dialogs.QMessageBox, "warning", lambda *a: shown.append(a))
    monkeypatch.setattr(w.model, "confirm_discard", lambda: True)
    rng = np.random.default_rng(4)
    path = tmp_path / "three.csv"
    path.write_text("\n".join(["a,b,c,label"] + [",".join(f"{v:.3f}" for v in x) + f",{int(x[0] > 0)}"
                                                for x in rng.normal(size=(40, 3))]) + "\n")
    replaced = []
    w.model.experimentReplaced.connect(lambda info: (replaced.append(info), w.close()))
    w.open_dataset(str(path))
    qtbot.waitUntil(lambda: bool(replaced), timeout=5000)
    qtbot.wait(200)
    assert w.model.state == "stopped" and shown == []
    assert w.controls.settings().dataset != str(path)  # the controls' turn never came


def test_the_csv_dialog_names_the_label_column(qtbot, win, tmp_path, monkeypatch, label_choice):
    """A label-first CSV without a header: the user picks column 1 in the dialog."""
    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    rng = np.random.default_rng(1)
    x = rng.normal(size=(40, 2))
    rows = [f"{int(a + b > 0)},{a:.3f},{b:.3f}" for a, b in x]
    path = tmp_path / "first.csv"
    path.write_text("\n".join(rows) + "\n")
    label_choice["index"] = 1
    win.open_dataset(str(path))
    assert label_choice["items"][1].startswith("column 1: ") and len(label_choice["items"]) == 4
    qtbot.waitUntil(lambda: win.model.info.data.name != "circle" and win.model.info.sizes[0] == 2, timeout=5000)
    data = win.model.info.data
    assert win.model.settings().data_options["label"] == "1" and "column 1" in data.label_column
    assert sorted(data.class_names) == ["0", "1"]


def test_live_settings_reach_the_worker_without_a_rebuild(qtbot, win):
    replaced = []
    win.model.experimentReplaced.connect(replaced.append)
    win.controls.settingsChanged.emit(win.model.settings().replace(lr=0.5), False)  # a live change
    win.act_step.trigger()
    qtbot.waitUntil(lambda: win.model.last_snapshot.lr == 0.5 and win.model.global_step == 1, timeout=3000)
    assert replaced == [] and win.model.settings().lr == 0.5         # same network, not rebuilt


def test_exports(qtbot, win, tmp_path):
    win.act_epoch.trigger()
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
    assert w2.model.settings().hidden == [6] and w2.model.settings().lr == 0.3
    w2.show()
    assert w2.confusion_dock.isHidden() and not w2.plots_dock.isHidden()
    w2.close()


def test_close_mid_training_is_quick_and_clean(qtbot, tmp_path):
    w = MainWindow(DEFAULT_SETTINGS.replace(epochs=100000),
                   qsettings=QSettings(str(tmp_path / "c.ini"), QSettings.IniFormat), restore=False)
    qtbot.addWidget(w)
    w.show()
    w.act_play.trigger()
    qtbot.waitUntil(lambda: w.model.global_step > 20, timeout=5000)
    t0 = time.perf_counter()
    w.close()
    assert time.perf_counter() - t0 < 1.0
    steps = w.model.global_step
    qtbot.wait(100)
    assert w.model.state == "stopped" and w.model.global_step == steps


def test_step_preset_shows_a_banner_and_cannot_play(qtbot, win):
    s = Settings(dataset="gate-and", hidden=[], activation="step", output_activation="step", loss="mse",
                 batch_size=None, weights=[[[[0.5], [0.5]], [-0.7]]])
    win.model.request_settings(s, confirm=False)
    assert not win.act_play.isEnabled() and win.banner.isVisible()
    qtbot.waitUntil(lambda: win.model.last_snapshot is not None and len(win.model.last_snapshot.weights) == 1,
                    timeout=3000)
    np.testing.assert_array_equal(win.model.last_snapshot.weights[0][0].ravel(), [0.5, 0.5])


def test_edges_per_layer_is_adjustable(qtbot, win):
    win.act_step.trigger()
    qtbot.waitUntil(lambda: win.model.global_step == 1, timeout=3000)
    assert len(win.diagram.drawn_edges(0)[0]) == 8           # 2 × 4: every edge
    win.set_max_edges(3)
    i, j = win.diagram.drawn_edges(0)
    assert len(i) == 3
    W = win.model.last_snapshot.weights[0][0]
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

    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    s = get_preset("mnist-fast").settings.replace(hidden=[32], epochs=1)
    win.model.request_settings(s)
    assert win.model.loading                                    # not loaded on the UI thread
    qtbot.waitUntil(lambda: win.model.info.data.name == "mnist", timeout=20000)
    assert win.model.info.sizes == [784, 32, 10] and win.model.info.image_shape == (28, 28)
    win.act_step.trigger()
    qtbot.waitUntil(lambda: win.model.global_step == 1 and win.model.last_snapshot.grads is not None,
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
    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    win.open_model(str(path))
    assert win.model.loading and win.model.info.data.name.startswith("circle")  # not on the UI thread
    qtbot.waitUntil(lambda: win.model.info.data.name == "mnist", timeout=20000)
    assert win.model.info.sizes == [784, 16, 10]
    qtbot.waitUntil(lambda: win.model.last_snapshot is not None, timeout=5000)
    np.testing.assert_array_equal(win.model.last_snapshot.weights[0][0], net.dense_layers()[0].W)


def test_missing_mnist_asks_to_download_and_keeps_the_network(qtbot, win, monkeypatch):
    from nnviz.data import locate

    monkeypatch.setattr(locate, "located_unverified", lambda name: None)
    asked = []
    monkeypatch.setattr(win.model, "ask_download", lambda name, folder: asked.append(name) or False)
    win.model.request_settings(win.model.settings().replace(dataset="mnist", hidden=[16]), confirm=False)
    assert asked == ["mnist"]
    assert win.model.info.data.name.startswith("circle") and not win.model.loading


def test_cancelled_load_keeps_the_network_without_an_error(qtbot, win, tmp_path, errors, monkeypatch):
    import nnviz.experiment

    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    started = []

    def slow_load(s, progress=None, download=False):
        started.append(1)
        win.model.cancel_load()       # the user presses Cancel while the file is read
        raise nnviz.experiment.NNVizError("interrupted")

    monkeypatch.setattr(nnviz.experiment, "load_data", slow_load)
    path = tmp_path / "big.csv"
    path.write_text("a,b,label\n1,2,x\n3,4,y\n")
    win.open_dataset(str(path))
    qtbot.waitUntil(lambda: bool(started) and not win.model.loading, timeout=5000)
    qtbot.waitUntil(lambda: "cancelled" in win.statusBar().currentMessage(), timeout=3000)
    assert errors == [] and win.model.info.data.name.startswith("circle")


def test_saving_to_a_missing_folder_says_so_and_keeps_training(qtbot, win, tmp_path, errors):
    win.act_play.trigger()
    qtbot.waitUntil(lambda: win.model.state == "running", timeout=3000)
    win.save_model(str(tmp_path / "no-such-folder" / "m.nnviz"))
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert errors[0][0] == "The model could not be saved" and "does not exist" in errors[0][1]
    steps = win.model.global_step
    qtbot.waitUntil(lambda: win.model.global_step > steps, timeout=3000)   # still training
    assert win.model.state == "running"


def test_play_after_finishing_no_longer_says_finished(qtbot, win):
    win.model.request_settings(win.model.settings().replace(epochs=2), confirm=False)
    with qtbot.waitSignal(win.model.stateChanged, check_params_cb=lambda s: s == "finished", timeout=10000):
        win.act_play.trigger()
    assert "Finished the planned epochs" in win.statusBar().currentMessage()
    seen = []
    # read at the moment training resumes (the next run may finish again soon after)
    with qtbot.waitSignal(win.model.stateChanged, timeout=3000,
                          check_params_cb=lambda s: s == "running" and not seen.append(
                              (win.statusBar().currentMessage(), win.act_play.text()))):
        win.act_play.trigger()
    # (both read as it resumes: two epochs may be over again by the time the wait returns)
    assert "Finished" not in seen[0][0] and seen[0][1] == "Pause"


def test_every_network_preset_is_in_the_presets_menu(qtbot, win):
    from nnviz.presets import PRESETS

    from nnviz.i18n.names import title

    assert list(win.preset_actions) == list(PRESETS)
    assert [a.text() for a in win.presets_menu.actions()] == [title("preset", n) for n in PRESETS]
    assert not win.preset_actions["apple"].isEnabled()            # a graph, not a network
    win.model.confirm_discard = lambda: True
    win.preset_actions["xor"].trigger()
    assert win.model.settings() == PRESETS["xor"].settings and win.model.info.sizes == [2, 4, 1]
    assert win.controls.settings().hidden == [4] and win.controls.settings().lr == 0.1


def test_the_window_fits_a_small_screen(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    for size in ((1280, 720), (1366, 768), (1920, 1080)):
        avail = QRect(0, 0, *size).adjusted(0, 0, 0, -40)          # a task bar at the bottom
        monkeypatch.setattr(QScreen, "availableGeometry", lambda self, r=avail: QRect(r))
        w = MainWindow(DEFAULT_SETTINGS, qsettings=QSettings(str(tmp_path / f"{size[0]}.ini"),
                                                            QSettings.IniFormat), restore=False)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        qtbot.wait(50)
        qtbot.waitUntil(lambda: avail.contains(w.frameGeometry()), timeout=2000)
        assert w.width() <= avail.width() and w.height() <= avail.height()
        hint = w.minimumSizeHint()
        assert hint.width() <= avail.width() and hint.height() <= avail.height()
        for dock in (w.controls_dock, w.plots_dock, w.output_dock):
            if dock.isVisible() and not dock.visibleRegion().isEmpty():   # (a tab behind another: hidden)
                assert dock.width() >= dock.widget().minimumSizeHint().width() - 1
        diagram = w.centralWidget().width()
        assert diagram >= 0.4 * w.width(), (size, diagram, w.width())   # the diagram keeps the most room
        w.close()


@pytest.mark.mnist
def test_choosing_mnist_loads_and_checks_it_once_off_the_ui_thread(qtbot, win, with_mnist, monkeypatch):
    import threading

    from nnviz.data import idx, locate
    from nnviz.presets import get_preset

    calls = []
    real_hash, real_load = locate.file_sha256, idx.load_idx_folder

    def hash_(*a, **k):
        calls.append(("hash", threading.current_thread() is threading.main_thread()))
        return real_hash(*a, **k)

    def load(*a, **k):
        calls.append(("load", threading.current_thread() is threading.main_thread()))
        return real_load(*a, **k)

    monkeypatch.setattr(locate, "file_sha256", hash_)
    monkeypatch.setattr(idx, "load_idx_folder", load)
    win.controls.set_dataset("mnist")                          # as the user picks it in the combo
    qtbot.waitUntil(lambda: win.model.info.data.name == "mnist", timeout=30000)
    assert calls and not any(on_ui for _, on_ui in calls)      # all on the loader thread
    assert [k for k, _ in calls].count("load") == 1            # loaded once
    fast = get_preset("mnist-fast").settings                   # a network that fits MNIST
    assert win.model.info.sizes == [784, *fast.hidden, 10] and win.model.settings().optimizer == "adam"
    assert win.controls.settings().hidden == fast.hidden


@pytest.mark.mnist
def test_starting_with_remembered_mnist_does_not_load_it_on_the_ui_thread(qtbot, tmp_path, with_mnist,
                                                                         monkeypatch):
    import json
    import threading

    from nnviz.data import locate
    from nnviz.presets import get_preset

    ini = str(tmp_path / "m.ini")
    qs = QSettings(ini, QSettings.IniFormat)
    s = get_preset("mnist-fast").settings.replace(hidden=[16])
    qs.setValue("last_settings", json.dumps(s.to_dict()))
    qs.sync()
    on_ui = []
    real_hash = locate.file_sha256
    monkeypatch.setattr(locate, "file_sha256", lambda *a, **k: on_ui.append(
        threading.current_thread() is threading.main_thread()) or real_hash(*a, **k))
    w = MainWindow(qsettings=QSettings(ini, QSettings.IniFormat))
    qtbot.addWidget(w)
    assert w.model.loading
    qtbot.waitUntil(lambda: w.model.info is not None and w.model.info.data.name == "mnist", timeout=30000)
    assert on_ui and not any(on_ui) and w.model.info.sizes == [784, 16, 10]
    w.close()


def test_the_csv_dialogs_encoding_and_delimiter_reach_the_data(qtbot, win, tmp_path, monkeypatch):
    """A GBK file with semicolons and decimal commas (a Chinese spreadsheet's export), read with
    the encoding and the delimiter chosen in the dialog."""
    from nnviz.app.window.csvdialog import CsvDialog

    monkeypatch.setattr(win.model, "confirm_discard", lambda: True)
    rows = ["身高;体重;性别"] + [f"{150 + i},5;{40 + i},25;{'男' if i % 2 else '女'}" for i in range(20)]
    path = tmp_path / "表格.csv"
    path.write_bytes("\n".join(rows).encode("gbk"))

    def answer(dlg):
        dlg.encoding_combo.setCurrentIndex(dlg.encoding_combo.findData("gbk"))
        dlg.delimiter_combo.setCurrentIndex(dlg.delimiter_combo.findData(";"))
        return True

    monkeypatch.setattr(CsvDialog, "exec", answer)
    win.open_dataset(str(path))
    qtbot.waitUntil(lambda: win.model.info.data.name != "circle", timeout=5000)
    opts = win.model.settings().data_options
    assert opts["encoding"] == "gbk" and opts["delimiter"] == ";"
    data = win.model.info.data
    assert win.model.info.sizes[0] == 2 and sorted(data.class_names) == ["女", "男"]
    assert data.x_train.min() >= 40.25 and data.x_train.max() <= 169.5    # decimal commas read
