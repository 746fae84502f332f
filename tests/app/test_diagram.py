"""The live network diagram, driven like a user would: snapshots in, mouse over and clicks.

Layers are dense-layer indices; the input units are layer -1.
"""
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtWidgets import QApplication, QGraphicsEllipseItem, QGraphicsPathItem

from nnviz.app import theme
from nnviz.app.diagram import DEFAULT_MAX_EDGES, NetworkDiagram
from nnviz.app.training.state import Snapshot

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


def edge_paths(d, dashed=False):
    """The visible edge paths in the scene and behind it (weights solid, biases dashed; not the
    hover line)."""
    return [it for it in [*d.view.scene().items(), *d.backdrop.scene().items()]
            if isinstance(it, QGraphicsPathItem) and it.isVisible() and it.zValue() < 15
            and (it.pen().style() == Qt.PenStyle.DashLine) == dashed]


def segments(path_item):
    """The (x0, y0, x1, y1) segments of a path of separate lines, rounded to 6 digits."""
    p = path_item.path()
    pts = [(p.elementAt(k).x, p.elementAt(k).y) for k in range(p.elementCount())]
    return [tuple(round(v, 6) for v in (*pts[k], *pts[k + 1])) for k in range(0, len(pts), 2)]


def n_segments(d, dashed=False):
    return sum(len(segments(it)) for it in edge_paths(d, dashed))


def neuron_colour(d, layer, j):
    """The fill of the circle drawn at unit ``j`` of ``layer``, as (r, g, b)."""
    found = [it for it in d.view.items(d.neuron_view_pos(layer, j))
             if isinstance(it, QGraphicsEllipseItem) and it.brush().style() != Qt.BrushStyle.NoBrush]
    assert len(found) == 1
    c = found[0].brush().color()
    return c.red(), c.green(), c.blue()


def expected_colour(end, frac):
    """White moved a fraction ``frac`` towards ``end``, rounded as 8-bit colours are."""
    return tuple(int(round(255 + (c - 255) * frac)) for c in end)


def test_structure_of_a_2_4_4_1_net(diagram):
    snap = make_snapshot(SIZES)
    diagram.update_snapshot(snap)
    scene_items = diagram.view.scene().items()
    assert sum(isinstance(it, QGraphicsEllipseItem) for it in scene_items) == 2 + 4 + 4 + 1
    assert n_segments(diagram) == sum(W.size for W, _ in snap.weights) == 2 * 4 + 4 * 4 + 4
    assert n_segments(diagram, dashed=True) == sum(b.size for _, b in snap.weights) == 9
    # the bias nodes: input, hidden 1, hidden 2 (not the output), each a "+1"
    labels = [it.toPlainText() for it in scene_items if hasattr(it, "toPlainText")]
    assert labels.count("+1") == 3
    # the legend names the colour maps by the activations that use them
    assert "tanh" in diagram.legend.div_label and "sigmoid" in diagram.legend.seq_label


def test_neuron_colours_are_the_activations(diagram):
    snap = make_snapshot(SIZES)
    snap.a[0][:] = [0.95, -0.95, 0.0, 0.5]
    snap.a[2][:] = [0.3]
    snap.x[:] = [-1.0, 0.25]
    diagram.update_snapshot(snap)
    # tanh on [-1, 1] in 64 steps: 0.95 -> step 61 of 63, i.e. (61/63 - 1/2) / (1/2) of the way to blue
    assert neuron_colour(diagram, 0, 0) == expected_colour(theme.POSITIVE, (61 / 63 - 0.5) / 0.5)
    assert neuron_colour(diagram, 0, 1) == expected_colour(theme.NEGATIVE, (0.5 - 2 / 63) / 0.5)
    assert neuron_colour(diagram, 0, 2) == expected_colour(theme.POSITIVE, (32 / 63 - 0.5) / 0.5)  # ≈ white
    assert neuron_colour(diagram, 0, 3) == expected_colour(theme.POSITIVE, (47 / 63 - 0.5) / 0.5)
    # sigmoid on [0, 1]: 0.3 -> step 19 of 63 from white to blue
    assert neuron_colour(diagram, 2, 0) == expected_colour(theme.POSITIVE, 19 / 63)
    # the inputs: the sample's values on the diverging scale
    assert neuron_colour(diagram, -1, 0) == theme.NEGATIVE
    assert neuron_colour(diagram, -1, 1) == expected_colour(theme.POSITIVE, (39 / 63 - 0.5) / 0.5)
    # a new snapshot moves them
    snap.a[0][:] = [-0.95, 0.95, 0.0, 0.5]
    diagram.update_snapshot(snap)
    assert neuron_colour(diagram, 0, 1) == expected_colour(theme.POSITIVE, (61 / 63 - 0.5) / 0.5)


def test_weight_sign_and_size_decide_the_edge(diagram):
    snap = make_snapshot(SIZES)
    diagram.update_snapshot(snap)
    paths = edge_paths(diagram)
    blue = [it for it in paths if it.pen().color().blue() > it.pen().color().red()]
    orange = [it for it in paths if it.pen().color().red() > it.pen().color().blue()]
    assert sum(len(segments(it)) for it in blue) == sum(int((W > 0).sum()) for W, _ in snap.weights)
    assert sum(len(segments(it)) for it in orange) == sum(int((W < 0).sum()) for W, _ in snap.weights)
    # one strongly positive weight: its segment sits in the widest blue path, drawn in the full colour
    snap.weights[1][0][2, 3] = 10.0
    diagram.update_snapshot(snap)
    a, b = diagram.network_layout.positions(0)[2], diagram.network_layout.positions(1)[3]
    seg = tuple(round(float(v), 6) for v in (*a, *b))
    widest = max(edge_paths(diagram), key=lambda it: it.pen().widthF())
    assert seg in segments(widest) and len(segments(widest)) == 1   # every other |w| < 10 / 4 · 3
    c = widest.pen().color()
    assert (c.red(), c.green(), c.blue()) == theme.POSITIVE
    assert widest.pen().widthF() > min(it.pen().widthF() for it in edge_paths(diagram))
    # the legend states the thickest weight
    diagram.legend.set_wmax(None)
    diagram.update_snapshot(snap)
    assert diagram.legend.wmax == 10.0


def test_big_layers_draw_only_the_strongest_edges(qtbot):
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(1200, 800)
    d.set_network([784, 100, 10], ["tanh", "softmax"], image_shape=(28, 28))
    snap = make_snapshot([784, 100, 10], scale=0.05)
    d.update_snapshot(snap)
    n = DEFAULT_MAX_EDGES
    assert d.max_edges_per_layer == n
    circles = [it for it in d.view.scene().items() if isinstance(it, QGraphicsEllipseItem)]
    assert len(circles) == 110          # the input is an image, not 784 circles
    assert d.scene.image.picture.isVisible()
    assert n_segments(d) == n + n       # of 78 400 and 1 000
    i, j = d.drawn_edges(0)
    assert len(i) == n
    absw = np.abs(snap.weights[0][0])
    mask = np.ones_like(absw, bool)
    mask[i, j] = False
    assert absw[i, j].min() >= absw[mask].max()
    # the edges start at the pixels of the input image
    box = d.network_layout.image_box
    starts = [s[0] for it in edge_paths(d) for s in segments(it) if s[0] < 0.5]
    assert len(starts) == n and min(starts) >= box.left and max(starts) <= box.right
    # adjustable
    d.max_edges_per_layer = 50
    assert len(d.drawn_edges(0)[0]) == 50 and len(d.drawn_edges(1)[0]) == 50
    assert n_segments(d) == 100


def test_hover_a_neuron_shows_its_numbers(diagram, qtbot):
    snap = make_snapshot(SIZES)
    snap.z[0][2] = 0.5123
    snap.a[0][2] = 0.4716
    snap.delta[0][2] = -0.01234
    snap.weights[0][1][2] = 0.25
    diagram.update_snapshot(snap)
    vp = diagram.view.viewport()
    hover(vp, diagram.neuron_view_pos(0, 2))
    qtbot.waitUntil(lambda: "0.5123" in diagram.hover_text)
    text = diagram.hover_text
    assert text.splitlines()[0] == "hidden 1 · neuron 3"
    assert "z = 0.5123" in text and "a = tanh(z) = 0.4716" in text and "δ = ∂L/∂z = -0.01234" in text
    assert "bias b = 0.25" in text
    # an input: its name and the sample's value
    hover(vp, diagram.neuron_view_pos(-1, 1))
    qtbot.waitUntil(lambda: diagram.hover_text.startswith("x2"))
    assert f"x = {snap.x[1]:.4g}" in diagram.hover_text
    # the output is named
    hover(vp, diagram.neuron_view_pos(2, 0))
    qtbot.waitUntil(lambda: diagram.hover_text.startswith("output “blue”"))
    # an edge: its weight, its gradient and the two neurons
    snap.weights[0][0][1, 3] = -0.75
    snap.grads[0][0][1, 3] = 0.0125
    diagram.update_snapshot(snap)
    hover(vp, diagram.edge_view_pos(0, 1, 3, t=0.3))
    qtbot.waitUntil(lambda: "Weight from" in diagram.hover_text)
    lines = diagram.hover_text.splitlines()
    assert lines[:4] == ["Weight from x2 to hidden 1 · neuron 4", "hidden 1 · W[1, 3]", "w = -0.75",
                         "∂L/∂w = 0.0125  (last batch; training moves w the other way)"]
    # the bias node explains the +1
    hover(vp, diagram.bias_view_pos(1))
    qtbot.waitUntil(lambda: "+1" in diagram.hover_text)
    assert "bias node of hidden 1" in diagram.hover_text and "constant input of 1" in diagram.hover_text


def test_resting_mouse_shows_the_numbers_as_a_tooltip(diagram, qtbot):
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    snap = make_snapshot(SIZES)
    snap.z[0][2] = 0.5123
    diagram.update_snapshot(snap)
    vp = diagram.view.viewport()
    caption = diagram.scene.captions[1]         # hidden 1's
    for pos, expected in ((diagram.neuron_view_pos(0, 2), "z = 0.5123"),
                          (diagram.edge_view_pos(0, 1, 3, t=0.3), "∂L/∂w"),
                          (diagram.item_view_rect(caption).center().toPoint(), "a = tanh(z)")):
        # what Qt sends when the mouse rests: a ToolTip help event at that point
        QApplication.sendEvent(vp, QHelpEvent(QEvent.Type.ToolTip, pos, vp.mapToGlobal(pos)))
        qtbot.waitUntil(lambda: QToolTip.isVisible() and expected in QToolTip.text(), timeout=2000)
    # nothing under the mouse: no tooltip
    box = diagram.network_layout.bbox
    empty = diagram.data_to_viewport(box.left - 0.5, box.bottom)
    QApplication.sendEvent(vp, QHelpEvent(QEvent.Type.ToolTip, empty, vp.mapToGlobal(empty)))
    qtbot.waitUntil(lambda: not QToolTip.isVisible(), timeout=2000)


def _type_value(qtbot, d, text):
    spin = d.editor.spin
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, text)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def test_click_to_edit_emits_param_edit(diagram, qtbot):
    snap = make_snapshot(SIZES)
    diagram.update_snapshot(snap)
    vp = diagram.view.viewport()
    # a neuron of layer 1 (the second hidden layer) -> its bias b[1] of dense layer 1
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=diagram.neuron_view_pos(1, 1))
    assert diagram.editor.isVisible()
    assert diagram.editor.label.text() == "Bias of hidden 2 · neuron 2"
    assert diagram.editor.spin.value() == pytest.approx(snap.weights[1][1][1], abs=1e-5)
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
    # a bias edge: from the +1 node of layer 2 to the output -> b[0] of dense layer 2
    a, b = diagram.network_layout.bias_positions[2], diagram.network_layout.positions(2)[0]
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=diagram.data_to_viewport(*(a + 0.5 * (b - a))))
    with qtbot.waitSignal(diagram.paramEditRequested) as sig:
        _type_value(qtbot, diagram, "2")
    assert sig.args == [2, "b", (0,), 2.0]
    # an input computes nothing: no editor
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, pos=diagram.neuron_view_pos(-1, 0))
    assert not diagram.editor.isVisible()
    # Esc cancels without a signal
    diagram.request_edit("W", 2, (3, 0))
    assert diagram.editor.label.text() == "Weight from hidden 2 · neuron 4 to output “blue”"
    emitted = []
    diagram.paramEditRequested.connect(lambda *a: emitted.append(a))
    qtbot.keyClick(diagram.editor.spin, Qt.Key.Key_Escape)
    assert not diagram.editor.isVisible() and emitted == []


def test_heatmaps_for_a_2d_grid(diagram, qtbot):
    G = 12
    diagram.update_snapshot(make_snapshot(SIZES))
    heatmaps = diagram.scene.heatmaps
    assert len(heatmaps) == 4 + 4 + 1 and not any(it.isVisible() for it in heatmaps.values())
    snap = make_snapshot(SIZES, grid_size=G)
    diagram.update_snapshot(snap)
    for (layer, j), it in heatmaps.items():
        assert it.isVisible()
        assert it.image.shape[:2] == (G, G)
        np.testing.assert_array_equal(it.values, snap.grid["units"][layer][j])
    # tanh(x - y): bottom-right of the plane (x = 1, y = -1) is tanh(2) = 0.964 -> blue
    r, g, b = heatmaps[(0, 0)].image[0, G - 1, :3].astype(int)
    assert b > r + 100
    # the output's picture is the largest
    assert diagram.network_layout.heat_side(2) > diagram.network_layout.heat_side(0)
    assert diagram.legend.heatmaps
    diagram.set_show_heatmaps(False)
    assert not any(it.isVisible() for it in heatmaps.values()) and not diagram.legend.heatmaps
    diagram.set_show_heatmaps(True)
    assert all(it.isVisible() for it in heatmaps.values())
    # hovering a picture describes its neuron
    x, y = diagram.network_layout.positions(1)[2]
    hover(diagram.view.viewport(), diagram.data_to_viewport(x + 0.8 * diagram.network_layout.heat_side(1), y))
    qtbot.waitUntil(lambda: "The picture" in diagram.hover_text)
    assert diagram.hover_text.startswith("hidden 2 · neuron 3")


def test_export_png_and_svg(diagram, tmp_path):
    diagram.update_snapshot(make_snapshot(SIZES, grid_size=10))
    png = tmp_path / "net.png"
    diagram.export_png(png)
    img = QImage(str(png))
    assert not img.isNull() and (img.width(), img.height()) == (diagram.width(), diagram.height())
    svg = tmp_path / "net.svg"
    diagram.export_svg(svg)
    root = ET.parse(svg).getroot()               # well-formed XML
    assert root.tag.endswith("svg")
    texts = " ".join(t.text or "" for t in root.iter() if t.tag.endswith("text"))
    assert "hidden 1" in texts and "weight w:" in texts   # the scene's and the legend's texts
    assert sum(e.tag.endswith("image") for e in root.iter()) >= 9      # the heatmaps
    with pytest.raises(OSError):
        diagram.export_png(tmp_path / "missing-dir" / "net.png")


def test_resize_keeps_everything_in_view(diagram, qtbot):
    diagram.update_snapshot(make_snapshot(SIZES, grid_size=8))
    for w, h in ((520, 360), (1400, 500), (700, 900)):
        diagram.resize(w, h)
        qtbot.waitUntil(lambda: abs(diagram.view.width() - w) < 2)
        diagram.fit()
        vp_rect = diagram.view.viewport().rect()
        for layer, n in enumerate(SIZES):
            for j in range(n):
                assert vp_rect.contains(diagram.neuron_view_pos(layer - 1, j)), (w, h, layer, j)
        for layer in range(len(SIZES) - 1):
            assert vp_rect.contains(diagram.bias_view_pos(layer))
        vp = QRectF(vp_rect).adjusted(-1, -1, 1, 1)
        for t in diagram.scene.captions + diagram.scene.names:
            assert vp.contains(diagram.item_view_rect(t)), (w, h, t.toPlainText())
        for it in diagram.scene.heatmaps.values():
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
    image = d.scene.image
    assert not image.weights.isVisible()
    # hovering a first-hidden-layer neuron shows its 784 incoming weights as a 28x28 picture
    hover(d.view.viewport(), d.neuron_view_pos(0, 5))
    qtbot.waitUntil(lambda: image.weights.isVisible())
    assert d.incoming_neuron() == (5, False)
    col = snap.weights[0][0][:, 5].reshape(28, 28)
    np.testing.assert_array_equal(image.weights.values, col)
    m = np.abs(col).max()
    top_left = image.weights.image[27, 0, :3].astype(int)   # drawn upside down: row 27 is the top
    assert (top_left[2] > top_left[0]) == (col[0, 0] > 0)
    strongest = np.unravel_index(np.argmax(np.abs(col)), col.shape)
    end = theme.POSITIVE if col[strongest] > 0 else theme.NEGATIVE
    assert tuple(image.weights.image[27 - strongest[0], strongest[1], :3]) == end   # ±max: the full colour
    assert f"±{m:.4g}" in image.caption.toolTip()
    # hovering a pixel of the picture names the weight
    box = d.network_layout.inset_box
    px = d.data_to_viewport(box.left + 0.5 / 28 * box.width, box.top - 0.5 / 28 * box.height)
    hover(d.view.viewport(), px)
    qtbot.waitUntil(lambda: "Weight from pixel (0, 0)" in d.hover_text)
    assert f"w = {col[0, 0]:.4g}" in d.hover_text
    # clicking it edits that weight
    qtbot.mouseClick(d.view.viewport(), Qt.MouseButton.LeftButton, pos=px)
    with qtbot.waitSignal(d.paramEditRequested) as sig:
        _type_value(qtbot, d, "0.5")
    assert sig.args == [0, "W", (0, 5), 0.5]
    # Ctrl+click pins a neuron: hovering another one no longer changes the picture
    vp = d.view.viewport()
    qtbot.mouseClick(vp, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     pos=d.neuron_view_pos(0, 3))
    assert not d.editor.isVisible()
    assert d.incoming_neuron() == (3, True)
    assert image.caption.toPlainText() == "weights into hidden 1 · neuron 4 (pinned)"
    hover(vp, d.neuron_view_pos(0, 9))
    qtbot.waitUntil(lambda: "neuron 10" in d.hover_text)
    assert d.incoming_neuron() == (3, True)
    d.set_show_incoming(0, 7)
    assert "neuron 8" in image.caption.toPlainText()
    d.set_show_incoming(None)
    assert not image.weights.isVisible() and d.incoming_neuron() == (None, False)
    # the input image shows the sample
    np.testing.assert_array_equal(image.picture.values, snap.x.reshape(28, 28))


def test_mismatched_snapshot_is_ignored(diagram, qtbot):
    diagram.update_snapshot(make_snapshot(SIZES))
    diagram.update_snapshot(make_snapshot([3, 4, 1]))      # wrong shapes: no exception, no edges
    assert n_segments(diagram) == 0 and diagram.drawn_edges(0)[0].size == 0
    hover(diagram.view.viewport(), diagram.edge_view_pos(0, 1, 3, t=0.3))   # no stale edge to describe
    hover(diagram.view.viewport(), diagram.neuron_view_pos(0, 0))
    qtbot.waitUntil(lambda: "neuron 1" in diagram.hover_text)
    assert "bias b" not in diagram.hover_text


def test_set_network_again_rebuilds(diagram):
    diagram.update_snapshot(make_snapshot(SIZES, grid_size=6))
    diagram.set_network([3, 5, 2], ["relu", "softmax"], names=["in", "mid", "out"])
    circles = [it for it in diagram.view.scene().items() if isinstance(it, QGraphicsEllipseItem)]
    assert len(circles) == 10
    assert diagram.scene.heatmaps == {}                    # 3 inputs: no input plane
    assert n_segments(diagram) == 0                        # nothing drawn until a snapshot comes
    captions = [t.toPlainText() for t in diagram.scene.captions]
    assert captions[1].startswith("mid") and "5 · relu" in captions[1]
    snap = make_snapshot([3, 5, 2])
    diagram.update_snapshot(snap)
    assert n_segments(diagram) == 3 * 5 + 5 * 2
    with pytest.raises(ValueError):
        diagram.set_network([2, 3], ["tanh", "tanh"])


# Painting-related virtual functions: if any of them is written in Python, Qt has to take
# Python's GIL to paint the diagram, and the frame stops training (see nnviz.app.diagram.items).
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
