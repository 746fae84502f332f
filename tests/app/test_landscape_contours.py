"""The dock's contour lines (vectorised marching squares) lie on their levels and close around
a bowl; saddles give two segments per cell."""
import numpy as np

from nnviz.app.landscape.contours import contour_segments


def test_bowl_contours_lie_on_their_level():
    xs = ys = np.linspace(-1, 1, 41)
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    z = X ** 2 + Y ** 2
    x, y = contour_segments(z, [0.25, 0.5], xs, ys)
    assert len(x) == len(y) and len(x) % 2 == 0 and len(x) > 0
    r2 = x ** 2 + y ** 2
    assert np.all((np.abs(r2 - 0.25) < 0.01) | (np.abs(r2 - 0.5) < 0.01))
    inner = np.abs(r2 - 0.25) < 0.01   # the 0.25 circle: its segments go all the way round
    angles = np.sort(np.arctan2(y[inner], x[inner]))
    assert np.max(np.diff(angles)) < 0.3


def test_saddle_cell_gives_two_segments_and_flat_gives_none():
    z = np.array([[0.0, 1.0], [1.0, 0.0]])
    x, y = contour_segments(z, [0.5], np.array([0.0, 1.0]), np.array([0.0, 1.0]))
    assert len(x) == 4
    assert contour_segments(np.ones((5, 5)), [0.5], np.arange(5.0), np.arange(5.0))[0].size == 0
