"""A frame of the big diagram (784-100-10): a few batched items, whatever the number of edges,
and edges still found under the mouse by their geometry."""
import re

import numpy as np
from PySide6.QtWidgets import QGraphicsPathItem

from nnviz.app.diagram import NetworkDiagram
from nnviz.app.diagram.editor import fmt_number
from nnviz.app.diagram.layout import N_BINS, segment_distance

from tests.app.test_diagram import hover, make_snapshot, n_segments

SIZES = [784, 100, 10]


def big_diagram(qtbot):
    d = NetworkDiagram()
    qtbot.addWidget(d)
    d.resize(1200, 800)
    d.set_network(SIZES, ["tanh", "softmax"], image_shape=(28, 28))
    d.show()
    qtbot.waitExposed(d)
    return d


def test_a_frame_adds_no_item_per_edge(qtbot):
    d = big_diagram(qtbot)
    n_items = len(d.scene.items())
    for seed in range(4):
        d.update_snapshot(make_snapshot(SIZES, seed=seed, scale=0.05))
        d.view.viewport().repaint()
        assert len(d.scene.items()) == n_items
    drawn = n_segments(d) + n_segments(d, dashed=True)
    assert drawn == 300 + 300 + 100 + 10
    # every edge lives in one of the few path items (a bin of colour and width, solid or dashed;
    # and the hover line); the thinnest ones (4 bins) behind the view, without antialiasing
    behind = [it for it in d.backdrop.scene().items() if isinstance(it, QGraphicsPathItem)]
    paths = [it for it in d.scene.items() if isinstance(it, QGraphicsPathItem)] + behind
    assert len(paths) == 2 * N_BINS + 1 and len(behind) == 4
    assert n_items < 200 < drawn


def test_the_backdrop_lines_up_with_the_view(qtbot):
    """The faint edges behind the view are drawn where the view would draw them, also after a
    resize, and a small net keeps them in the view (antialiased)."""
    d = big_diagram(qtbot)
    d.update_snapshot(make_snapshot(SIZES, seed=0, scale=0.05))
    for size in ((1200, 800), (900, 640)):
        d.resize(*size)
        qtbot.wait(10)
        assert d.backdrop.geometry() == d.view.geometry()
        for xy in ((0.0, 0.0), (1.0, 2.0), (-3.5, 0.25)):
            assert d.backdrop.mapFromScene(*xy) == d.view.mapFromScene(*xy)
    assert not d.backdrop.renderHints() & d.backdrop.renderHints().Antialiasing
    small = NetworkDiagram()
    qtbot.addWidget(small)
    small.set_network([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"])
    assert not [it for it in small.backdrop.scene().items() if isinstance(it, QGraphicsPathItem)]


def free_point(d, layer, i, j):
    """A viewport point of drawn edge W[i, j] of ``layer``, outside the input picture and away
    from its neurons, with no other drawn edge as close (the nearest one wins)."""
    _, layers, ii, jj, x0, y0, x1, y1 = d.scene.plan.segments()
    other = (layers != layer) | (ii != i) | (jj != j)
    ends = [d.data_to_viewport(*xy) for xy in (d.network_layout.positions(layer - 1)[i],
                                                d.network_layout.positions(layer)[j])]
    for t in np.linspace(0.2, 0.95, 76):
        pos = d.edge_view_pos(layer, i, j, t)
        p = d.view.mapToScene(pos)
        if d.network_layout.image_box.contains(p.x(), p.y()):
            continue
        dist = segment_distance(p.x(), p.y(), x0[other], y0[other], x1[other], y1[other]) * d.view.transform().m11()
        if dist.min() > 3 and min((pos - e).manhattanLength() for e in ends) > 20:
            return pos
    raise AssertionError("no free point on the edge")


def test_edges_under_the_mouse_are_found_by_geometry(qtbot):
    d = big_diagram(qtbot)
    snap = make_snapshot(SIZES, scale=0.05)
    d.update_snapshot(snap)
    vp = d.view.viewport()
    # 710 edges: whichever edge the pointer is on reports its own weight
    i, j = (int(v[0]) for v in d.drawn_edges(1))
    hover(vp, d.edge_view_pos(1, i, j, 0.5))
    qtbot.waitUntil(lambda: "Weight from" in d.hover_text)
    hi, hj = (int(v) for v in re.search(r"W\[(\d+), (\d+)\]", d.hover_text).groups())
    assert f"w = {fmt_number(snap.weights[1][0][hi, hj])}" in d.hover_text
    assert hj in d.drawn_edges(1)[1][d.drawn_edges(1)[0] == hi]
    # fewer edges: the very edge under the pointer, in either layer
    d.max_edges_per_layer = 20
    snap.weights[1][0][41, 7] = 0.987654      # the strongest of their layers: drawn
    snap.weights[0][0][350, 12] = -0.876543
    d.update_snapshot(snap)
    for layer, i, j, w in ((1, 41, 7, 0.987654), (0, 350, 12, -0.876543)):
        text = f"w = {fmt_number(w)}"
        hover(vp, free_point(d, layer, i, j))
        qtbot.waitUntil(lambda: f"W[{i}, {j}]" in d.hover_text)
        assert text in d.hover_text
        # the hover line is drawn over it, one segment in its own item
        assert d.scene.highlight_edge.isVisible() and d.scene.highlight_edge.n_segments == 1
    assert len(d.scene.items()) < 200
