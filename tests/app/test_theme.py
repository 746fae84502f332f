"""The one palette: its scales against hand computation, and every view drawing with it."""
import numpy as np
import pytest
from PySide6.QtGui import QColor

from nnviz.app import theme
from nnviz.app.output import OutputView
from nnviz.app.training.state import Snapshot
from nnviz.data.base import Dataset


def rgb(c: QColor):
    return c.red(), c.green(), c.blue()


def test_blend_fades_towards_the_background():
    assert rgb(theme.blend((0, 0, 0), (255, 255, 255), 0.25)) == (191, 191, 191)     # 255 · 0.75 = 191.25
    assert rgb(theme.blend(QColor("#0877bd"), "#ffffff", 1.0)) == theme.POSITIVE
    assert rgb(theme.blend(theme.NEGATIVE, theme.BACKGROUND, 0.0)) == theme.BACKGROUND
    assert rgb(theme.blend((100, 0, 200), (0, 100, 0), 0.5)) == (50, 50, 100)


def test_diverging_scale_by_hand():
    lut = theme.diverging_lut(3)
    assert [tuple(c) for c in lut] == [theme.NEGATIVE, (255, 255, 255), theme.POSITIVE]
    # halfway to white: (245 + 255) / 2 = 250, (147 + 255) / 2 = 201, (34 + 255) / 2 = 144.5 -> 144 (even)
    assert tuple(theme.diverging_lut(3, lighten=0.5)[0]) == (250, 201, 144)
    d = theme.DIVERGING
    img = d.rgba(np.array([-1.0, 1.0, -7.0, np.nan]))
    assert img.shape == (4, 4) and (img[:, 3] == 255).all()
    assert tuple(img[0, :3]) == theme.NEGATIVE == tuple(img[2, :3])   # beyond the range: clipped
    assert tuple(img[1, :3]) == theme.POSITIVE
    assert tuple(img[3, :3]) == tuple(d.lut[127, :3])                  # NaN: the middle
    # 64 steps over [-1, 1]: 0.5 -> rint(1.5 · 63 / 2) = 47
    assert list(d.index(np.array([-1.0, 0.5, 1.0, np.nan, 3.0]))) == [0, 47, 63, 32, 63]
    assert rgb(d.colours[63]) == theme.POSITIVE and rgb(d.colours[0]) == theme.NEGATIVE
    # an explicit range
    assert tuple(d.rgba(np.array([2.0]), -2.0, 2.0)[0, :3]) == theme.POSITIVE


def test_sequential_scale_and_which_activation_uses_which():
    s = theme.SEQUENTIAL
    assert rgb(s.colours[0]) == (255, 255, 255) and rgb(s.colours[-1]) == theme.POSITIVE
    assert tuple(s.table(2)[1]) == theme.POSITIVE
    for act in ("sigmoid", "softmax", "relu", "step"):
        assert theme.scale_for(act) is theme.SEQUENTIAL
    for act in ("tanh", "identity", "leaky_relu"):
        assert theme.scale_for(act) is theme.DIVERGING


def test_classes_take_the_palette_ends():
    assert rgb(theme.class_color(0)) == theme.NEGATIVE
    assert rgb(theme.class_color(1)) == theme.POSITIVE
    assert len({theme.class_color(i).name() for i in range(14)}) == 14


def test_output_view_colours_regression_targets_with_the_diverging_scale(qtbot):
    x = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    y = np.array([-2.0, 2.0, 0.0])
    ds = Dataset("wave", x, y, x[:0], y[:0], n_classes=None, feature_names=["x1", "x2"])
    v = OutputView()
    qtbot.addWidget(v)
    v.set_data(ds)
    colours = [rgb(p.brush().color()) for p in v.plane_view.train_scatter.points()]
    # symmetric range ±2: -2 is the orange end, +2 the blue end, 0 step 32 of 64 (≈ white)
    assert colours[0] == theme.NEGATIVE and colours[1] == theme.POSITIVE
    assert colours[2] == rgb(theme.DIVERGING.colours[32])
    # the regions use the same scale, paler
    G = 4
    xs = ys = np.linspace(-1, 1, G)
    out = np.full((G, G), 2.0)
    v.update_snapshot(Snapshot(grid={"xs": xs, "ys": ys, "units": [out[None]], "output": out}))
    lut = v.plane_view.region.lut
    lut = lut if not callable(lut) else lut(v.plane_view.region.image)
    assert tuple(np.asarray(lut)[-1][:3]) == tuple(theme.diverging_lut(256, lighten=0.35)[-1])


@pytest.mark.parametrize("value", [0.0, 1.0])
def test_confusion_matrix_shades_from_the_background_to_the_deep_blue(qtbot, value):
    from nnviz.app.plots import ConfusionMatrixView
    v = ConfusionMatrixView()
    qtbot.addWidget(v)
    lut = np.asarray(v.image.lut)
    expected = rgb(v.plot_widget.backgroundBrush().color()) if value == 0.0 else theme.DEEP_POSITIVE
    assert tuple(lut[int(value * 255)][:3]) == expected
