"""The diagram's layout maths (no Qt): positions, drawn edges, hit testing, against hand computation."""
import subprocess
import sys

import numpy as np
import pytest

from nnviz.app.diagram.layout import (DEFAULT_MAX_EDGES, Box, DiagramLayout, EdgePlan, can_show_heatmaps,
                                      density_is_high, edge_bins, hit_test, image_cell, largest_weight,
                                      segment_distance, strongest, weights_match)


def test_layout_loads_without_qt():
    code = ("import sys, nnviz.app.diagram.layout; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_positions_of_a_2_4_4_1_net():
    lay = DiagramLayout([2, 4, 4, 1])
    # height max(0.75 · 3 layers, 1) = 2.25; a column of n neurons (+1 bias node) has
    # spacing min(2.25 / (n + 1), 0.5), centred on y = 0
    assert lay.height == 2.25
    np.testing.assert_allclose(lay.positions(-1), [[0, 0.25], [0, -0.25]])           # spacing 0.5
    np.testing.assert_allclose(lay.positions(0), [[1, 0.675], [1, 0.225], [1, -0.225], [1, -0.675]])  # 0.45
    np.testing.assert_allclose(lay.positions(1)[:, 0], 2.0)
    np.testing.assert_allclose(lay.positions(2), [[3, 0]])
    # the +1 node sits one spacing under its column's lowest neuron
    np.testing.assert_allclose(lay.bias_positions, [[0, -0.75], [1, -1.125], [2, -1.125]])
    assert lay.radius(-1) == lay.radius(2) == 0.06 and lay.heat_side(0) == 0.0
    b = lay.bbox
    assert (b.left, b.right) == pytest.approx((-0.06, 3.06))
    assert (b.bottom, b.top) == pytest.approx((-1.185, 0.735))
    # spots: inputs first, then every layer, each knowing its layer and index
    assert list(lay.spot_layer) == [-1, -1, 0, 0, 0, 0, 1, 1, 1, 1, 2]
    assert list(lay.spot_index) == [0, 1, 0, 1, 2, 3, 0, 1, 2, 3, 0]
    assert lay.spot_slices[1] == slice(6, 10)


def test_heatmaps_make_room_and_sizes_follow_the_zoom():
    lay = DiagramLayout([2, 4, 1], heatmaps=True)
    # H = 1.5; hidden: spacing 0.3, picture 0.85 · 0.3, neuron radius 0.2 · 0.3
    assert lay.heat_side(0) == pytest.approx(0.255) and lay.radius(0) == pytest.approx(0.06)
    # output: min(0.8 · 1.5 / 1, 0.42, 2 · 0.5) = 0.42
    assert lay.heat_side(1) == pytest.approx(0.42)
    hb = lay.heat_box(0, 0)
    assert (hb.left, hb.bottom, hb.right, hb.top) == pytest.approx((1.0, 0.45 - 0.1275, 1.255, 0.45 + 0.1275))
    assert lay.bbox.right == pytest.approx(2.42)
    # 100 px per unit: diameters 2 r s, clipped to 3..44 px; bias nodes 18..26 px
    np.testing.assert_allclose(lay.spot_pixel_sizes(100), [12, 12, 12, 12, 12, 12, 12])
    np.testing.assert_allclose(lay.spot_pixel_sizes(1000), [44] * 7)
    np.testing.assert_allclose(lay.bias_pixel_sizes(100), [18, 18])
    assert can_show_heatmaps([2, 4, 1]) and not can_show_heatmaps([3, 4, 1])
    assert not can_show_heatmaps([2, 200, 100, 1]) and not can_show_heatmaps([4, 2], (2, 2))


def test_image_inputs_are_pixels():
    lay = DiagramLayout([4, 3, 2], image_shape=(2, 2))
    # H = max(0.75 · 2 layers, 1.35) = 1.5; picture side 0.4 · H = 0.6 with its top at H / 2,
    # centred on x = 0; the incoming weights' picture as big, at the bottom
    ib, ins = lay.image_box, lay.inset_box
    assert (ib.left, ib.bottom, ib.right, ib.top) == pytest.approx((-0.3, 0.15, 0.3, 0.75))
    assert (ins.left, ins.bottom, ins.right, ins.top) == pytest.approx((-0.3, -0.75, 0.3, -0.15))
    # pixel centres, row by row from the top (pixels 0.3 wide)
    np.testing.assert_allclose(lay.positions(-1), [[-0.15, 0.6], [0.15, 0.6], [-0.15, 0.3], [0.15, 0.3]])
    assert lay.spot_layers == [0, 1]              # the inputs are no circles
    with pytest.raises(ValueError):
        DiagramLayout([5, 3], image_shape=(2, 2))
    with pytest.raises(ValueError):
        DiagramLayout([5])


def test_fit_keeps_the_aspect_and_the_margins():
    lay = DiagramLayout([2, 4, 4, 1])
    w, h = lay.bbox.width, lay.bbox.height   # 3.12 × 1.92
    s, box = lay.fit(1000, 700, (10, 20, 30, 40))
    assert s == pytest.approx(min(970 / w, 630 / h))
    assert box.left == pytest.approx(lay.bbox.left - 10 / s) and box.top == pytest.approx(lay.bbox.top + 30 / s)
    assert box.right == pytest.approx(lay.bbox.right + 20 / s)


def test_strongest_edges_and_their_bins():
    assert sorted(strongest(np.array([1.0, -5.0, 3.0, 0.5]), 2)) == [1, 2]
    assert list(strongest(np.array([1.0, -5.0]), 300)) == [0, 1]
    # bins: 4 · (w > 0) + width, width = |w| in quarters of the largest (capped at 3)
    assert list(edge_bins(np.array([-5.0, 3.0, 1.0, 0.5, -0.2, np.nan, 5.0]), 5.0)) == [3, 6, 4, 4, 0, 0, 7]
    assert largest_weight([(np.array([[1.0, -5.0]]), np.array([0.1]))]) == 5.0
    assert largest_weight([(np.zeros((1, 1)), np.zeros(1))]) == 1.0
    # 784-100-10 draws min(78 400, n) + min(1 000, n) edges: 600 at n = 300 (not more than 600)
    assert density_is_high([784, 100, 10], 400) and not density_is_high([784, 100, 10], DEFAULT_MAX_EDGES)


def test_edge_plan_of_a_2_2_net():
    lay = DiagramLayout([2, 2])
    W = np.array([[1.0, -5.0], [3.0, 0.5]])
    b = np.array([-0.2, 0.1])
    plan = EdgePlan(lay, [(W, b)], max_edges=2)
    i, j = plan.drawn(0)
    assert sorted(zip(i, j)) == [(0, 1), (1, 0)]        # |-5| and |3|
    (x0, y0), (x1, y1) = lay.positions(-1)
    (u0, v0), (u1, v1) = lay.positions(0)
    # -5: the widest negative bin (3), from input 0 to neuron 1; 3: positive, width 2 (bin 6)
    x, y = plan.pairs(3)
    np.testing.assert_allclose(np.c_[x, y], [[x0, y0], [u1, v1]])
    x, y = plan.pairs(6)
    np.testing.assert_allclose(np.c_[x, y], [[x1, y1], [u0, v0]])
    assert all(plan.pairs(k)[0].size == 0 for k in (0, 1, 2, 4, 5, 7))
    # biases from the +1 node: -0.2 thin negative, 0.1 thin positive
    (bx, by), = lay.bias_positions
    np.testing.assert_allclose(np.c_[plan.pairs(0, bias=True)], [[bx, by], [u0, v0]])
    np.testing.assert_allclose(np.c_[plan.pairs(4, bias=True)], [[bx, by], [u1, v1]])
    assert plan.wmax == 5.0
    is_bias, layers, ii, jj, *_ = plan.segments()
    assert sorted(zip(is_bias, ii, jj)) == [(False, 0, 1), (False, 1, 0), (True, 0, 0), (True, 0, 1)]


def test_distances_and_image_cells():
    d = segment_distance(0.0, 1.0, np.array([-1.0, 2.0, 0.0]), np.array([0.0, 0.0, 0.0]),
                         np.array([1.0, 3.0, 0.0]), np.array([0.0, 0.0, 0.0]))
    np.testing.assert_allclose(d, [1.0, np.hypot(2, 1), 1.0])     # above the middle, past the end, a point
    box = Box(0, 0, 1, 1)
    assert image_cell(box, (2, 2), 0.25, 0.75) == 0            # row 0 is the top
    assert image_cell(box, (2, 2), 0.75, 0.25) == 3
    assert image_cell(box, (2, 2), 1.0, 0.0) == 3              # the far edges belong to the last pixel
    assert image_cell(box, (2, 2), 1.5, 0.5) is None


def test_hit_test_finds_what_is_under_the_point():
    lay = DiagramLayout([2, 4, 4, 1], heatmaps=True)
    rng = np.random.default_rng(0)
    weights = [(rng.normal(size=(a, b)), rng.normal(size=b)) for a, b in zip(lay.sizes, lay.sizes[1:])]
    plan = EdgePlan(lay, weights, 300)
    pix = 0.005                                   # 200 px per unit
    spots, bias = lay.spot_pixel_sizes(200), lay.bias_pixel_sizes(200)

    def hit(x, y, heat=(), pix=pix):
        return hit_test(lay, x, y, pix, spots, bias, heat, False, plan)

    x, y = lay.positions(0)[1]
    assert hit(x, y) == ("n", 0, 1)
    assert hit(x + 4 * pix, y) == ("n", 0, 1)    # within the radius (5 px here)
    assert hit(*lay.positions(-1)[1]) == ("n", -1, 1)
    assert hit(*lay.bias_positions[2]) == ("bias", 2)
    # a heatmap counts only when shown
    hb = lay.heat_box(1, 2)
    cx, cy = hb.left + 0.8 * hb.width, (hb.bottom + hb.top) / 2
    assert hit(cx, cy, heat={1}) == ("heat", 1, 2)
    assert hit(cx, cy) != ("heat", 1, 2)
    # an edge, a third of the way from input 1 to neuron 3 of layer 0
    a, b = lay.positions(-1)[1], lay.positions(0)[3]
    assert hit(*(a + 0.3 * (b - a))) == ("w", 0, 1, 3)
    a, b = lay.bias_positions[1], lay.positions(1)[0]
    assert hit(*(a + 0.5 * (b - a))) == ("b", 1, 0)
    # nothing there
    assert hit(lay.bbox.left - 0.5, lay.bbox.top + 0.5) is None


def test_image_hits_and_weight_shapes():
    lay = DiagramLayout([4, 3, 2], image_shape=(2, 2))
    spots, bias = lay.spot_pixel_sizes(300), lay.bias_pixel_sizes(300)
    ib, ins = lay.image_box, lay.inset_box
    x, y = ib.right - 0.01, ib.bottom + 0.01       # bottom-right pixel
    assert hit_test(lay, x, y, 1 / 300, spots, bias) == ("pix", 3)
    x, y = ins.left + 0.01, ins.top - 0.01         # top-left of the incoming weights
    assert hit_test(lay, x, y, 1 / 300, spots, bias, inset_shown=False) is None
    assert hit_test(lay, x, y, 1 / 300, spots, bias, inset_shown=True) == ("inset", 0)
    ok = [(np.zeros((4, 3)), np.zeros(3)), (np.zeros((3, 2)), np.zeros(2))]
    assert weights_match(lay.sizes, ok)
    assert not weights_match(lay.sizes, ok[:1]) and not weights_match(lay.sizes, None)
    assert not weights_match(lay.sizes, [ok[0], (np.zeros((2, 3)), np.zeros(2))])
