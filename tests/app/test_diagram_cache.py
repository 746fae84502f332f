"""What the diagram keeps from frame to frame (edges per bin, heatmap pixmaps, neuron brushes)
gives exactly the picture a freshly built diagram draws for the same snapshot (issue 19)."""
import numpy as np
import pytest
from PySide6.QtGui import QImage

from nnviz.app import theme
from nnviz.app.diagram import NetworkDiagram, colours
from nnviz.app.diagram import edgecache
from nnviz.app.diagram.edgecache import EdgeCache
from nnviz.app.diagram.layout import N_BINS, DiagramLayout, EdgePlan
from nnviz.app.training.state import Snapshot

from tests.app.test_diagram import make_snapshot


def _diagram(qtbot, sizes, acts, image_shape=None, size=(1000, 700), max_edges=None):
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(*size)
    d.set_network(sizes, acts, image_shape=image_shape)
    if max_edges is not None:
        d.set_max_edges_per_layer(max_edges)
    d.show()
    qtbot.waitExposed(d)
    return d


def _moved(snap, rng, scale, grid_noise=0.02):
    """``snap`` a little further into training: every weight, activation and grid value moves."""
    weights = [(W + rng.normal(0, scale, W.shape), b + rng.normal(0, scale, b.shape)) for W, b in snap.weights]
    grid = None
    if snap.grid is not None:
        grid = dict(snap.grid, units=[np.clip(u + rng.normal(0, grid_noise, u.shape), -1, 1) for u in snap.grid["units"]])
    a = [np.clip(v + rng.normal(0, 0.1, v.shape), -1, 1) for v in snap.a]
    return Snapshot(weights=weights, grads=snap.grads, x=snap.x, z=snap.z, a=a, delta=snap.delta, grid=grid)


def _pixels(widget) -> np.ndarray:
    img = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGBA8888)
    return np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), -1).copy()


def _assert_same(a: NetworkDiagram, b: NetworkDiagram, pixels: bool = True):
    for items_a, items_b in ((a.scene.edges, b.scene.edges), (a.scene.bias_edges, b.scene.bias_edges)):
        for ea, eb in zip(items_a, items_b):
            assert ea.isVisible() == eb.isVisible()
            assert ea.path() == eb.path()
    assert a.scene.heatmaps.keys() == b.scene.heatmaps.keys()
    for key, ha in a.scene.heatmaps.items():
        hb = b.scene.heatmaps[key]
        assert ha.isVisible() == hb.isVisible()
        if hb.isVisible():
            np.testing.assert_array_equal(ha.image, hb.image)
            np.testing.assert_array_equal(ha.values, hb.values)
            assert ha.pixmap().toImage() == hb.pixmap().toImage()
    assert [it.brush().color().rgba() for it in a.scene.neurons.items] == \
        [it.brush().color().rgba() for it in b.scene.neurons.items]
    assert a.scene.plan.wmax == b.scene.plan.wmax
    for layer in range(len(a.network_layout.sizes) - 1):
        for x, y in zip(a.drawn_edges(layer), b.drawn_edges(layer)):
            np.testing.assert_array_equal(x, y)
    if pixels:   # (after a resize, the texts' pixel positions depend on the sizes the view had)
        np.testing.assert_array_equal(_pixels(a.view), _pixels(b.view))
    np.testing.assert_array_equal(_pixels(a.backdrop), _pixels(b.backdrop))


def _crossing(snap, layer, max_edges, into: bool):
    """``snap`` with the weakest weight of ``layer`` made the strongest (``into``), or the
    strongest made the weakest: one edge enters or leaves the strongest set."""
    weights = [(W.copy(), b.copy()) for W, b in snap.weights]
    W = weights[layer][0]
    flat = np.abs(W).ravel()
    k = np.argmin(flat) if into else np.argmax(flat)
    W.flat[k] = (2 if into else 1e-6) * np.sign(W.flat[k] or 1.0) * (flat.max() if into else 1.0)
    return Snapshot(weights=weights, grads=snap.grads, x=snap.x, z=snap.z, a=snap.a, delta=snap.delta, grid=snap.grid)


@pytest.mark.parametrize("case", ["toy", "image"])
def test_cached_frames_draw_what_a_fresh_diagram_draws(qtbot, case):
    if case == "toy":
        sizes, acts, shape, max_edges = [2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], None, 20
        snap = make_snapshot(sizes, seed=3, grid_size=20)
    else:
        sizes, acts, shape, max_edges = [784, 30, 10], ["tanh", "softmax"], (28, 28), 60
        snap = make_snapshot(sizes, seed=3, scale=0.05)
    rng = np.random.default_rng(7)
    d = _diagram(qtbot, sizes, acts, shape, max_edges=max_edges)
    seq = [snap]
    for k in range(5):
        seq.append(_moved(seq[-1], rng, 0.005 if k % 2 else 0.05))
    seq.append(_crossing(seq[-1], 0, max_edges, into=True))
    seq.append(_moved(seq[-1], rng, 0.001, grid_noise=0.0))
    seq.append(_crossing(seq[-1], 1, max_edges, into=False))
    for k, s in enumerate(seq):
        d.update_snapshot(s)
        d.view.viewport().repaint()
        if k == 4:
            d.resize(900, 640)        # a new pixel size: image edges start elsewhere
            qtbot.wait(10)
        fresh = _diagram(qtbot, sizes, acts, shape, size=(d.width(), d.height()), max_edges=max_edges)
        fresh.update_snapshot(s)
        _assert_same(d, fresh, pixels=k < 4)
        fresh.close()
    # the same snapshot again changes nothing; hiding and showing the heatmaps keeps them right
    d.update_snapshot(seq[-1])
    d.set_show_heatmaps(False)
    d.update_snapshot(seq[2])
    d.set_show_heatmaps(True)
    d.update_snapshot(seq[3])
    fresh = _diagram(qtbot, sizes, acts, shape, size=(d.width(), d.height()), max_edges=max_edges)
    fresh.update_snapshot(seq[3])
    _assert_same(d, fresh, pixels=False)


def _plans_equal(live, ref):
    assert live.wmax == ref.wmax
    for a, b in zip(live.weight_index + live.bias_index, ref.weight_index + ref.bias_index):
        np.testing.assert_array_equal(a, b)
    for bias in (False, True):
        for k in range(N_BINS):
            for a, b in zip(live.pairs(k, bias), ref.pairs(k, bias)):
                np.testing.assert_array_equal(a, b)


@pytest.mark.filterwarnings("ignore:All-NaN slice")
@pytest.mark.parametrize("full_rows", [400_000, 100])
def test_the_edge_cache_reports_every_bin_that_changed(monkeypatch, full_rows):
    monkeypatch.setattr(edgecache, "FULL_TABLE_ROWS", full_rows)   # every end point at once, or as needed
    lay = DiagramLayout([784, 20, 5], image_shape=(28, 28))
    cache = EdgeCache(lay)
    rng = np.random.default_rng(0)
    weights = [(rng.normal(0, 0.1, (784, 20)), rng.normal(0, 0.1, 20)), (rng.normal(0, 1, (20, 5)), rng.normal(0, 1, 5))]
    shown = {False: [None] * N_BINS, True: [None] * N_BINS}   # what the items would show
    for step in range(12):
        pixel = 0.002 if step < 6 else 0.003
        if step == 3:
            weights[0][0][0, 0] = 5.0                          # the largest: every width changes
        if step == 8:
            weights[1][0][:] = np.nan                          # not finite: drawn as 0, wmax from the rest
        if step == 9:
            weights = [(np.empty(0), np.empty(0)), weights[1]]  # step mode: nothing flows yet
        live, changed = cache.plan(weights, 50, pixel)
        if step == 9:
            weights = [(rng.normal(0, 0.1, (784, 20)), rng.normal(0, 0.1, 20)), weights[1]]
            continue
        ref = EdgePlan(lay, weights, 50, pixel)
        _plans_equal(live, ref)
        for bias in (False, True):
            for k in changed[bias]:
                shown[bias][k] = tuple(a.copy() for a in live.pairs(k, bias))
            for k in range(N_BINS):
                for a, b in zip(shown[bias][k], ref.pairs(k, bias)):
                    np.testing.assert_array_equal(a, b)
        weights = [(W + rng.normal(0, 0.003, W.shape), b + rng.normal(0, 0.003, b.shape)) for W, b in weights]
    cache.reset()
    assert cache.plan(weights, 50, 0.003)[1] == {False: list(range(N_BINS)), True: list(range(N_BINS))}
    mixed = [(W.astype(np.float32), b) for W, b in weights]    # float32 weights, float64 biases
    _plans_equal(cache.plan(mixed, 50, 0.003)[0], EdgePlan(lay, mixed, 50, 0.003))


def test_one_pass_colours_match_the_per_layer_ones():
    rng = np.random.default_rng(1)
    v = [rng.normal(0, 2, (3, 8, 8)), rng.normal(0, 2, (2, 8, 8)).astype(np.float32), rng.uniform(0, 1, (1, 8, 8))]
    v[0][0, 0, 0], v[1][1, 2, 3] = np.nan, np.inf
    scales = [theme.DIVERGING, theme.DIVERGING, theme.SEQUENTIAL]
    with np.errstate(all="ignore"):
        got = colours.rgba_layers(scales, v)
        np.testing.assert_array_equal(got, np.concatenate([colours.rgba(s, x) for s, x in zip(scales, v)]))
        spots = colours.SpotIndex([2, 3, 1], [theme.DIVERGING, theme.DIVERGING, theme.SEQUENTIAL], [0, 0, 64], 32)
        vals = [np.array([0.3, np.nan]), None, np.array([0.7])]
        np.testing.assert_array_equal(spots.ids(vals), [*colours.index(theme.DIVERGING, vals[0]), 32, 32, 32,
                                                        colours.index(theme.SEQUENTIAL, vals[2])[0] + 64])


def test_pairs_path_is_pyqtgraphs_path():
    import pyqtgraph as pg

    from nnviz.app.diagram.items import pairs_path
    rng = np.random.default_rng(2)
    for n in (0, 2, 40, 3000):
        x, y = rng.normal(size=n), rng.normal(size=n)
        assert pairs_path(x, y) == pg.arrayToQPath(x, y, connect="pairs", finiteCheck=False)
        assert pairs_path(x, y).elementCount() == n


@pytest.mark.filterwarnings("ignore:All-NaN slice")
def test_the_edge_cache_plans_odd_weights_as_edge_plan_does():
    lay = DiagramLayout([3, 4, 2])
    rng = np.random.default_rng(5)
    base = [(rng.normal(size=(3, 4)), rng.normal(size=4)), (rng.normal(size=(4, 2)), rng.normal(size=2))]
    odd = []
    for value in (np.nan, np.inf, -np.inf, 0.0):
        w = [(W.copy(), b.copy()) for W, b in base]
        w[0][0][1, 2] = w[1][1][0] = value
        odd.append(w)
    odd.append([(np.zeros((3, 4)), np.zeros(4)), (np.zeros((4, 2)), np.zeros(2))])                 # wmax 1
    odd.append([(np.full((3, 4), np.nan), np.full(4, np.nan)), (np.full((4, 2), np.nan), np.full(2, np.nan))])
    odd.append([(W.astype(np.float32), b.astype(np.float32)) for W, b in base])
    for max_edges in (300, 5):
        cache = EdgeCache(lay)
        shown = {False: [None] * N_BINS, True: [None] * N_BINS}
        for w in odd + odd[::-1]:
            live, changed = cache.plan(w, max_edges, None)
            ref = EdgePlan(lay, w, max_edges)
            _plans_equal(live, ref)
            for bias in (False, True):       # the bins not reported still show the right edges
                for k in changed[bias]:
                    shown[bias][k] = live.pairs(k, bias)
                for k in range(N_BINS):
                    for a, b in zip(shown[bias][k], ref.pairs(k, bias)):
                        np.testing.assert_array_equal(a, b)
