"""The output dock: the input plane (regions + points) and the shown sample (image + bars)."""
import numpy as np
import pytest
from PySide6.QtCore import Qt

from nnviz.app.output import OutputView, PlaneView, SampleView
from nnviz.app.output.plane import class_regions, grid_rect, plane_columns, subsample
from nnviz.app.output.sample import output_bars
from nnviz.app.training.snapshots import make_snapshot
from nnviz.app.training.state import Snapshot
from nnviz.app.theme import CORRECT_COLOR, class_color
from nnviz.data.base import Dataset
from nnviz.experiment import Settings, build


def plane_data(n=200, n_test=80):
    rng = np.random.default_rng(0)
    x = rng.uniform(-5, 5, (n + n_test, 2))
    y = (np.hypot(x[:, 0], x[:, 1]) < 2.5).astype(np.int64)
    return Dataset("circle", x[:n], y[:n], x[n:], y[n:], n_classes=2, feature_names=["x1", "x2"])


def image_data(n=20):
    rng = np.random.default_rng(2)
    x = rng.integers(0, 256, (n, 784)).astype(np.uint8)
    y = np.arange(n) % 10
    return Dataset("mnist", x, y, x[:5], y[:5], n_classes=10, scaling="unit", image_shape=(28, 28))


# -- OutputView: which page, and what it draws -----------------------------------------------------
def test_plane_data_draws_points_then_regions(qtbot):
    ds = plane_data()
    v = OutputView()
    qtbot.addWidget(v)
    v.set_data(ds)
    assert v.mode() == "plane"
    p = v.plane_view
    x, y = p.train_scatter.getData()
    assert len(x) == 200 and np.allclose(x, ds.x_train[:, 0]) and np.allclose(y, ds.x_train[:, 1])
    brushes = [pt.brush() for pt in p.train_scatter.points()]
    assert brushes[int(np.argmax(ds.y_train == 1))].color().name() == "#0877bd"
    assert brushes[int(np.argmax(ds.y_train == 0))].color().name() == "#f59322"
    # the key under the plot uses the same colours, one entry per class
    key = p.class_key.text()
    assert key.count("●") == 2 and "#f59322" in key and "#0877bd" in key
    # test points: hidden until the box is ticked
    assert len(p.test_scatter.getData()[0]) == 80 and not p.test_scatter.isVisible()
    qtbot.mouseClick(p.show_test_check, Qt.MouseButton.LeftButton)
    assert p.test_scatter.isVisible()

    G = 30
    xs = ys = np.linspace(-6, 6, G)
    gx, gy = np.meshgrid(xs, ys)
    out = 1 / (1 + np.exp(np.hypot(gx, gy) - 2.5))
    v.update_snapshot(Snapshot(x=ds.x_train[5], sample_index=5,
                               grid={"xs": xs, "ys": ys, "units": [out[None]], "output": out}))
    assert p.region.image.shape == (G, G)
    r = p.region.mapRectToParent(p.region.boundingRect())
    assert r.left() == pytest.approx(-6 - 6 / 29) and r.right() == pytest.approx(6 + 6 / 29)
    mx, my = p.current_marker.getData()
    assert (mx[0], my[0]) == pytest.approx(tuple(ds.x_train[5]))


def test_many_points_are_capped(qtbot):
    ds = plane_data(n=5000, n_test=3000)
    v = OutputView()
    qtbot.addWidget(v)
    v.set_data(ds)
    assert len(v.plane_view.train_scatter.getData()[0]) == 2000
    assert len(v.plane_view.test_scatter.getData()[0]) == 1000


def test_multiclass_regions_use_class_colours(qtbot):
    rng = np.random.default_rng(1)
    x = rng.uniform(-1, 1, (90, 2))
    y = np.arange(90) % 3
    ds = Dataset("blobs", x, y, x[:0], y[:0], n_classes=3, feature_names=["x1", "x2"])
    v = OutputView()
    qtbot.addWidget(v)
    v.set_data(ds)
    xs = ys = np.linspace(-1, 1, 8)
    out = np.zeros((8, 8))
    out[:, 4:] = 2.0  # right half: class 2
    v.update_snapshot(Snapshot(grid={"xs": xs, "ys": ys, "units": [], "output": out}))
    img = v.plane_view.region.image
    assert img.shape == (8, 8, 3)
    left, right = img[0, 0].astype(int), img[0, 7].astype(int)
    assert left[0] > left[2]          # orange-ish (class 0)
    assert right[1] > right[0]        # green-ish (class 2)


def test_image_data_shows_the_sample_and_ten_bars(qtbot):
    ds = image_data()
    x = ds.x_train
    v = OutputView()
    qtbot.addWidget(v)
    v.set_data(ds)
    assert v.mode() == "sample"
    probs = np.full(10, 0.02)
    probs[7] = 0.82
    sample = ds.inputs(x[3:4])[0]
    v.update_snapshot(Snapshot(x=sample, sample_index=3, a=[np.zeros(16), probs]))
    s = v.sample_view
    assert s.image.image.shape == (28, 28)
    assert s.image.image[0, 5] == pytest.approx(x[3, 5] / 255)
    assert v.bar_heights() == pytest.approx(probs)
    assert v.highlighted_bar() == 7
    assert s.outlined_bar() == 3  # the true label
    assert s.bars.opts["pens"][3].color().name() == CORRECT_COLOR.name()
    assert "true 3" in s.caption.text() and "predicted 7" in s.caption.text()
    v.clear()
    assert v.mode() == "empty" and len(v.bar_heights()) == 0 and s.image.image is None


def test_the_window_paints_the_visible_pyqtgraph_views(qtbot):
    v = OutputView()
    qtbot.addWidget(v)
    v.show()
    v.set_data(plane_data(n=20, n_test=0))
    assert v.plane_widget.isVisible() and not v.sample_widget.isVisible()
    v.set_data(image_data())
    assert v.sample_widget.isVisible() and not v.plane_widget.isVisible()


def test_a_snapshot_that_does_not_fit_the_data_is_ignored(qtbot):
    v = OutputView()
    qtbot.addWidget(v)
    v.update_snapshot(Snapshot(x=np.zeros(2)))  # no data yet
    v.set_data(plane_data(n=20, n_test=0))
    v.update_snapshot(Snapshot(x=np.zeros(2), grid={"ys": np.zeros(3)}))  # (no "xs")
    assert v.plane_view.region.image is None
    v.set_data(None)
    assert v.mode() == "empty"


def test_snapshots_of_a_real_network(qtbot):
    """make_snapshot's grid and outputs arrive unchanged: regions of the grid's size, one bar
    per class with the network's probabilities."""
    v = OutputView()
    qtbot.addWidget(v)
    exp = build(Settings(dataset="xor", hidden=[4], epochs=1, seed=1))
    v.set_data(exp.data)
    snap = make_snapshot(exp, sample_index=2, grid_size=12)
    v.update_snapshot(snap)
    assert v.plane_view.region.image.shape == (12, 12)
    np.testing.assert_array_equal(v.plane_view.region.image, snap.grid["output"].astype(np.float32))

    ds = image_data(n=30)
    exp = build(Settings(dataset="mnist", hidden=[8], output_activation="softmax", loss="cross_entropy",
                         epochs=1, seed=2), data=ds)
    v.set_data(ds)
    snap = make_snapshot(exp, sample_index=4)
    v.update_snapshot(snap)
    np.testing.assert_allclose(v.bar_heights(), snap.a[-1])
    assert v.highlighted_bar() == int(np.argmax(snap.a[-1]))
    assert v.sample_view.outlined_bar() == 4  # labels are i % 10


# -- the plane ----------------------------------------------------------------------------------
def test_plane_columns():
    def ds(names, n_features=None, image_shape=None):
        n = n_features or len(names)
        x = np.zeros((2, n))
        return Dataset("d", x, np.zeros(2), x, np.zeros(2), n_classes=2, feature_names=names,
                       image_shape=image_shape)
    assert plane_columns(ds(["x1", "x2"])) == (0, 1)
    assert plane_columns(ds(["x1^2", "x2", "x1"])) == (2, 1)      # found by name
    assert plane_columns(ds(["x1^2", "x2^2"])) is None             # (x1, x2) is not recoverable
    assert plane_columns(ds(["height", "weight"])) == (0, 1)       # any two inputs
    assert plane_columns(ds(["a", "b", "c"])) is None
    assert plane_columns(ds(None, n_features=4, image_shape=(2, 2))) is None


def test_subsample_is_sorted_capped_and_repeatable():
    assert subsample(5, 10).tolist() == [0, 1, 2, 3, 4]
    a = subsample(1000, 50)
    assert len(a) == 50 == len(set(a.tolist())) and np.all(np.diff(a) > 0)
    assert np.array_equal(a, subsample(1000, 50))


def test_grid_rect_centres_a_pixel_on_each_grid_point():
    r = grid_rect(np.array([0.0, 1.0, 2.0]), np.array([10.0, 20.0]))
    assert (r.left(), r.top(), r.width(), r.height()) == (-0.5, 5.0, 3.0, 20.0)


def test_class_regions_shade_by_confidence():
    # 1×2 grid, 3 classes: a sure class 0 (p = 1), then an unsure class 2 (p = 0.5)
    scores = np.array([[[1.0, 0.25]], [[0.0, 0.25]], [[0.0, 0.5]]])  # (k, G, G) as units[-1]
    img = class_regions({"output": np.zeros((1, 2)), "units": [scores]}, 3)
    c0, c2 = class_color(0), class_color(2)
    # strength 0.25 + 0.45 * conf, conf = (p - 1/k) / (1 - 1/k): 0.7 for p = 1, 0.3625 for p = 0.5
    sure = [int(255 + (v - 255) * 0.7) for v in (c0.red(), c0.green(), c0.blue())]
    unsure = [int(255 + (v - 255) * 0.3625) for v in (c2.red(), c2.green(), c2.blue())]
    assert img.dtype == np.uint8 and img.shape == (1, 2, 3)
    assert img[0, 0].tolist() == sure and img[0, 1].tolist() == unsure
    # without scores, output holds class indices (clipped to the classes), all at 0.7
    img = class_regions({"output": np.array([[1.0, 7.0]])}, 3)
    assert img[0, 1].tolist() == [int(255 + (v - 255) * 0.7) for v in (c2.red(), c2.green(), c2.blue())]


def test_a_tanh_output_spans_minus_one_to_one(qtbot):
    p = PlaneView()
    qtbot.addWidget(p)
    p.set_data(plane_data(n=20, n_test=0), (0, 1))
    xs = ys = np.linspace(-1, 1, 3)
    out = np.linspace(-0.9, 0.9, 9).reshape(3, 3)
    p.draw(Snapshot(grid={"xs": xs, "ys": ys, "units": [out[None]], "output": out}))
    assert tuple(p.region.levels) == (-1.0, 1.0)
    p.draw(Snapshot(grid={"xs": xs, "ys": ys, "units": [out[None]], "output": (out + 1) / 2}))
    assert tuple(p.region.levels) == (0.0, 1.0)
    assert p.caption.text() == "output: orange 0 · blue 1"


# -- the sample ---------------------------------------------------------------------------------
def test_output_bars():
    assert output_bars([0.8], 2).tolist() == pytest.approx([0.2, 0.8])
    assert output_bars([[0.1, 0.9]], 2).tolist() == [0.1, 0.9]
    assert output_bars([0.8], None).tolist() == [0.8]


def test_one_sigmoid_output_gets_two_bars(qtbot):
    x = np.zeros((4, 3))
    y = np.array([0, 1, 1, 0])
    ds = Dataset("gate", x, y, x[:0], y[:0], n_classes=2, class_names=["no", "yes"])
    s = SampleView()
    qtbot.addWidget(s)
    s.set_data(ds)
    s.draw(Snapshot(x=x[0], sample_index=1, a=[np.array([0.3])]))
    assert s.bar_heights() == pytest.approx([0.7, 0.3])
    assert s.highlighted_bar() == 0 and s.outlined_bar() == 1
    assert s.caption.text() == "sample 1 · true yes · predicted no ✗"
    assert [t[1] for t in s.bars_plot.getAxis("bottom")._tickLevels[0]] == ["no", "yes"]


def test_regression_shows_the_output_and_the_target(qtbot):
    x = np.zeros((3, 3))
    y = np.array([[0.25], [1.5], [-2.0]])
    ds = Dataset("reg", x, y, x[:0], y[:0], n_classes=None)
    s = SampleView()
    qtbot.addWidget(s)
    s.set_data(ds)
    assert len(s.bar_heights()) == 1
    s.draw(Snapshot(x=x[1], sample_index=1, a=[np.array([1.75])], target=np.array([1.5])))
    assert s.bar_heights() == pytest.approx([1.75])
    assert s.outlined_bar() is None
    assert s.caption.text() == "output 1.75 · target 1.5"
    assert s.bars_plot.viewRange()[1][1] == pytest.approx(1.75 + 0.03 * 1.75, abs=0.01)
