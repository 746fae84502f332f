"""The digit panel's models (shipped, file, the live network through snapshots), its input
for the diagram, "teach it" end to end, and test digits that never load MNIST on the UI thread."""
import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.canvas import DigitPanel
from nnviz.app.canvas.handdrawn import draw
from nnviz.app.training.controller import TrainingController
from nnviz.app.training.snapshots import make_snapshot
from nnviz.core.errors import NNVizError
from nnviz.core.model_io import save_model
from nnviz.core.network import build_mlp
from nnviz.experiment import build

from test_finetune import bars_data, settings  # the same ten-class pictures


def line(x0, y0, x1, y1, n=20):
    return [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(n + 1)]


@pytest.fixture
def make_panel(qtbot):
    def make(model="shipped"):
        p = DigitPanel(model)
        p.resize(900, 520)
        qtbot.addWidget(p)
        p.show()
        qtbot.waitExposed(p)
        return p
    return make


def test_default_is_the_shipped_model_and_a_saved_file_can_replace_it(make_panel, tmp_path):
    from nnviz.classify import DigitModel

    panel = make_panel()
    assert panel.models.kind == "shipped" and "shipped" in panel.model_label.text()
    draw(panel.canvas, [line(140, 30, 140, 250)], width=20)   # a "1"
    assert panel.bars.top_class == 1
    shipped = DigitModel.load()
    other = build_mlp([784, 10], activation="softmax", loss="cross_entropy", seed=5)
    path = save_model(other, tmp_path / "other.npz", extra={"settings": {"scaling": "unit"}})
    panel.use_model_file(path)
    assert panel.models.kind == "file" and "other.npz" in panel.model_label.text()
    want = other.forward(panel.image.reshape(1, 784) / 255.0)[0]
    np.testing.assert_allclose(panel.probabilities, want, rtol=1e-6)
    two = save_model(build_mlp([2, 3, 1]), tmp_path / "two.npz")
    with pytest.raises(NNVizError, match="has 2 inputs; a digit model needs 784"):
        panel.use_model_file(two)
    wide = save_model(build_mlp([784, 3]), tmp_path / "wide.npz")
    with pytest.raises(NNVizError, match="10 outputs"):
        panel.use_model_file(wide)
    (tmp_path / "junk.npz").write_text("junk")
    with pytest.raises(NNVizError, match="not an nnviz model"):
        panel.use_model_file(tmp_path / "junk.npz")
    assert panel.models.kind == "file"                  # a bad file changes nothing
    assert panel.models.model.source == str(path)   # what another widget would read with
    panel.use_shipped_model()
    np.testing.assert_allclose(panel.probabilities, shipped.predict(panel.image[None])[0])


def test_the_live_network_follows_snapshots_throttled_and_only_when_shown(make_panel, qtbot):
    exp = build(settings(), data=bars_data())
    panel = make_panel(None)
    panel.use_live_network(exp.net.config(), scaling="unit")
    draw(panel.canvas, [line(60, 60, 220, 60)], width=20)
    assert panel.probabilities is None and "waiting" in panel.model_label.text()
    panel.feed_snapshot(make_snapshot(exp))
    qtbot.waitUntil(lambda: panel.probabilities is not None, timeout=2000)
    x = panel.image.reshape(1, 784) / 255.0
    np.testing.assert_allclose(panel.probabilities, exp.net.inspect(x).output[0], rtol=1e-7)
    updates = panel.updates
    for _ in range(30):                                   # a burst of snapshots …
        exp.trainer.train_batch()
        panel.feed_snapshot(make_snapshot(exp))
    qtbot.wait(panel.models.live_interval_ms + 150)
    assert panel.updates - updates <= 2                   # … is one refresh
    np.testing.assert_allclose(panel.probabilities, exp.net.inspect(x).output[0], rtol=1e-7)
    assert f"step {exp.trainer.global_step}" in panel.model_label.text()
    panel.hide()
    exp.trainer.train_batch()
    panel.feed_snapshot(make_snapshot(exp))
    qtbot.wait(panel.models.live_interval_ms + 150)
    assert f"step {exp.trainer.global_step}" not in panel.model_label.text()
    panel.show()
    qtbot.waitUntil(lambda: f"step {exp.trainer.global_step}" in panel.model_label.text(), timeout=2000)
    with pytest.raises(NNVizError, match="784 inputs"):
        panel.use_live_network(build_mlp([2, 4, 1]).config())


def test_input_changed_and_the_diagram_snapshot(make_panel, qtbot):
    from nnviz.app.diagram import NetworkDiagram

    panel = make_panel()
    got = []
    panel.inputChanged.connect(got.append)
    draw(panel.canvas, [line(100, 40, 180, 240)], width=20)
    x = got[-1]
    assert x.shape == (784,)
    np.testing.assert_allclose(x, panel.image.ravel() / 255.0, rtol=1e-6)
    snap = panel.input_snapshot()
    sizes = panel.models.network.sizes
    np.testing.assert_allclose(snap.a[-1], panel.probabilities, rtol=1e-5)
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.set_network(sizes, [l.activation.name for l in panel.models.network.layers], image_shape=(28, 28))
    d.update_snapshot(snap)
    panel.canvas.clear()
    panel.refresh()
    assert got[-1] is None and panel.input_snapshot() is None
    panel.set_model(lambda imgs: np.full((len(imgs), 10), 0.1))
    draw(panel.canvas, [line(100, 40, 180, 240)], width=20)
    assert panel.input_snapshot() is None       # a plain function has no layers to show


def test_teach_it_end_to_end(make_panel, qtbot):
    exp = build(settings(), data=bars_data())
    panel = make_panel(None)
    panel.use_live_network(exp.net.config(), scaling="unit")
    ctl = TrainingController(exp)
    ctl.snapshot.connect(panel.feed_snapshot)
    panel.fineTuneRequested.connect(ctl.post)
    try:
        qtbot.waitUntil(lambda: panel.probabilities is not None or panel.image is None, timeout=5000)
        draw(panel.canvas, [line(140, 30, 140, 250)], width=24)   # a vertical bar: no class of bars_data
        qtbot.waitUntil(lambda: panel.probabilities is not None, timeout=5000)
        label = 3 if panel.bars.top_class != 3 else 5
        assert not panel.teach.teach_button.isEnabled()
        qtbot.mouseClick(panel.teach.label_buttons[label], Qt.MouseButton.LeftButton)
        mine = panel.teach.my_digits
        assert mine.labels.tolist() == [label]
        np.testing.assert_array_equal(mine.images[0], np.clip(np.rint(panel.image), 0, 255))
        posted = []
        panel.fineTuneRequested.connect(posted.append)
        panel.teach.teach_button.click()
        assert posted[0].labels.tolist() == [label] and posted[0].images.shape == (1, 784)
        qtbot.waitUntil(lambda: panel.bars.top_class == label, timeout=15000)
    finally:
        assert ctl.shutdown(2000)


def test_my_digits_save_and_open_through_the_panel(make_panel, tmp_path):
    panel = make_panel(lambda imgs: np.full((len(imgs), 10), 0.1))
    draw(panel.canvas, [line(140, 30, 140, 250)], width=24)
    panel.teach.add_current(7)
    panel.teach.add_current(1)
    path = panel.teach.save(tmp_path / "mine.npz")
    panel.teach.clear()
    assert len(panel.teach.my_digits) == 0
    panel.teach.load(path)
    assert panel.teach.my_digits.labels.tolist() == [7, 1]
    assert "7×1" in panel.teach.count_label.text()
    with pytest.raises(NNVizError, match="no such file"):
        panel.teach.load(tmp_path / "none.npz")


def test_load_a_test_digit_never_waits_for_mnist(make_panel, qtbot, monkeypatch):
    from nnviz.data import locate
    from nnviz.data.samples import load_samples

    panel = make_panel(lambda imgs: np.full((len(imgs), 10), 0.1))
    x, y = load_samples()
    assert panel.load_test_digit(5) == y[5]            # the sample, at once
    shown = panel.canvas.ink().reshape(28, 10, 28, 10).mean(axis=(1, 3))
    assert np.corrcoef(shown.ravel(), x[5].ravel().astype(float))[0, 1] > 0.95
    if locate.find_dataset("mnist") is None:
        assert panel.test_digits.source == "sample"
        return
    qtbot.waitUntil(lambda: panel.test_digits.full, timeout=30000)   # loaded in the background
    assert len(panel.test_digits.labels) == 10000
    assert 0 <= panel.load_test_digit() <= 9
