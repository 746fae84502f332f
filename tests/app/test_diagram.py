"""The live network diagram, driven like a user would: snapshots in, mouse over and clicks."""
import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QMouseEvent
from PySide6.QtWidgets import QApplication

from nnviz.app.diagram import DEFAULT_MAX_EDGES, NetworkDiagram
from nnviz.app.state import Snapshot

SIZES = [2, 4, 4, 1]
ACTS = ["tanh", "tanh", "sigmoid"]


def make_snapshot(sizes, seed=0, grid_size=None, a_shift=0.0, scale=1.0):
    """A hand-built snapshot: weights, grads, z/a/delta for one sample, optional grid."""
    rng = np.random.default_rng(seed)
    weights, grads, z, a, delta = [], [], [], [], []
    x = rng.uniform(-1, 1, sizes[0])
    prev = x
    for k in range(len(sizes) - 1):
        W = rng.normal(0, scale, (sizes[k], sizes[k + 1]))
        b = rng.normal(0, 0.5, sizes[k + 1])
        weights.append((W, b))
        grads.append((rng.normal(0, 0.1, W.shape), rng.normal(0, 0.1, b.shape)))
        zz = prev @ W + b
        aa = np.clip(np.tanh(zz) + a_shift, -1, 1)
        z.append(zz)
        a.append(aa)
        delta.append(rng.normal(0, 0.1, sizes[k + 1]))
        prev = aa
    grid = None
    if grid_size:
        xs = ys = np.linspace(-1, 1, grid_size)
        gx, gy = np.meshgrid(xs, ys)
        units = [np.stack([np.tanh(gx * (j + 1) - gy) for j in range(n)]) for n in sizes[1:]]
        grid = {"xs": xs, "ys": ys, "units": units, "output": units[-1][0]}
    return Snapshot(weights=weights, grads=grads, x=x, z=z, a=a, delta=delta, grid=grid)


@pytest.fixture
def diagram(qtbot):
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(1000, 700)
    d.set_network(SIZES, ACTS, input_names=["x1", "x2"], output_names=["blue"])
    d.show()
    qtbot.waitExposed(d)
    return d


def hover(vp, pos):
    """Move the mouse over the viewport (a real move event through view, scene and diagram).

    QTest.mouseMove drops a second move sent before the event loop runs again, so the event is
    delivered directly."""
    ev = QMouseEvent(QEvent.Type.MouseMove, QPointF(pos), QPointF(vp.mapToGlobal(pos)),
                     Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(vp, ev)


def n_segments(items):
    return sum(len(it.xData) // 2 if it.xData is not None else 0 for it in items)


def brush_colours(d):
    return [b.color().name() for b in d.neuron_item.brushes]


def test_structure_of_a_2_4_4_1_net(diagram):
    snap = make_snapshot(SIZES)
    diagram.update_snapshot(snap)
    assert len(diagram.neuron_item) == 2 + 4 + 4 + 1
    assert len(diagram.bias_item) == 3          # input, hidden 1, hidden 2 (not the output)
    for it in diagram.edge_items + diagram.bias_edge_items:
        assert len(it.xData) % 2 == 0 and len(it.xData) == len(it.yData)
    assert n_segments(diagram.edge_items) == sum(W.size for W, _ in snap.weights) == 2 * 4 + 4 * 4 + 4
    assert n_segments(diagram.bias_edge_items) == sum(b.size for _, b in snap.weights) == 9
    # the legend names the colour maps by the activations that use them
    assert "tanh" in diagram.legend.div_label and "sigmoid" in diagram.legend.seq_label


def test_activations_change_the_neuron_colours(diagram):
    diagram.update_snapshot(make_snapshot(SIZES, a_shift=-0.8))
    before = brush_colours(diagram)
    diagram.update_snapshot(make_snapshot(SIZES, a_shift=+0.8))
    after = brush_colours(diagram)
    assert len(before) == len(after) == 11
    hidden = slice(2, 10)
    assert before[hidden] != after[hidden]
    # tanh: a strongly positive activation is drawn blue, a negative one orange
    snap = make_snapshot(SIZES)
    snap.a[0][:] = [0.95, -0.95, 0.0, 0.95]
    diagram.update_snapshot(snap)
    c = [QColor(n) for n in brush_colours(diagram)[2:6]]
    assert c[0].blue() > c[0].red() + 100
    assert c[1].red() > c[1].blue() + 100
    assert min(c[2].red(), c[2].green(), c[2].blue()) > 240     # 0 is white


def test_weight_sign_decides_the_edge_colour(diagram):
    snap = make_snapshot(SIZES)
    diagram.update_snapshot(snap)
    n_pos = sum(int((W > 0).sum()) for W, _ in snap.weights)
    n_neg = sum(int((W < 0).sum()) for W, _ in snap.weights)
    assert n_segments(diagram.edge_items[4:]) == n_pos
    assert n_segments(diagram.edge_items[:4]) == n_neg
    for it in diagram.edge_items[4:]:
        if it.xData is not None and len(it.xData):
            assert it.opts["pen"].color().blue() > it.opts["pen"].color().red()
    # one strongly positive weight: its segment sits in the thickest positive item
    snap.weights[1][0][2, 3] = 10.0
    diagram.update_snapshot(snap)
    (x0, y0), (x1, y1) = diagram._pos[1][2], diagram._pos[2][3]
    thick = diagram.edge_items[7]
    segs = set(zip(thick.xData[0::2].round(6), thick.yData[0::2].round(6),
                   thick.xData[1::2].round(6), thick.yData[1::2].round(6)))
    assert (round(x0, 6), round(y0, 6), round(x1, 6), round(y1, 6)) in segs
    assert thick.opts["pen"].widthF() > diagram.edge_items[4].opts["pen"].widthF()


def test_big_layers_draw_only_the_strongest_edges(qtbot):
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(1200, 800)
    d.set_network([784, 100, 10], ["tanh", "softmax"], image_shape=(28, 28))
    snap = make_snapshot([784, 100, 10], scale=0.05)
    d.update_snapshot(snap)
    n = DEFAULT_MAX_EDGES
    assert d.max_edges_per_layer == n
    assert len(d.neuron_item) == 110          # the input is an image, not 784 circles
    assert d.input_image_item.isVisible()
    assert n_segments(d.edge_items) == n + n   # of 78 400 and 1 000
    i, j = d.drawn_edges(0)
    assert len(i) == n
    absw = np.abs(snap.weights[0][0])
    drawn = absw[i, j]
    mask = np.ones_like(absw, bool)
    mask[i, j] = False
    assert drawn.min() >= absw[mask].max()
    # the edges start at the pixels of the input image
    rect = d._img_rect
    xs = np.concatenate([it.xData[0::2] for it in d.edge_items if it.xData is not None and len(it.xData)])
    starts = xs[xs < 0.5]
    assert len(starts) == n and starts.min() >= rect.left() and starts.max() <= rect.right()
    # adjustable
    d.max_edges_per_layer = 50
    assert len(d.drawn_edges(0)[0]) == 50 and len(d.drawn_edges(1)[0]) == 50
    assert n_segments(d.edge_items) == 100


def test_hover_a_neuron_shows_its_numbers(diagram, qtbot):
    snap = make_snapshot(SIZES)
    snap.z[0][2] = 0.5123
    snap.a[0][2] = 0.4716
    snap.delta[0][2] = -0.01234
    diagram.update_snapshot(snap)
    vp = diagram.view.viewport()
    hover(vp, diagram.neuron_view_pos(1, 2))
    qtbot.waitUntil(lambda: "0.5123" in diagram.hover_text)
    text = diagram.hover_text
    assert "hidden 1" in text and "neuron 3" in text
    assert "z = 0.5123" in text and "0.4716" in text and "-0.01234" in text
    assert f"b = {snap.weights[0][1][2]:.4g}" in text
    # an edge: its weight, its gradient and the two neurons
    hover(vp, diagram.edge_view_pos(0, 1, 3, t=0.3))
    qtbot.waitUntil(lambda: "Weight from" in diagram.hover_text)
    assert "x2" in diagram.hover_text and "neuron 4" in diagram.hover_text
    assert f"w = {snap.weights[0][0][1, 3]:.4g}" in diagram.hover_text
    assert f"∂L/∂w = {snap.grads[0][0][1, 3]:.4g}" in diagram.hover_text
    # the bias node explains the +1
    hover(vp, diagram.bias_view_pos(1))
    qtbot.waitUntil(lambda: "+1" in diagram.hover_text)
    assert "constant input of 1" in diagram.hover_text


def test_resting_mouse_shows_the_numbers_as_a_tooltip(diagram, qtbot):
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QApplication, QToolTip

    snap = make_snapshot(SIZES)
    snap.z[0][2] = 0.5123
    diagram.update_snapshot(snap)
    vp = diagram.view.viewport()
    for pos, expected in ((diagram.neuron_view_pos(1, 2), "z = 0.5123"),
                          (diagram.edge_view_pos(0, 1, 3, t=0.3), "∂L/∂w"),
                          (diagram.item_view_rect(diagram._captions[1]).center().toPoint(), "Σ w·a + b")):
        # what Qt sends when the mouse rests: a ToolTip help event at that point
        QApplication.sendEvent(vp, QHelpEvent(QEvent.Type.ToolTip, pos, vp.mapToGlobal(pos)))
        qtbot.waitUntil(lambda: QToolTip.isVisible() and expected in QToolTip.text(), timeout=2000)
    # nothing under the mouse: no tooltip
    empty = diagram.data_to_viewport(QPointF(diagram._bbox.left() - 0.5 * diagram.DX, diagram._bbox.top()))
    QApplication.sendEvent(vp, QHelpEvent(QEvent.Type.ToolTip, empty, vp.mapToGlobal(empty)))
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)


def _type_value(qtbot, d, text):
    spin = d.editor.spin
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_click_to_edit_emits_param_edit(diagram, qtbot):
    diagram.update_snapshot(make_snapshot(SIZES))
    vp = diagram.view.viewport()
    # a neuron of hidden layer 2 -> its bias b[1] of dense layer 1
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=diagram.neuron_view_pos(2, 1))
    assert diagram.editor.isVisible()
    with qtbot.waitSignal(diagram.paramEditRequested) as sig:
        _type_value(qtbot, diagram, "0.75")
    assert sig.args == [1, "b", (1,), 0.75]
    assert not diagram.editor.isVisible()
    # an edge from x1 to hidden 1 neuron 3 -> W[0, 2] of dense layer 0
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=diagram.edge_view_pos(0, 0, 2, t=0.3))
    assert diagram.editor.isVisible()
    with qtbot.waitSignal(diagram.paramEditRequested) as sig:
        _type_value(qtbot, diagram, "-1.5")
    assert sig.args == [0, "W", (0, 2), -1.5]
    # Esc cancels without a signal
    diagram.request_edit("W", 2, (3, 0))
    emitted = []
    diagram.paramEditRequested.connect(lambda *a: emitted.append(a))
    qtbot.keyClick(diagram.editor.spin, Qt.Key.Key_Escape)
    assert not diagram.editor.isVisible() and emitted == []


def test_heatmaps_for_a_2d_grid(diagram, qtbot):
    G = 12
    diagram.update_snapshot(make_snapshot(SIZES))
    assert not any(it.isVisible() for it in diagram.heatmap_items.values())
    snap = make_snapshot(SIZES, grid_size=G)
    diagram.update_snapshot(snap)
    assert len(diagram.heatmap_items) == 4 + 4 + 1
    for (l, j), it in diagram.heatmap_items.items():
        assert it.isVisible()
        assert it.image.shape[:2] == (G, G)
        np.testing.assert_array_equal(it.values, snap.grid["units"][l - 1][j])
    # tanh(x - y): bottom-right of the plane (x = 1, y = -1) is positive -> blue
    img = diagram.heatmap_items[(1, 0)].image
    r, g, b = img[0, G - 1, :3].astype(int)
    assert b > r + 100
    # the output's picture is the largest
    assert diagram._heat_side[3] > diagram._heat_side[1]
    diagram.set_show_heatmaps(False)
    assert not any(it.isVisible() for it in diagram.heatmap_items.values())
    diagram.set_show_heatmaps(True)
    assert all(it.isVisible() for it in diagram.heatmap_items.values())


def test_export_png_and_svg(diagram, tmp_path):
    diagram.update_snapshot(make_snapshot(SIZES, grid_size=10))
    png = tmp_path / "net.png"
    diagram.export_png(png)
    assert png.stat().st_size > 1000
    img = QImage(str(png))
    assert not img.isNull() and img.width() > 500
    svg = tmp_path / "net.svg"
    diagram.export_svg(svg)
    assert "<svg" in svg.read_text(encoding="utf-8")[:2000]


def test_resize_keeps_everything_in_view(diagram, qtbot):
    diagram.update_snapshot(make_snapshot(SIZES, grid_size=8))
    for w, h in ((520, 360), (1400, 500), (700, 900)):
        diagram.resize(w, h)
        qtbot.waitUntil(lambda: abs(diagram.view.width() - w) < 2)
        diagram._fit()
        vp_rect = diagram.view.viewport().rect()
        for l, n in enumerate(SIZES):
            for j in range(n):
                assert vp_rect.contains(diagram.neuron_view_pos(l, j)), (w, h, l, j)
        for l in range(len(SIZES) - 1):
            assert vp_rect.contains(diagram.bias_view_pos(l))
        vp = QRectF(vp_rect).adjusted(-1, -1, 1, 1)
        for t in diagram._captions + diagram._name_items:
            assert vp.contains(diagram.item_view_rect(t)), (w, h, t.toPlainText())
        for it in diagram.heatmap_items.values():
            assert vp.contains(diagram.item_view_rect(it))
        # the legend is a strip of its own under the drawing
        assert diagram.legend.isVisible() and diagram.legend.geometry().top() >= diagram.view.geometry().bottom()


def test_image_input_incoming_weights(qtbot):
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(1000, 700)
    d.set_network([784, 16, 10], ["relu", "softmax"], image_shape=(28, 28),
                  output_names=[str(k) for k in range(10)])
    d.show()
    qtbot.waitExposed(d)
    snap = make_snapshot([784, 16, 10], scale=0.1)
    d.update_snapshot(snap)
    assert not d.incoming_item.isVisible()
    # hovering a first-hidden-layer neuron shows its 784 incoming weights as a 28x28 picture
    hover(d.view.viewport(), d.neuron_view_pos(1, 5))
    qtbot.waitUntil(lambda: d.incoming_item.isVisible())
    assert d.incoming_item.image.shape[:2] == (28, 28)
    col = snap.weights[0][0][:, 5].reshape(28, 28)
    top_left = d.incoming_item.image[27, 0, :3].astype(int)   # drawn upside down: row 27 is the top
    colour = (0, 0, 1) if col[0, 0] > 0 else (1, 0, 0)
    assert (top_left[2] > top_left[0]) == (colour[2] == 1)
    # Ctrl+click pins a neuron: hovering another one no longer changes the picture
    vp = d.view.viewport()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     pos=d.neuron_view_pos(1, 3))
    assert not d.editor.isVisible()
    assert "neuron 4 (pinned)" in d._incoming_caption.toPlainText()
    hover(vp, d.neuron_view_pos(1, 9))
    qtbot.waitUntil(lambda: "neuron 10" in d.hover_text)
    assert "neuron 4 (pinned)" in d._incoming_caption.toPlainText()
    d.set_show_incoming(0, 7)
    assert "neuron 8" in d._incoming_caption.toPlainText()
    d.set_show_incoming(None)
    assert not d.incoming_item.isVisible()
    # the input image shows the sample
    assert d.input_image_item.image.shape[:2] == (28, 28)


def test_mismatched_snapshot_is_ignored(diagram, qtbot):
    diagram.update_snapshot(make_snapshot(SIZES))
    diagram.update_snapshot(make_snapshot([3, 4, 1]))      # wrong shapes: no exception, no edges
    assert n_segments(diagram.edge_items) == 0
    hover(diagram.view.viewport(), diagram.edge_view_pos(0, 1, 3, t=0.3))   # no stale edge to describe
    hover(diagram.view.viewport(), diagram.neuron_view_pos(1, 0))
    qtbot.waitUntil(lambda: "neuron 1" in diagram.hover_text)
    assert "bias b" not in diagram.hover_text


def test_set_network_again_rebuilds(diagram):
    diagram.update_snapshot(make_snapshot(SIZES, grid_size=6))
    diagram.set_network([3, 5, 2], ["relu", "softmax"], names=["in", "mid", "out"])
    assert len(diagram.neuron_item) == 10
    assert len(diagram.bias_item) == 2
    assert diagram.heatmap_items == {}                     # 3 inputs: no input plane
    assert n_segments(diagram.edge_items) == 0             # nothing drawn until a snapshot comes
    captions = [t.toPlainText() for t in diagram._captions]
    assert captions[1].startswith("mid") and "5 · relu" in captions[1]
    snap = make_snapshot([3, 5, 2])
    diagram.update_snapshot(snap)
    assert n_segments(diagram.edge_items) == 3 * 5 + 5 * 2
    with pytest.raises(ValueError):
        diagram.set_network([2, 3], ["tanh", "tanh"])


# Painting-related virtual functions: if any of them is written in Python, Qt has to take
# Python's GIL to paint the diagram, and the frame stops training (see nnviz.app.diagram).
_PAINT_VIRTUALS = {
    "item": ("paint", "boundingRect", "shape", "opaqueArea", "isObscuredBy", "itemChange", "sceneEvent"),
    "view": ("paintEvent", "viewportEvent", "drawBackground", "drawForeground", "event", "eventFilter"),
    "scene": ("drawBackground", "drawForeground", "event", "eventFilter"),
}


def _python_overrides(obj, names):
    """Which of ``names`` the object's class (or a Python base of it) defines in Python."""
    found = []
    for name in names:
        for cls in type(obj).__mro__:
            if name in cls.__dict__:
                if not cls.__module__.startswith(("PySide6", "shiboken6", "Shiboken")):
                    found.append(f"{cls.__name__}.{name}")
                break
    return found


@pytest.mark.parametrize("sizes,image", [(SIZES, None), ([784, 16, 10], (28, 28))])
def test_the_diagram_never_paints_through_python(qtbot, sizes, image):
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(900, 600)
    acts = ["tanh"] * (len(sizes) - 2) + ["sigmoid"]
    d.set_network(sizes, acts, image_shape=image)
    d.update_snapshot(make_snapshot(sizes, grid_size=None if image else 8))
    d.show()
    qtbot.waitExposed(d)
    items = d.view.scene().items()
    assert len(items) > 20
    bad = sorted({o for it in items for o in _python_overrides(it, _PAINT_VIRTUALS["item"])})
    assert bad == []
    assert _python_overrides(d.view, _PAINT_VIRTUALS["view"]) == []
    assert _python_overrides(d.view.viewport(), ("paintEvent", "event")) == []
    assert _python_overrides(d.view.scene(), _PAINT_VIRTUALS["scene"]) == []
