"""The digit canvas in the main window: the "Draw a digit" dock, the model that reads it, the
diagram showing the drawing, "Teach the network", the misclassified browser from the confusion
matrix, and closing while the browser works. The live network trains on 28×28 "bar" pictures
(MNIST-shaped, ten classes) so no dataset is needed."""
import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest

from nnviz.app.window import dialogs
from nnviz.app.canvas.livemodel import NetworkCopy
from nnviz.app.window.mainwindow import MainWindow
from nnviz.classify import DigitModel
from nnviz.data.base import Dataset
from nnviz.experiment import Settings

LEFT = Qt.MouseButton.LeftButton


def pictures(n, seed):
    """Class k: a bright bar in row band k, plus noise (28×28 uint8)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 10
    x = rng.integers(0, 60, size=(n, 28, 28))
    for i, k in enumerate(y):
        x[i, 2 + 2 * k:4 + 2 * k, 4:24] = 255
    return x.reshape(n, 784).astype(np.uint8), y.astype(np.int64)


def bars_data(n_test=200):
    xtr, ytr = pictures(400, 0)
    xte, yte = pictures(n_test, 1)
    return Dataset("bars", xtr, ytr, xte, yte, n_classes=10, scaling="unit", image_shape=(28, 28))


BARS = Settings(dataset="bars", hidden=[16], activation="tanh", output_activation="softmax",
                loss="cross_entropy", lr=0.002, batch_size=20, epochs=1000, seed=3)


@pytest.fixture
def errors(monkeypatch):
    seen = []
    monkeypatch.setattr(dialogs.QMessageBox, "warning", lambda parent, title, text: seen.append((title, text)))
    return seen


@pytest.fixture
def win(qtbot, tmp_path, errors):
    w = MainWindow(qsettings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), restore=False)
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()


def on_bars(qtbot, win, data=None):
    assert win.model.install_data(BARS, data or bars_data())
    qtbot.waitUntil(lambda: win.model.last_snapshot is not None and len(win.model.last_snapshot.weights[0][0]) == 784,
                    timeout=5000)


def draw(canvas, pts, width=22):
    canvas.set_brush_width(width)
    pts = [canvas.from_canvas(x, y).toPoint() for x, y in pts]
    QTest.mousePress(canvas, LEFT, Qt.KeyboardModifier.NoModifier, pts[0])
    for p in pts[1:]:
        QTest.mouseMove(canvas, p)
    QTest.mouseRelease(canvas, LEFT, Qt.KeyboardModifier.NoModifier, pts[-1])


def line(x0, y0, x1, y1, n=30):
    return [(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t) for t in np.linspace(0, 1, n)]


def live_predict(win, image):
    """What the network of the last snapshot says of ``image``, computed here independently."""
    info, snap = win.model.info, win.model.last_snapshot
    copy = NetworkCopy.from_settings(info.settings, 784, 10)
    copy.set_weights(snap.weights)
    return DigitModel(copy.net, scaling="unit").predict(np.asarray(image)[None])[0]


def test_the_dock_opens_in_a_fresh_window_and_reads_a_drawn_one_with_the_shipped_model(qtbot, win, monkeypatch,
                                                                                         errors):
    monkeypatch.delenv("NNVIZ_DATA_DIR", raising=False)
    d = win.digits
    assert not d.dock.isHidden()                      # open at first launch (a tab beside the others)
    assert d.show_action in win.menuBar().actions()[3].menu().actions()  # View → Draw a digit
    assert d.show_action.shortcut().toString() == "Ctrl+D"
    d.show_action.trigger()
    qtbot.waitUntil(lambda: d.panel.isVisible(), timeout=2000)
    assert d.selector.currentData() == "shipped" and d.panel.models.kind == "shipped"
    # the toy problem's network cannot read the canvas nor be taught
    live = d.selector.model().item(d.selector.findData("live"))
    assert not live.isEnabled()
    assert not d.panel.teach.teach_button.isEnabled()
    assert not d.panel.teach.add_current(1)          # nothing drawn yet
    draw(d.panel.canvas, line(140, 40, 140, 240))     # a "1"
    qtbot.waitUntil(lambda: d.panel.probabilities is not None, timeout=2000)
    assert int(np.argmax(d.panel.probabilities)) == 1
    assert d.panel.probabilities.sum() == pytest.approx(1.0)
    d.panel.teach.add_current(1)
    assert not d.panel.teach.teach_button.isEnabled()
    assert "28×28" in d.panel.teach.teach_button.toolTip()
    assert not d.use("live") and d.selector.currentData() == "shipped"   # refused, with a message
    assert errors and "28×28" in errors[-1][1]


def test_a_blank_canvas_gives_no_prediction_and_no_error(qtbot, win, errors):
    d = win.digits
    d.show_canvas()
    d.panel.refresh()
    qtbot.mouseClick(d.panel.clear_button, LEFT)
    assert d.panel.probabilities is None and d.panel.image is None
    d.stepRequested.connect(lambda *a: pytest.fail("nothing to step through"))
    qtbot.mouseClick(d.step_button, LEFT)
    assert errors == []


def test_the_live_network_reads_the_canvas_and_the_diagram_shows_the_drawing(qtbot, win, monkeypatch):
    on_bars(qtbot, win)
    d = win.digits
    d.show_canvas()
    shown = []
    real = win.diagram.update_snapshot
    monkeypatch.setattr(win.diagram, "update_snapshot", lambda snap: (shown.append(snap), real(snap)))
    assert d.use("live")
    qtbot.waitUntil(lambda: d.panel.models.predict is not None, timeout=3000)
    draw(d.panel.canvas, line(40, 60, 240, 60))       # a bar near the top: class 0 or so
    qtbot.waitUntil(lambda: d.panel.probabilities is not None, timeout=2000)
    np.testing.assert_allclose(d.panel.probabilities, live_predict(win, d.panel.image), rtol=1e-5, atol=1e-7)
    # the diagram got the drawing's activations: its input, the live copy's layers
    assert d.held and shown and shown[-1].x is not None
    np.testing.assert_allclose(shown[-1].x, d.panel.image.reshape(-1) / 255.0, atol=1e-6)
    np.testing.assert_allclose(shown[-1].a[-1], d.panel.probabilities, rtol=1e-5, atol=1e-7)
    # a training frame while the drawing holds the diagram does not overwrite it
    n = len(shown)
    win.frame.draw(win.model.last_snapshot)
    assert len(shown) == n
    # training resumes: the snapshots take the diagram back
    win.model.step_batch()
    qtbot.waitUntil(lambda: not d.held and len(shown) > n, timeout=3000)
    assert shown[-1].x is None or not np.allclose(shown[-1].x, d.panel.image.reshape(-1) / 255.0)
    # clearing the canvas releases it too
    draw(d.panel.canvas, line(40, 120, 240, 120))
    qtbot.waitUntil(lambda: d.held, timeout=2000)
    qtbot.mouseClick(d.panel.clear_button, LEFT)
    assert not d.held and shown[-1] is win.model.last_snapshot


def test_teach_it_posts_a_fine_tune_that_changes_the_network(qtbot, win):
    on_bars(qtbot, win)
    d = win.digits
    d.show_canvas()
    draw(d.panel.canvas, line(40, 200, 240, 200))
    qtbot.waitUntil(lambda: d.panel.image is not None, timeout=2000)
    assert d.panel.teach.add_current(3)
    button = d.panel.teach.teach_button
    assert button.isEnabled()
    before = win.model.last_snapshot
    p_before = live_predict(win, d.panel.image)
    seen = []
    win.model.snapshot.connect(seen.append)
    qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: bool(seen) and seen[-1].final, timeout=10000)
    assert d.selector.currentData() == "live"          # the canvas now reads the taught network
    after = win.model.last_snapshot
    assert after is not before and all(a[0].shape == b[0].shape for a, b in zip(before.weights, after.weights))
    assert any(not np.allclose(a[0], b[0]) for a, b in zip(before.weights, after.weights))
    p_after = live_predict(win, d.panel.image)
    assert p_after[3] > p_before[3] + 0.01, (p_before, p_after)   # it learns that this is a 3
    qtbot.waitUntil(lambda: d.panel.probabilities is not None
                    and np.allclose(d.panel.probabilities, p_after, rtol=1e-5, atol=1e-7), timeout=3000)


def test_a_confusion_cell_opens_the_browser_with_the_matrix_count(qtbot, win):
    matrices = []
    win.model.snapshot.connect(lambda s: s.confusion is not None and matrices.append(s.confusion))
    on_bars(qtbot, win)
    win.model.step_epoch()
    qtbot.waitUntil(lambda: bool(matrices) and win.model.state == "paused" and win.model.last_snapshot.final,
                    timeout=10000)
    C = np.asarray(matrices[-1])
    assert C.sum() == 200
    off = C.copy()
    np.fill_diagonal(off, -1)
    t, p = np.unravel_index(np.argmax(off), C.shape)
    assert C[t, p] > 0, "the little-trained network makes mistakes"
    d = win.digits
    with qtbot.waitSignal(d.browser.computed, timeout=10000):
        win.confusion.cellClicked.emit(int(t), int(p))
    assert d.mistakes_dock.isVisible()
    assert len(d.browser.shown()) == C[t, p]
    assert len(d.browser.mistakes.indices) == C.sum() - np.trace(C)
    # a thumbnail goes onto the canvas
    item = d.browser.list.item(0)
    with qtbot.waitSignal(d.browser.digitChosen, timeout=2000):
        d.browser.list.itemClicked.emit(item)
    assert d.panel.image is not None


def test_closing_the_window_while_the_browser_computes_exits_cleanly(qtbot, tmp_path, errors):
    w = MainWindow(qsettings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat), restore=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    on_bars(qtbot, w, bars_data(n_test=30000))
    d = w.digits
    d.show_canvas()
    assert d.use("live")
    qtbot.waitUntil(lambda: d.panel.models.predict is not None, timeout=3000)
    d.mistakes_action.trigger()
    qtbot.waitUntil(lambda: w.digits.browser.busy, timeout=3000)
    from nnviz.app.canvas.background import pool

    w.close()
    assert not d.browser.busy
    assert pool().activeThreadCount() == 0            # the run stopped; nothing left running
    qtbot.wait(200)
    assert errors == [] and d.browser.mistakes is None


def test_a_model_file_reads_the_canvas_and_a_wrong_one_is_refused_with_a_message(qtbot, win, tmp_path, errors):
    from nnviz.core.model_io import save_model
    from nnviz.experiment import build

    d = win.digits
    d.show_canvas()
    draw(d.panel.canvas, line(140, 40, 140, 240))
    qtbot.waitUntil(lambda: d.panel.probabilities is not None, timeout=2000)
    shipped = d.panel.probabilities.copy()
    toy = build(Settings(dataset="circle", hidden=[3]))
    save_model(toy.net, tmp_path / "toy.nnviz")
    assert not d.open_model_file(str(tmp_path / "toy.nnviz"))
    assert errors and "has 2 inputs" in errors[-1][1] and "784" in errors[-1][1]
    assert d.panel.models.kind == "shipped" and d.selector.currentData() == "shipped"
    np.testing.assert_array_equal(d.panel.probabilities, shipped)
    # a digit model (here the shipped one's weights, halved in the last layer) is taken
    net = DigitModel.load().net
    net.dense_layers()[-1].W[...] *= 0.5
    save_model(net, tmp_path / "half.nnviz")
    assert d.open_model_file(str(tmp_path / "half.nnviz"))
    assert d.panel.models.kind == "file" and d.selector.currentData() == "file"
    expected = DigitModel(net).predict(d.panel.image[None])[0]
    np.testing.assert_allclose(d.panel.probabilities, expected, rtol=1e-6)
    assert not np.allclose(d.panel.probabilities, shipped)


def test_step_through_this_digit_sends_its_pixels_and_label_to_the_model(qtbot, win):
    d = win.digits
    d.show_canvas()
    draw(d.panel.canvas, line(140, 40, 140, 240))
    qtbot.waitUntil(lambda: d.panel.probabilities is not None, timeout=2000)
    with qtbot.waitSignal(d.stepRequested) as got, qtbot.waitSignal(win.model.status) as status:
        qtbot.mouseClick(d.step_button, LEFT)
    x, label = got.args
    np.testing.assert_array_equal(x, d.panel.image.reshape(784))
    assert label == 1 and x.max() > 200                       # raw pixels, like the data's rows
    assert "needs a network that reads 784 pixels" in status.args[0]  # the window is on circle data
    # a test digit from the browser keeps its own label
    from nnviz.data.samples import load_samples

    images, labels = load_samples()
    d.show_digit(images[0].reshape(28, 28), int(labels[0]))
    with qtbot.waitSignal(d.stepRequested) as got:
        qtbot.mouseClick(d.step_button, LEFT)
    assert got.args[1] == int(labels[0])


def test_a_drawing_is_stepped_through_on_the_network_being_trained(qtbot, win):
    on_bars(qtbot, win)
    d = win.digits
    d.show_canvas()
    draw(d.panel.canvas, line(140, 40, 140, 240))
    qtbot.waitUntil(lambda: d.panel.probabilities is not None, timeout=2000)
    with qtbot.waitSignal(win.model.step_mode.traced, timeout=5000) as got:
        qtbot.mouseClick(d.step_button, LEFT)
    record = got.args[0]
    assert win.model.step_mode.active and win.model.state == "paused"
    expected = win.model.info.data.inputs(d.panel.image.reshape(1, 784).astype(float))
    np.testing.assert_allclose(record.x, expected)              # the drawing, scaled like the data
    assert record.t.shape == (1, 10) and record.t[0].argmax() == 1  # its label, as a target


def test_a_remembered_open_canvas_dock_comes_back_with_its_canvas(qtbot, tmp_path, errors):
    """The canvas is built when its dock is first seen (not at start-up); a window that closed
    with the dock open reopens it with a working canvas, and one that did not leaves it unbuilt."""
    from nnviz.app.canvas import DigitPanel

    ini = str(tmp_path / "s.ini")

    def opened():
        w = MainWindow(qsettings=QSettings(ini, QSettings.IniFormat), restore=True)
        qtbot.addWidget(w)
        w.resize(1280, 720)
        w.show()
        qtbot.waitExposed(w)
        return w

    w = opened()
    assert not w.digits.dock.isVisible() or w.digits.dock.visibleRegion().isEmpty()
    assert w.digits.dock.widget().findChildren(DigitPanel) == []  # not built yet
    w.digits.show_canvas()
    qtbot.waitUntil(lambda: w.digits.dock.widget().isVisible(), timeout=3000)
    w.close()

    w2 = opened()
    qtbot.waitUntil(lambda: w2.digits.dock.widget().isVisible() and w2.digits.dock.widget() is not None, timeout=3000)
    panels = w2.digits.dock.widget().findChildren(DigitPanel)
    assert len(panels) == 1 and panels[0].isVisible()
    draw(panels[0].canvas, line(100, 60, 100, 230))
    assert int(np.argmax(panels[0].probabilities)) == 1  # a vertical stroke, read by the shipped model
    w2.close()
