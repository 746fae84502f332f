"""The training curves' x auto-range moves in steps (issue 19): the axes keep their cached
tick pictures while the per-batch curve grows inside a step."""
import numpy as np
import pytest

from nnviz.app.plots.anchor import step_end
from nnviz.app.plots.metrics import MetricsPlots


@pytest.mark.parametrize("x, end", [(0.3, 0.3), (0.33, 0.33), (5.5, 5.6), (37.2, 38.0), (100.3, 105.0),
                                    (6.0, 6.0), (0.0, 0.0)])
def test_step_end_rounds_up_to_a_1_2_5_step_of_about_2_percent(x, end):
    assert step_end(x) == pytest.approx(end)
    assert step_end(x) >= x and step_end(x) <= x * 1.05 + 1e-12


def _x_range(w):
    w.glw.scene().prepareForPaint()
    return tuple(w.loss_plot.vb.viewRange()[0])


def test_the_x_range_holds_inside_a_step_and_covers_every_point(qtbot):
    w = MetricsPlots()
    qtbot.addWidget(w)
    w.resize(400, 500)
    w.show()
    w.set_steps_per_epoch(30)  # 1210 batch points: fewer than are kept, none averaged
    w.add_epochs([dict(epoch=i, train_loss=1 / i, test_loss=1.1 / i, train_acc=0.5, test_acc=0.5)
                  for i in range(1, 41)])
    w.add_loss_points(np.column_stack([np.arange(1210), np.linspace(2, 0.1, 1210)]))
    first = _x_range(w)
    assert first[1] >= 40 * 1.0
    w.add_loss_points([(1215, 0.1), (1220, 0.1)])   # epochs 40.3 → 40.7: inside the 1-epoch step
    assert _x_range(w) == first
    w.add_loss_points([(1245, 0.1)])                 # epoch 41.5: past it, the range grows
    grown = _x_range(w)
    assert grown[1] > first[1] and grown[1] >= 41.5
    w.clear()
    assert w._x_anchor.x is None
