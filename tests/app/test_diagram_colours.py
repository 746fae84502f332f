"""The diagram's fast colouring gives exactly the theme's colours, for any layout of the values."""
import numpy as np

from nnviz.app import theme
from nnviz.app.diagram import colours


def test_rgba_and_index_match_the_theme():
    rng = np.random.default_rng(0)
    v = rng.normal(0, 2, (40, 40, 8)).transpose(2, 0, 1)      # not C-contiguous, as grid units can be
    v[0, 0, 0], v[0, 0, 1], v[0, 0, 2], v[1, 1, 1] = np.nan, np.inf, -np.inf, 1e300
    with np.errstate(all="ignore"):
        for scale in (theme.DIVERGING, theme.SEQUENTIAL, theme.GREY):
            for values in (v, v[:, ::-1], v.astype(np.float32), v[0]):
                np.testing.assert_array_equal(colours.rgba(scale, values), scale.rgba(values))
                np.testing.assert_array_equal(colours.rgba(scale, values, -3, 5), scale.rgba(values, -3, 5))
                np.testing.assert_array_equal(colours.index(scale, np.ravel(values)), scale.index(np.ravel(values)))
